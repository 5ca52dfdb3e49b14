using System.Numerics;
using System.Runtime.CompilerServices;

using InternetIdentity.ThresholdSigning.Fields.Native;

namespace InternetIdentity.ThresholdSigning.Fields;

/// <summary>An element c0 + c1·v + c2·v^2 of F_p6 = F_p2[v]/(v^3 - ξ), with ξ = u + 1.</summary>
public readonly struct Fp6 : IEquatable<Fp6>
{
    /// <summary>The constant coefficient.</summary>
    public readonly Fp2 C0;

    /// <summary>The coefficient of v.</summary>
    public readonly Fp2 C1;

    /// <summary>The coefficient of v^2.</summary>
    public readonly Fp2 C2;

    /// <summary>Creates c0 + c1·v + c2·v^2.</summary>
    public Fp6(in Fp2 c0, in Fp2 c1, in Fp2 c2)
    {
        C0 = c0;
        C1 = c1;
        C2 = c2;
    }

    /// <summary>The additive identity.</summary>
    public static readonly Fp6 Zero = default;

    /// <summary>The multiplicative identity.</summary>
    public static readonly Fp6 One = new(Fp2.One, Fp2.Zero, Fp2.Zero);

    /// <summary>Whether this is zero.</summary>
    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    // Additive operations are out of line so that the F_p carry helpers inline inside them (see FpWide).

    /// <summary>Addition.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp6 operator +(in Fp6 a, in Fp6 b) => FpKernels.IsNative ? FpKernels.Fp6Add(a, b) : AddManaged(a, b);

    /// <summary>Addition in managed code.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Fp6 AddManaged(in Fp6 a, in Fp6 b) => new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2);

    /// <summary>Subtraction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp6 operator -(in Fp6 a, in Fp6 b) => FpKernels.IsNative ? FpKernels.Fp6Subtract(a, b) : SubtractManaged(a, b);

    /// <summary>Subtraction in managed code.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Fp6 SubtractManaged(in Fp6 a, in Fp6 b) => new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2);

    /// <summary>Negation.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Fp6 operator -(in Fp6 a) => new(-a.C0, -a.C1, -a.C2);

    /// <summary>Multiplication.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp6 operator *(in Fp6 a, in Fp6 b) =>
        FpKernels.IsNative ? FpKernels.Fp6Multiply(a, b) : MultiplyManaged(a, b);

    /// <summary>
    /// Karatsuba multiplication in managed code: six F_p2 products, formed at double width and reduced once per
    /// coefficient.
    /// </summary>
    internal static Fp6 MultiplyManaged(in Fp6 a, in Fp6 b)
    {
        Fp2Wide t0 = Fp2Wide.Multiply(a.C0, b.C0);
        Fp2Wide t1 = Fp2Wide.Multiply(a.C1, b.C1);
        Fp2Wide t2 = Fp2Wide.Multiply(a.C2, b.C2);
        Fp2Wide m12 = Fp2Wide.MultiplyUnreducedSums(a.C1, a.C2, b.C1, b.C2);
        Fp2Wide m01 = Fp2Wide.MultiplyUnreducedSums(a.C0, a.C1, b.C0, b.C1);
        Fp2Wide m02 = Fp2Wide.MultiplyUnreducedSums(a.C0, a.C2, b.C0, b.C2);

        // u-parts are exact integers (see Fp2Wide.Multiply): m_ij.u - t_i.u - t_j.u is the cross term, non-negative
        // and below 4p^2, and sums of at most three such terms stay below 6p^2 < p·2^384, so they need no modular
        // correction. Real parts, and anything mixed with them, use the modular operations.
        FpWide d12Re = m12.C0 - t1.C0 - t2.C0;
        FpWide d12U = FpWide.SubtractExact(m12.C1, t1.C1, t2.C1);
        FpWide d01U = FpWide.SubtractExact(m01.C1, t0.C1, t1.C1);
        FpWide d02U = FpWide.SubtractExact(m02.C1, t0.C1, t2.C1);

        // c0 = ξ·(a1·b2 + a2·b1) + a0·b0
        var c0 = new Fp2((d12Re - d12U + t0.C0).Reduce(), (d12Re + FpWide.AddExact(d12U, t0.C1)).Reduce());

        // c1 = a0·b1 + a1·b0 + ξ·a2·b2
        var c1 = new Fp2(
            (m01.C0 - t0.C0 - t1.C0 + t2.C0 - t2.C1).Reduce(),
            (FpWide.AddExact(d01U, t2.C1) + t2.C0).Reduce());

        // c2 = a0·b2 + a2·b0 + a1·b1
        var c2 = new Fp2((m02.C0 - t0.C0 - t2.C0 + t1.C0).Reduce(), FpWide.AddExact(d02U, t1.C1).Reduce());
        return new Fp6(c0, c1, c2);
    }

    /// <summary>Multiplication by an F_p2 scalar.</summary>
    public static Fp6 operator *(in Fp6 a, in Fp2 b) =>
        new(Fp2Wide.MultiplyReduced(a.C0, b), Fp2Wide.MultiplyReduced(a.C1, b), Fp2Wide.MultiplyReduced(a.C2, b));

    /// <summary>Squaring (Chung–Hasan SQR2): two F_p2 products and three squarings.</summary>
    public Fp6 Square()
    {
        Fp2Wide s0 = Fp2Wide.Square(C0);
        Fp2Wide ab = Fp2Wide.Multiply(C0, C1);
        Fp2Wide s1 = ab + ab;
        Fp2Wide s2 = Fp2Wide.Square(C0 - C1 + C2);
        Fp2Wide bc = Fp2Wide.Multiply(C1, C2);
        Fp2Wide s3 = bc + bc;
        Fp2Wide s4 = Fp2Wide.Square(C2);
        return new Fp6(
            (s3.MulByNonresidue() + s0).Reduce(),
            (s4.MulByNonresidue() + s1).Reduce(),
            (s1 + s2 + s3 - s0 - s4).Reduce());
    }

    /// <summary>Multiplication by v: (c0, c1, c2) ↦ (ξ·c2, c0, c1).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public Fp6 MulByNonresidue() => new(C2.MulByNonresidue(), C0, C1);

    /// <summary>Multiplication by the sparse element b0 + b1·v: five F_p2 products (lazily reduced).</summary>
    public Fp6 MulBy01(in Fp2 b0, in Fp2 b1)
    {
        Fp2Wide t0 = Fp2Wide.Multiply(C0, b0);
        Fp2Wide t1 = Fp2Wide.Multiply(C1, b1);
        Fp2Wide m12 = Fp2Wide.MultiplyUnreducedSum(C1, C2, b1);
        Fp2Wide m01 = Fp2Wide.MultiplyUnreducedSums(C0, C1, b0, b1);
        Fp2Wide m02 = Fp2Wide.MultiplyUnreducedSum(C0, C2, b0);

        // As in the full product: exact u-parts, modular real parts.
        FpWide d12Re = m12.C0 - t1.C0;
        FpWide d12U = FpWide.SubtractExact(m12.C1, t1.C1);

        // c0 = ξ·c2·b1 + c0·b0, c1 = c0·b1 + c1·b0, c2 = c2·b0 + c1·b1
        var c0 = new Fp2((d12Re - d12U + t0.C0).Reduce(), (d12Re + FpWide.AddExact(d12U, t0.C1)).Reduce());
        var c1 = new Fp2(
            (m01.C0 - t0.C0 - t1.C0).Reduce(),
            FpWide.SubtractExact(m01.C1, t0.C1, t1.C1).Reduce());
        var c2 = new Fp2(
            (m02.C0 - t0.C0 + t1.C0).Reduce(),
            FpWide.AddExact(FpWide.SubtractExact(m02.C1, t0.C1), t1.C1).Reduce());
        return new Fp6(c0, c1, c2);
    }

    /// <summary>Multiplication by the sparse element b1·v: three F_p2 products.</summary>
    public Fp6 MulBy1(in Fp2 b1) => new(
        Fp2Wide.Multiply(C2, b1).MulByNonresidue().Reduce(),
        Fp2Wide.MultiplyReduced(C0, b1),
        Fp2Wide.MultiplyReduced(C1, b1));

    /// <summary>The multiplicative inverse through the F_p2 norm; the inverse of zero is zero.</summary>
    public Fp6 Invert() => Invert(vartime: false);

    /// <summary>The multiplicative inverse in variable time (public values only); zero maps to zero.</summary>
    public Fp6 InvertVartime() => Invert(vartime: true);

    private Fp6 Invert(bool vartime)
    {
        Fp2 a = (Fp2Wide.Square(C0) - Fp2Wide.Multiply(C1, C2).MulByNonresidue()).Reduce();
        Fp2 b = (Fp2Wide.Square(C2).MulByNonresidue() - Fp2Wide.Multiply(C0, C1)).Reduce();
        Fp2 c = (Fp2Wide.Square(C1) - Fp2Wide.Multiply(C0, C2)).Reduce();
        Fp2 norm = (Fp2Wide.Multiply(C0, a) + (Fp2Wide.Multiply(C2, b) + Fp2Wide.Multiply(C1, c)).MulByNonresidue()).Reduce();
        Fp2 inv = vartime ? norm.InvertVartime() : norm.Invert();
        return new Fp6(Fp2Wide.MultiplyReduced(a, inv), Fp2Wide.MultiplyReduced(b, inv), Fp2Wide.MultiplyReduced(c, inv));
    }

    // v^(p^k - 1) = ξ^((p^k - 1)/3) and v^(2(p^k - 1)) = ξ^(2(p^k - 1)/3), for k = 1, 2, 3 (index k - 1).
    private static readonly Fp2[] s_frobeniusV = FrobeniusConstants(1);
    private static readonly Fp2[] s_frobeniusV2 = FrobeniusConstants(2);

    // For k = 2 both constants lie in F_p, so the map costs four F_p products.
    private static readonly Fp s_frobeniusV_2 = RequireBaseField(s_frobeniusV[1]);
    private static readonly Fp s_frobeniusV2_2 = RequireBaseField(s_frobeniusV2[1]);

    private static Fp2[] FrobeniusConstants(int numerator)
    {
        var xi = new Fp2(Fp.One, Fp.One);
        var result = new Fp2[3];
        BigInteger pk = 1;
        for (int k = 1; k <= 3; k++)
        {
            pk *= Fp.Modulus;
            result[k - 1] = xi.Pow(ExponentWords(numerator * (pk - 1) / 3));
        }

        return result;
    }

    private static Fp RequireBaseField(in Fp2 value) =>
        value.C1.IsZero ? value.C0 : throw new InvalidOperationException("Frobenius constant expected in F_p");

    /// <summary>Little-endian 64-bit words of a non-negative integer (for public exponents).</summary>
    internal static ulong[] ExponentWords(BigInteger value)
    {
        var words = new List<ulong>();
        while (value > 0)
        {
            words.Add((ulong)(value & ulong.MaxValue));
            value >>= 64;
        }

        return words.ToArray();
    }

    /// <summary>The Frobenius map x ↦ x^(p^power) for power 1, 2 or 3.</summary>
    public Fp6 FrobeniusMap(int power)
    {
        switch (power)
        {
            case 1:
            case 3:
                int i = power - 1;
                return new Fp6(
                    C0.Conjugate(),
                    Fp2Wide.MultiplyReduced(C1.Conjugate(), s_frobeniusV[i]),
                    Fp2Wide.MultiplyReduced(C2.Conjugate(), s_frobeniusV2[i]));
            case 2:
                return new Fp6(C0, Fp2Wide.MultiplyReduced(C1, s_frobeniusV_2), Fp2Wide.MultiplyReduced(C2, s_frobeniusV2_2));
            default:
                throw new ArgumentOutOfRangeException(nameof(power), power, "Frobenius power must be 1, 2 or 3.");
        }
    }

    /// <inheritdoc/>
    public bool Equals(Fp6 other) => C0.Equals(other.C0) && C1.Equals(other.C1) && C2.Equals(other.C2);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp6 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);

    /// <summary>Equality.</summary>
    public static bool operator ==(in Fp6 a, in Fp6 b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(in Fp6 a, in Fp6 b) => !a.Equals(b);

    /// <inheritdoc/>
    public override string ToString() => $"({C0}, {C1}, {C2})";
}
