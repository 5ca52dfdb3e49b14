using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using System.Text.Unicode;

namespace InternetIdentity.Protocol.Candid;

/// <summary>Reads the primitive pieces of the binary format; every read is bounds-checked.</summary>
internal ref struct CandidReader
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly ReadOnlySpan<byte> _data;

    public CandidReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        Position = 0;
    }

    public int Position { get; set; }

    public readonly int Remaining => _data.Length - Position;

    public byte ReadByte(string what)
    {
        if (Position >= _data.Length)
        {
            throw Truncated(what);
        }

        return _data[Position++];
    }

    public ReadOnlySpan<byte> ReadBytes(int count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw Truncated(what);
        }

        ReadOnlySpan<byte> s = _data.Slice(Position, count);
        Position += count;
        return s;
    }

    /// <summary>An unsigned LEB128 that must fit 64 bits (overlong encodings with zero padding are accepted).</summary>
    public ulong ReadUleb64(string what)
    {
        ulong result = 0;
        int shift = 0;
        while (true)
        {
            byte b = ReadByte(what);
            ulong bits = (ulong)(b & 0x7f);
            if (shift < 64)
            {
                if (shift == 63 && bits > 1)
                {
                    throw new CandidFormatException($"{what} does not fit 64 bits");
                }

                result |= bits << shift;
            }
            else if (bits != 0)
            {
                throw new CandidFormatException($"{what} does not fit 64 bits");
            }

            if ((b & 0x80) == 0)
            {
                return result;
            }

            shift += 7;
        }
    }

    /// <summary>A signed LEB128 that must fit 64 bits.</summary>
    public long ReadSleb64(string what)
    {
        int start = Position;
        BigInteger v = ReadSlebBig(what);
        if (v < long.MinValue || v > long.MaxValue)
        {
            Position = start;
            throw new CandidFormatException($"{what} does not fit 64 bits");
        }

        return (long)v;
    }

    /// <summary>A length or count: an unsigned LEB128 no larger than <paramref name="max"/>.</summary>
    public int ReadLength(string what, long max)
    {
        ulong n = ReadUleb64(what);
        if (n > (ulong)max)
        {
            throw new CandidFormatException($"{what} {n} exceeds the {max} that the remaining input or the limits allow");
        }

        return (int)n;
    }

    /// <summary>An unbounded unsigned LEB128, built in linear time from its 7-bit groups.</summary>
    public BigInteger ReadUlebBig(string what)
    {
        int start = Position;
        int end = FindLebEnd(what);
        int count = end - start;
        if (count <= 9)
        {
            ulong small = 0;
            for (int i = 0; i < count; i++)
            {
                small |= (ulong)(_data[start + i] & 0x7f) << (7 * i);
            }

            return small;
        }

        return new BigInteger(PackGroups(_data.Slice(start, count)), isUnsigned: true, isBigEndian: false);
    }

    /// <summary>An unbounded signed LEB128 (two's complement), built in linear time.</summary>
    public BigInteger ReadSlebBig(string what)
    {
        int start = Position;
        int end = FindLebEnd(what);
        int count = end - start;
        bool negative = (_data[end - 1] & 0x40) != 0;
        if (count <= 9)
        {
            long small = 0;
            for (int i = 0; i < count; i++)
            {
                small |= (long)(_data[start + i] & 0x7f) << (7 * i);
            }

            if (negative)
            {
                small |= -1L << (7 * count);
            }

            return small;
        }

        var unsigned = new BigInteger(PackGroups(_data.Slice(start, count)), isUnsigned: true, isBigEndian: false);
        return negative ? unsigned - (BigInteger.One << (7 * count)) : unsigned;
    }

    /// <summary>Skips a LEB128 number (signed or unsigned) without building it.</summary>
    public void SkipLeb(string what) => FindLebEnd(what);

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2, "nat16/int16"));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, "nat32/int32/float32"));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8, "nat64/int64/float64"));

    /// <summary>A length-prefixed UTF-8 string; invalid UTF-8 is rejected.</summary>
    public string ReadText(string what)
    {
        int n = ReadLength(what + " length", Remaining);
        ReadOnlySpan<byte> bytes = ReadBytes(n, what);
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (ArgumentException)
        {
            throw new CandidFormatException($"{what} is not valid UTF-8");
        }
    }

    /// <summary>Skips a length-prefixed UTF-8 string, checking it is valid UTF-8.</summary>
    public void SkipText(string what)
    {
        int n = ReadLength(what + " length", Remaining);
        ReadOnlySpan<byte> bytes = ReadBytes(n, what);
        if (!Utf8.IsValid(bytes))
        {
            throw new CandidFormatException($"{what} is not valid UTF-8");
        }
    }

    /// <summary>A principal reference: tag 1, length, at most 29 bytes.</summary>
    public ReadOnlySpan<byte> ReadPrincipalBytes(string what)
    {
        byte tag = ReadByte(what);
        if (tag != 1)
        {
            throw new CandidFormatException(tag == 0
                ? $"{what}: opaque references are not supported"
                : $"{what}: invalid reference tag {tag}");
        }

        int n = ReadLength(what + " length", Math.Min(Remaining, CandidPrincipal.MaxLength));
        return ReadBytes(n, what);
    }

    private int FindLebEnd(string what)
    {
        int i = Position;
        while (true)
        {
            if (i >= _data.Length)
            {
                throw Truncated(what);
            }

            if ((_data[i++] & 0x80) == 0)
            {
                Position = i;
                return i;
            }
        }
    }

    private static byte[] PackGroups(ReadOnlySpan<byte> leb)
    {
        var bytes = new byte[((leb.Length * 7) + 7) / 8];
        int bit = 0;
        foreach (byte b in leb)
        {
            int group = b & 0x7f;
            int index = bit >> 3, offset = bit & 7;
            bytes[index] |= (byte)(group << offset);
            if (offset > 1 && index + 1 < bytes.Length)
            {
                bytes[index + 1] |= (byte)(group >> (8 - offset));
            }

            bit += 7;
        }

        return bytes;
    }

    private readonly CandidFormatException Truncated(string what) =>
        new($"input ends inside {what} (at byte {Position} of {_data.Length})");
}
