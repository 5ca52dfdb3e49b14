using System.Runtime.CompilerServices;

using InternetIdentity.ThresholdSigning.Fields.Native;

namespace InternetIdentity.ThresholdSigning.Fields;

/// <summary>
/// Karabina's compressed form of an element of the cyclotomic subgroup of F_p12 (eprint 2010/542, Theorems 3.1 and
/// 3.2): four of its six F_p2 coordinates, g1 = c0.c1, g2 = c0.c2, g3 = c1.c0 and g5 = c1.c2. Squaring in this form
/// costs six F_p2 squarings instead of Granger–Scott's nine; the other two coordinates are recovered on
/// decompression with one division, batched over several elements (one inversion in all).
/// </summary>
/// <remarks>
/// Decompression branches and inverts in variable time: for public values only, such as pairing outputs.
/// </remarks>
internal readonly struct CompressedCyclotomic
{
    public readonly Fp2 G1, G2, G3, G5;

    public CompressedCyclotomic(in Fp2 g1, in Fp2 g2, in Fp2 g3, in Fp2 g5)
    {
        G1 = g1;
        G2 = g2;
        G3 = g3;
        G5 = g5;
    }

    /// <summary>Whether the four coefficients are equal (for the kernel self-test and tests).</summary>
    internal bool Equals(in CompressedCyclotomic other) =>
        G1.Equals(other.G1) && G2.Equals(other.G2) && G3.Equals(other.G3) && G5.Equals(other.G5);

    /// <summary>Compresses an element of the cyclotomic subgroup (the caller guarantees membership).</summary>
    public static CompressedCyclotomic From(in Fp12 f) => new(f.C0.C1, f.C0.C2, f.C1.C0, f.C1.C2);

    /// <summary>The compressed square.</summary>
    /// <remarks>
    /// With ξ = u + 1: g1' = 3(g3^2 + ξ·g2^2) - 2g1, g2' = 3(g1^2 + ξ·g5^2) - 2g2, g3' = 6ξ·g1·g5 + 2g3 and
    /// g5' = 6·g2·g3 + 2g5; 2·g2·g3 taken as (g2 + g3)^2 - g2^2 - g3^2, and ξ·2·g1·g5 from three products. The squares'
    /// parts lie below p^2, so their sums are formed exactly (biased by multiples of p^2 where they subtract), which
    /// needs no modular corrections.
    /// </remarks>
    public CompressedCyclotomic Square() => FpKernels.IsNative ? FpKernels.CyclotomicSquare(this) : SquareManaged(this);

    /// <summary>The square in managed code.</summary>
    internal static CompressedCyclotomic SquareManaged(in CompressedCyclotomic g)
    {
        Fp2Wide s1 = Fp2Wide.Square(g.G1);
        Fp2Wide s2 = Fp2Wide.Square(g.G2);
        Fp2Wide s3 = Fp2Wide.Square(g.G3);
        Fp2Wide s5 = Fp2Wide.Square(g.G5);
        Fp2Wide s23 = Fp2Wide.SquareSum(g.G2, g.G3);

        Fp2 t1 = Fp2Wide.AddMulByNonresidue(s3, s2).Reduce();
        Fp2 t2 = Fp2Wide.AddMulByNonresidue(s1, s5).Reduce();
        Fp2 t3 = Fp2Wide.MultiplyByNonresidue(g.G1.Double(), g.G5).Reduce();
        Fp2 t5 = Fp2Wide.SubtractBiased(s23, s2, s3).Reduce();
        return new CompressedCyclotomic(Fp12.TripleMinusTwice(t1, g.G1), Fp12.TripleMinusTwice(t2, g.G2), Fp12.TriplePlusTwice(t3, g.G3), Fp12.TriplePlusTwice(t5, g.G5));
    }

    /// <summary>
    /// Decompresses several elements with one shared inversion: g4 = (ξ·g5^2 + 3g1^2 - 2g2) / 4g3, or 2·g1·g5 / g2
    /// when g3 = 0 (and the element is 1 when g2 = g3 = 0), then g0 = ξ·(2g4^2 + g3·g5 - 3g1·g2) + 1.
    /// </summary>
    public static void DecompressBatch(ReadOnlySpan<CompressedCyclotomic> compressed, Span<Fp12> result)
    {
        if (result.Length != compressed.Length)
        {
            throw new ArgumentException("One output per compressed element.", nameof(result));
        }

        int n = compressed.Length;
        Span<Fp2> numerators = n <= 8 ? stackalloc Fp2[n] : new Fp2[n];
        Span<Fp2> denominators = n <= 8 ? stackalloc Fp2[n] : new Fp2[n];
        for (int i = 0; i < n; i++)
        {
            ref readonly CompressedCyclotomic c = ref compressed[i];
            if (!c.G3.IsZero)
            {
                Fp2 g1Squared = c.G1.Square();
                Fp2 d = g1Squared - c.G2;
                numerators[i] = c.G5.Square().MulByNonresidue() + d + d + g1Squared;
                Fp2 g3Twice = c.G3.Double();
                denominators[i] = g3Twice.Double();
            }
            else
            {
                Fp2 p = c.G1 * c.G5;
                numerators[i] = p.Double();
                // g2 = 0 too means the element is 1; a denominator of 1 keeps the batch inversion well defined.
                denominators[i] = c.G2.IsZero ? Fp2.One : c.G2;
            }
        }

        BatchInvertVartime(denominators);
        for (int i = 0; i < n; i++)
        {
            ref readonly CompressedCyclotomic c = ref compressed[i];
            if (c.G2.IsZero && c.G3.IsZero)
            {
                result[i] = Fp12.One;
                continue;
            }

            Fp2 g4 = numerators[i] * denominators[i];
            Fp2 g1g2 = c.G1 * c.G2;
            Fp2 g4Squared = g4.Square();
            Fp2 t = g4Squared - g1g2;
            Fp2 g0 = (t + t - g1g2 + c.G3 * c.G5).MulByNonresidue() + Fp2.One;
            result[i] = new Fp12(new Fp6(g0, c.G1, c.G2), new Fp6(c.G3, g4, c.G5));
        }
    }

    // Montgomery's trick: one inversion and 3(n - 1) multiplications for n nonzero values.
    private static void BatchInvertVartime(Span<Fp2> values)
    {
        if (values.Length == 0)
        {
            return;
        }

        Span<Fp2> prefix = values.Length <= 8 ? stackalloc Fp2[values.Length] : new Fp2[values.Length];
        Fp2 acc = Fp2.One;
        for (int i = 0; i < values.Length; i++)
        {
            prefix[i] = acc;
            acc *= values[i];
        }

        Fp2 inv = acc.InvertVartime();
        for (int i = values.Length - 1; i >= 0; i--)
        {
            Fp2 v = values[i];
            values[i] = inv * prefix[i];
            inv *= v;
        }
    }
}
