using System.Numerics;

namespace InternetIdentity.Protocol.RequestIds;

/// <summary>LEB128 in its shortest form: the encoding of nats (unsigned) and ints (signed) in hashes and tree leaves.</summary>
public static class Leb128
{
    /// <summary>Unsigned LEB128 of a 64-bit value.</summary>
    public static byte[] EncodeUnsigned(ulong value)
    {
        Span<byte> buffer = stackalloc byte[10];
        int n = WriteUnsigned(value, buffer);
        return buffer[..n].ToArray();
    }

    /// <summary>Writes unsigned LEB128 into <paramref name="destination"/> (at least 10 bytes) and returns the length.</summary>
    public static int WriteUnsigned(ulong value, Span<byte> destination)
    {
        int i = 0;
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            destination[i++] = value != 0 ? (byte)(b | 0x80) : b;
        }
        while (value != 0);
        return i;
    }

    /// <summary>Unsigned LEB128 of a nat of any size.</summary>
    public static byte[] EncodeUnsigned(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "a nat is not negative");
        }

        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value.IsZero ? b : (byte)(b | 0x80));
        }
        while (!value.IsZero);
        return [.. bytes];
    }

    /// <summary>Signed LEB128 of an int of any size.</summary>
    public static byte[] EncodeSigned(BigInteger value)
    {
        var bytes = new List<byte>();
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value.IsZero && (b & 0x40) == 0) || (value == BigInteger.MinusOne && (b & 0x40) != 0);
            bytes.Add(done ? b : (byte)(b | 0x80));
            if (done)
            {
                return [.. bytes];
            }
        }
    }

    /// <summary>Decodes a complete unsigned LEB128 nat that fits in 64 bits; false on anything else.</summary>
    public static bool TryDecodeUnsigned(ReadOnlySpan<byte> bytes, out ulong value)
    {
        value = 0;
        int shift = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            ulong part = (ulong)(bytes[i] & 0x7F);
            if (shift > 63 || (shift == 63 && part > 1))
            {
                return false;
            }

            value |= part << shift;
            shift += 7;
            if ((bytes[i] & 0x80) == 0)
            {
                return i == bytes.Length - 1;
            }
        }

        return false;
    }
}
