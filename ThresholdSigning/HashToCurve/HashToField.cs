using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.HashToCurve;

/// <summary>RFC 9380 §5.2 hash_to_field for BLS12-381 with expand_message_xmd (SHA-256) and L = 64.</summary>
public static class HashToField
{
    /// <summary>Bytes per base-field element: L = ceil((ceil(log2(p)) + k) / 8) = ceil((381 + 128) / 8).</summary>
    public const int L = 64;

    // Room on the stack for the uniform bytes of the common cases (two Fp2 elements = 256 bytes).
    private const int StackLimit = 512;

    /// <summary>Fills <paramref name="output"/> with count = its length elements of F_p (m = 1).</summary>
    /// <exception cref="ArgumentException">The DST is empty or too many elements are asked for.</exception>
    public static void HashToFp(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst, Span<Fp> output)
    {
        int length = CheckedLength(output.Length, 1);
        Span<byte> uniform = length <= StackLimit ? stackalloc byte[length] : new byte[length];
        ExpandMessageXmd.Expand(message, dst, uniform);
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = Fp.FromBigEndianReduced(uniform.Slice(i * L, L));
        }
    }

    /// <summary>Fills <paramref name="output"/> with count = its length elements of F_p2 (m = 2, c0 from the first chunk).</summary>
    /// <exception cref="ArgumentException">The DST is empty or too many elements are asked for.</exception>
    public static void HashToFp2(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst, Span<Fp2> output)
    {
        int length = CheckedLength(output.Length, 2);
        Span<byte> uniform = length <= StackLimit ? stackalloc byte[length] : new byte[length];
        ExpandMessageXmd.Expand(message, dst, uniform);
        for (int i = 0; i < output.Length; i++)
        {
            int offset = i * 2 * L;
            output[i] = new Fp2(
                Fp.FromBigEndianReduced(uniform.Slice(offset, L)),
                Fp.FromBigEndianReduced(uniform.Slice(offset + L, L)));
        }
    }

    private static int CheckedLength(int count, int degree)
    {
        long length = (long)count * degree * L;
        if (length > ExpandMessageXmd.MaxOutputBytes)
        {
            throw new ArgumentException(
                $"hash_to_field can draw at most {ExpandMessageXmd.MaxOutputBytes / (degree * L)} elements here, not {count}.",
                "output");
        }

        return (int)length;
    }
}
