using System.Numerics;
using System.Runtime.CompilerServices;

namespace InternetIdentity.ThresholdSigning.Fields;

/// <summary>An element c0 + c1·w of F_p12 = F_p6[w]/(w^2 - v), the field holding the pairing's target group.</summary>
public readonly struct Fp12 : IEquatable<Fp12>
{
    /// <summary>The constant coefficient.</summary>
    public readonly Fp6 C0;

    /// <summary>The coefficient of w.</summary>
    public readonly Fp6 C1;

    /// <summary>Creates c0 + c1·w.</summary>
    public Fp12(in Fp6 c0, in Fp6 c1)
    {
        C0 = c0;
        C1 = c1;
    }

    /// <summary>The additive identity.</summary>
    public static readonly Fp12 Zero = default;

    /// <summary>The multiplicative identity.</summary>
    public static readonly Fp12 One = new(Fp6.One, Fp6.Zero);

    /// <summary>Whether this is zero.</summary>
    public bool IsZero => C0.IsZero && C1.IsZero;

    /// <summary>Whether this is one.</summary>
    public bool IsOne => Equals(One);

    /// <summary>Addition.</summary>
    public static Fp12 operator +(in Fp12 a, in Fp12 b) => new(a.C0 + b.C0, a.C1 + b.C1);

    /// <summary>Subtraction.</summary>
    public static Fp12 operator -(in Fp12 a, in Fp12 b) => new(a.C0 - b.C0, a.C1 - b.C1);

    /// <summary>Negation.</summary>
    public static Fp12 operator -(in Fp12 a) => new(-a.C0, -a.C1);

    /// <summary>Karatsuba multiplication: three F_p6 products.</summary>
    public static Fp12 operator *(in Fp12 a, in Fp12 b)
    {
        Fp6 t0 = a.C0 * b.C0;
        Fp6 t1 = a.C1 * b.C1;
        Fp6 c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1;
        return new Fp12(t0 + t1.MulByNonresidue(), c1);
    }

    /// <summary>Complex squaring: two F_p6 products.</summary>
    public Fp12 Square()
    {
        Fp6 t = C0 * C1;
        Fp6 c0 = (C0 + C1) * (C0 + C1.MulByNonresidue()) - t - t.MulByNonresidue();
        return new Fp12(c0, t + t);
    }

    /// <summary>The conjugate c0 - c1·w, which is x^(p^6); on the cyclotomic subgroup it is the inverse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fp12 Conjugate() => new(C0, -C1);

    /// <summary>The multiplicative inverse, reduced to one F_p inversion; the inverse of zero is zero.</summary>
    public Fp12 Invert()
    {
        Fp6 inv = (C0.Square() - C1.Square().MulByNonresidue()).Invert();
        return new Fp12(C0 * inv, -(C1 * inv));
    }

    /// <summary>The multiplicative inverse in variable time (public values only, such as Miller-loop outputs).</summary>
    public Fp12 InvertVartime()
    {
        Fp6 inv = (C0.Square() - C1.Square().MulByNonresidue()).InvertVartime();
        return new Fp12(C0 * inv, -(C1 * inv));
    }

    /// <summary>
    /// Multiplication by the sparse element c0 + c1·v + c4·v·w (F_p2 slots 0, 1 and 4), the shape of a Miller-loop
    /// line: thirteen F_p2 products instead of eighteen.
    /// </summary>
    public Fp12 MulBy014(in Fp2 c0, in Fp2 c1, in Fp2 c4)
    {
        Fp6 aa = C0.MulBy01(c0, c1);
        Fp6 bb = C1.MulBy1(c4);
        Fp6 sum = (C0 + C1).MulBy01(c0, c1 + c4);
        return new Fp12(bb.MulByNonresidue() + aa, sum - aa - bb);
    }

    /// <summary>
    /// Multiplication by the product of two line-shaped sparse elements a0 + a1·v + a4·v·w and b0 + b1·v + b4·v·w,
    /// formed first (six F_p2 products; its w-part has no constant slot), then multiplied in with seventeen: 23 F_p2
    /// products where two <see cref="MulBy014"/> calls take 26, as for the two lines of each step of a two-pair
    /// Miller loop.
    /// </summary>
    internal Fp12 MulBy014Pair(in Fp2 a0, in Fp2 a1, in Fp2 a4, in Fp2 b0, in Fp2 b1, in Fp2 b4)
    {
        // (A0 + A1·w)(B0 + B1·w) with A0 = a0 + a1·v, A1 = a4·v (likewise B): the constant part A0·B0 + ξ·a4·b4, the
        // w-part (a0·b4 + a4·b0)·v + (a1·b4 + a4·b1)·v^2, each cross sum by Karatsuba from the three products.
        Fp2Wide t0 = Fp2Wide.Multiply(a0, b0);
        Fp2Wide t1 = Fp2Wide.Multiply(a1, b1);
        Fp2Wide t4 = Fp2Wide.Multiply(a4, b4);
        Fp2 x0 = (t0 + t4.MulByNonresidue()).Reduce();
        Fp2 x1 = CrossSum(Fp2Wide.MultiplyUnreducedSums(a0, a1, b0, b1), t0, t1);
        Fp2 x2 = t1.Reduce();
        Fp2 y1 = CrossSum(Fp2Wide.MultiplyUnreducedSums(a0, a4, b0, b4), t0, t4);
        Fp2 y2 = CrossSum(Fp2Wide.MultiplyUnreducedSums(a1, a4, b1, b4), t1, t4);

        // Karatsuba over F_p6 with the sparse w-part y1·v + y2·v^2 = v·(y1 + y2·v).
        Fp6 aa = C0 * new Fp6(x0, x1, x2);
        Fp6 bb = C1.MulBy01(y1, y2).MulByNonresidue();
        Fp6 sum = (C0 + C1) * new Fp6(x0, x1 + y1, x2 + y2);
        return new Fp12(bb.MulByNonresidue() + aa, sum - aa - bb);
    }

    // The Karatsuba cross sum m - s - t reduced, for m a product of unreduced sums: its u-part is then the exact sum of
    // the cross products, so the u-part subtracts without modular corrections (as in the F_p6 product).
    private static Fp2 CrossSum(in Fp2Wide m, in Fp2Wide s, in Fp2Wide t) =>
        new((m.C0 - s.C0 - t.C0).Reduce(), FpWide.SubtractExact(m.C1, s.C1, t.C1).Reduce());

    // w^(p^k - 1) = ξ^((p^k - 1)/6) for k = 1, 2, 3 (index k - 1).
    private static readonly Fp2[] s_frobeniusW = FrobeniusConstants();

    private static Fp2[] FrobeniusConstants()
    {
        var xi = new Fp2(Fp.One, Fp.One);
        var result = new Fp2[3];
        BigInteger pk = 1;
        for (int k = 1; k <= 3; k++)
        {
            pk *= Fp.Modulus;
            result[k - 1] = xi.Pow(Fp6.ExponentWords((pk - 1) / 6));
        }

        return result;
    }

    /// <summary>The Frobenius map x ↦ x^(p^power) for power 1, 2 or 3.</summary>
    public Fp12 FrobeniusMap(int power)
    {
        if (power is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(power), power, "Frobenius power must be 1, 2 or 3.");
        }

        return new Fp12(C0.FrobeniusMap(power), C1.FrobeniusMap(power) * s_frobeniusW[power - 1]);
    }

    /// <summary>
    /// Granger–Scott squaring, valid only in the cyclotomic subgroup (norm 1 down to F_p6 and F_p2, which every
    /// output of the easy part of the final exponentiation is): nine F_p2 squarings instead of a full square.
    /// </summary>
    public Fp12 CyclotomicSquare()
    {
        // View the element as A + B·w + C·w^2 over F_p4 = F_p2[w^3]/((w^3)^2 - ξ):
        // A = (c0.c0, c1.c1), B = (c1.c0, c0.c2), C = (c0.c1, c1.c2). Then
        // A' = 3A^2 - 2·conj(A), B' = 3·w^3·C^2 + 2·conj(B), C' = 3B^2 - 2·conj(C).
        Fp4Square(C0.C0, C1.C1, out Fp2 a0, out Fp2 a1);
        Fp4Square(C1.C0, C0.C2, out Fp2 b0, out Fp2 b1);
        Fp4Square(C0.C1, C1.C2, out Fp2 c0, out Fp2 c1);

        Fp2 z0 = TripleMinusTwice(a0, C0.C0);
        Fp2 z1 = TriplePlusTwice(a1, C1.C1);
        Fp2 z2 = TriplePlusTwice(c1.MulByNonresidue(), C1.C0);
        Fp2 z3 = TripleMinusTwice(c0, C0.C2);
        Fp2 z4 = TripleMinusTwice(b0, C0.C1);
        Fp2 z5 = TriplePlusTwice(b1, C1.C2);
        return new Fp12(new Fp6(z0, z4, z3), new Fp6(z2, z1, z5));
    }

    // 3·t - 2·z computed as 2·(t - z) + t (cyclotomic squaring, plain and compressed). Out of line so the F_p helpers inline here (see FpWide).
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Fp2 TripleMinusTwice(in Fp2 t, in Fp2 z)
    {
        Fp2 d = t - z;
        return d + d + t;
    }

    // 3·t + 2·z computed as 2·(t + z) + t.
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Fp2 TriplePlusTwice(in Fp2 t, in Fp2 z)
    {
        Fp2 s = t + z;
        return s + s + t;
    }

    // (a + b·γ)^2 with γ^2 = ξ: (a^2 + ξ·b^2) + ((a + b)^2 - a^2 - b^2)·γ, reduced once per coefficient.
    // Bounds (all products of values below 2p or 4p stay below 8p^2 < p·2^384): the u-parts 2·a0·a1 and 2·b0·b1 are
    // exact integers, so the sums and the difference 2(a0 + b0)(a1 + b1) - 2·a0·a1 - 2·b0·b1 need no modular
    // correction; only the differences involving the complex-squaring real parts are taken modulo p·2^384.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fp4Square(in Fp2 a, in Fp2 b, out Fp2 c0, out Fp2 c1)
    {
        FpWide a2Re = FpWide.Multiply(a.C0 + a.C1, a.C0 - a.C1);
        FpWide a2Im = FpWide.Multiply(FpWide.AddUnreduced(a.C0, a.C0), a.C1);
        FpWide b2Re = FpWide.Multiply(b.C0 + b.C1, b.C0 - b.C1);
        FpWide b2Im = FpWide.Multiply(FpWide.AddUnreduced(b.C0, b.C0), b.C1);

        // a^2 + ξ·b^2 = (a2Re + b2Re - b2Im) + (a2Im + b2Re + b2Im)·u.
        c0 = new Fp2(
            (FpWide.AddExact(a2Re, b2Re) - b2Im).Reduce(),
            FpWide.AddExact(FpWide.AddExact(a2Im, b2Re), b2Im).Reduce());

        // (a + b)^2 - a^2 - b^2: real part via the reduced sum, u-part exactly via the unreduced sums.
        Fp2 sum = a + b;
        FpWide s2Re = FpWide.Multiply(sum.C0 + sum.C1, sum.C0 - sum.C1);
        Fp s0 = FpWide.AddUnreduced(a.C0, b.C0);
        FpWide s2Im = FpWide.Multiply(FpWide.AddUnreduced(s0, s0), FpWide.AddUnreduced(a.C1, b.C1));
        c1 = new Fp2(
            (s2Re - a2Re - b2Re).Reduce(),
            FpWide.SubtractExact(s2Im, a2Im, b2Im).Reduce());
    }

    /// <summary>The BLS12-381 parameter |x| = 0xd201000000010000 (x itself is negative).</summary>
    public const ulong BlsXMagnitude = 0xd201000000010000;

    /// <summary>x^|x| by cyclotomic squarings (valid only in the cyclotomic subgroup).</summary>
    public Fp12 CyclotomicExpByXMagnitude()
    {
        Fp12 result = this;
        for (int bit = 62; bit >= 0; bit--)
        {
            result = result.CyclotomicSquare();
            if (((BlsXMagnitude >> bit) & 1) == 1)
            {
                result *= this;
            }
        }

        return result;
    }

    // The six set bits of |x| = 2^63 + 2^62 + 2^60 + 2^57 + 2^48 + 2^16.
    private const int XMagnitudeWeight = 6;

    /// <summary>
    /// x^|x| by Karabina's compressed squarings: the powers x^(2^i) for the six set bits i of |x| are kept compressed,
    /// decompressed together with one inversion, and multiplied (valid only in the cyclotomic subgroup; variable time,
    /// for public values such as pairing outputs).
    /// </summary>
    public Fp12 CyclotomicExpByXMagnitudeCompressed()
    {
        Span<CompressedCyclotomic> powers = stackalloc CompressedCyclotomic[XMagnitudeWeight];
        CompressedCyclotomic c = CompressedCyclotomic.From(this);
        int k = 0;
        for (int bit = 1; bit < 64; bit++)
        {
            c = c.Square();
            if (((BlsXMagnitude >> bit) & 1) == 1)
            {
                powers[k++] = c;
            }
        }

        Span<Fp12> full = stackalloc Fp12[XMagnitudeWeight];
        CompressedCyclotomic.DecompressBatch(powers, full);
        Fp12 result = full[0];
        for (int i = 1; i < full.Length; i++)
        {
            result *= full[i];
        }

        return result;
    }

    /// <summary>
    /// x^x for the negative BLS parameter x: the |x| power by compressed squarings, conjugated (valid only in the
    /// cyclotomic subgroup; variable time, for public values).
    /// </summary>
    public Fp12 CyclotomicExpByX() => CyclotomicExpByXMagnitudeCompressed().Conjugate();

    /// <summary>Raises to a power given as little-endian 64-bit words (variable time; public exponents only).</summary>
    public Fp12 Pow(ReadOnlySpan<ulong> exponent)
    {
        Fp12 result = One;
        for (int i = exponent.Length - 1; i >= 0; i--)
        {
            for (int bit = 63; bit >= 0; bit--)
            {
                result = result.Square();
                if (((exponent[i] >> bit) & 1) == 1)
                {
                    result *= this;
                }
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public bool Equals(Fp12 other) => C0.Equals(other.C0) && C1.Equals(other.C1);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp12 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(C0, C1);

    /// <summary>Equality.</summary>
    public static bool operator ==(in Fp12 a, in Fp12 b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(in Fp12 a, in Fp12 b) => !a.Equals(b);

    /// <inheritdoc/>
    public override string ToString() => $"({C0}, {C1})";
}
