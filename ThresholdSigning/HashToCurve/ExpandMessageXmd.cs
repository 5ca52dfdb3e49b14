using System.Buffers;
using System.Security.Cryptography;

namespace InternetIdentity.ThresholdSigning.HashToCurve;

/// <summary>RFC 9380 §5.3.1 expand_message_xmd with SHA-256 (b_in_bytes = 32, s_in_bytes = 64).</summary>
public static class ExpandMessageXmd
{
    private const int HashBytes = 32;
    private const int BlockBytes = 64;
    private const int MaxDstBytes = 255;

    /// <summary>Largest output: ell = ceil(len / 32) must not exceed 255.</summary>
    public const int MaxOutputBytes = 255 * HashBytes;

    private static ReadOnlySpan<byte> OversizePrefix => "H2C-OVERSIZE-DST-"u8;

    // Inputs up to this size are hashed from a stack buffer; larger ones from a pooled array.
    private const int StackLimit = 1024;

    /// <summary>Fills <paramref name="output"/> (len_in_bytes = its length) with expand_message_xmd(msg, DST, len_in_bytes).</summary>
    /// <exception cref="ArgumentException">The DST is empty, or the output is longer than <see cref="MaxOutputBytes"/>.</exception>
    public static void Expand(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst, Span<byte> output)
    {
        if (output.Length > MaxOutputBytes)
        {
            throw new ArgumentException(
                $"expand_message_xmd with SHA-256 yields at most {MaxOutputBytes} bytes (ell <= 255), not {output.Length}.",
                nameof(output));
        }

        Span<byte> dstPrime = stackalloc byte[MaxDstBytes + 1];
        dstPrime = dstPrime[..WriteDstPrime(dst, dstPrime)];

        Span<byte> b0 = stackalloc byte[HashBytes];
        ComputeB0(message, dstPrime, output.Length, b0);

        // b_i = H(strxor(b_0, b_(i-1)) || I2OSP(i, 1) || DST_prime), with b_1 = H(b_0 || 1 || DST_prime).
        Span<byte> block = stackalloc byte[HashBytes + 1 + dstPrime.Length];
        dstPrime.CopyTo(block[(HashBytes + 1)..]);
        Span<byte> bi = stackalloc byte[HashBytes];
        b0.CopyTo(block);
        int ell = (output.Length + HashBytes - 1) / HashBytes;
        for (int i = 1; i <= ell; i++)
        {
            if (i > 1)
            {
                for (int j = 0; j < HashBytes; j++)
                {
                    block[j] = (byte)(b0[j] ^ bi[j]);
                }
            }

            block[HashBytes] = (byte)i;
            SHA256.HashData(block, bi);
            int offset = (i - 1) * HashBytes;
            bi[..Math.Min(HashBytes, output.Length - offset)].CopyTo(output[offset..]);
        }
    }

    /// <summary>expand_message_xmd(msg, DST, len_in_bytes) as a new array.</summary>
    /// <exception cref="ArgumentException">The DST is empty, or the length is negative or above <see cref="MaxOutputBytes"/>.</exception>
    public static byte[] Expand(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst, int lengthInBytes)
    {
        if (lengthInBytes < 0 || lengthInBytes > MaxOutputBytes)
        {
            throw new ArgumentException(
                $"expand_message_xmd with SHA-256 yields 0 to {MaxOutputBytes} bytes (ell <= 255), not {lengthInBytes}.",
                nameof(lengthInBytes));
        }

        var output = new byte[lengthInBytes];
        Expand(message, dst, output);
        return output;
    }

    /// <summary>Writes DST_prime = DST || I2OSP(len(DST), 1), hashing a DST over 255 bytes first (RFC 9380 §5.3.3); returns its length.</summary>
    internal static int WriteDstPrime(ReadOnlySpan<byte> dst, Span<byte> destination)
    {
        if (dst.IsEmpty)
        {
            throw new ArgumentException("A domain separation tag must not be empty (RFC 9380 §3.1).", nameof(dst));
        }

        if (dst.Length > MaxDstBytes)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(OversizePrefix);
            hash.AppendData(dst);
            hash.GetHashAndReset(destination[..HashBytes]);
            destination[HashBytes] = HashBytes;
            return HashBytes + 1;
        }

        dst.CopyTo(destination);
        destination[dst.Length] = (byte)dst.Length;
        return dst.Length + 1;
    }

    /// <summary>b_0 = H(msg_prime), msg_prime = Z_pad || msg || I2OSP(len_in_bytes, 2) || I2OSP(0, 1) || DST_prime.</summary>
    internal static void ComputeB0(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dstPrime, int lengthInBytes, Span<byte> b0)
    {
        int total = BlockBytes + message.Length + 3 + dstPrime.Length;
        byte[]? rented = null;
        Span<byte> msgPrime = total <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(total));
        msgPrime = msgPrime[..total];
        msgPrime[..BlockBytes].Clear();
        message.CopyTo(msgPrime[BlockBytes..]);
        int at = BlockBytes + message.Length;
        msgPrime[at] = (byte)(lengthInBytes >> 8);
        msgPrime[at + 1] = (byte)lengthInBytes;
        msgPrime[at + 2] = 0;
        dstPrime.CopyTo(msgPrime[(at + 3)..]);
        SHA256.HashData(msgPrime, b0);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
