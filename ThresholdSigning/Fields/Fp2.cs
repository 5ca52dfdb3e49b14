using System.Numerics;
using System.Runtime.CompilerServices;

using InternetIdentity.ThresholdSigning.Fields.Native;

namespace InternetIdentity.ThresholdSigning.Fields;

/// <summary>An element c0 + c1·u of F_p2 = F_p[u]/(u^2 + 1).</summary>
public readonly struct Fp2 : IEquatable<Fp2>, IField<Fp2>
{
    /// <summary>The constant coefficient.</summary>
    public readonly Fp C0;

    /// <summary>The coefficient of u.</summary>
    public readonly Fp C1;

    /// <summary>Creates c0 + c1·u.</summary>
    public Fp2(in Fp c0, in Fp c1)
    {
        C0 = c0;
        C1 = c1;
    }

    /// <summary>The additive identity.</summary>
    public static readonly Fp2 Zero = default;

    /// <summary>The multiplicative identity.</summary>
    public static readonly Fp2 One = new(Fp.One, Fp.Zero);

    /// <summary>Whether this is zero.</summary>
    public bool IsZero => C0.IsZero && C1.IsZero;

    /// <summary>Addition.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 operator +(in Fp2 a, in Fp2 b) => new(a.C0 + b.C0, a.C1 + b.C1);

    /// <summary>Subtraction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 operator -(in Fp2 a, in Fp2 b) => new(a.C0 - b.C0, a.C1 - b.C1);

    /// <summary>Negation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 operator -(in Fp2 a) => new(-a.C0, -a.C1);

    /// <summary>Multiplication.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 operator *(in Fp2 a, in Fp2 b) =>
        FpKernels.IsNative ? FpKernels.Fp2Multiply(a, b) : MultiplyManaged(a, b);

    /// <summary>Karatsuba multiplication in managed code: three base-field products.</summary>
    internal static Fp2 MultiplyManaged(in Fp2 a, in Fp2 b)
    {
        Fp v0 = Fp.MultiplyManaged(a.C0, b.C0);
        Fp v1 = Fp.MultiplyManaged(a.C1, b.C1);
        Fp s = Fp.MultiplyManaged(a.C0 + a.C1, b.C0 + b.C1);
        return new Fp2(v0 - v1, s - v0 - v1);
    }

    /// <summary>Multiplication by a base-field element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2 operator *(in Fp2 a, in Fp b) => new(a.C0 * b, a.C1 * b);

    /// <summary>Squaring.</summary>
    public Fp2 Square() => FpKernels.IsNative ? FpKernels.Fp2Square(this) : SquareManaged(this);

    /// <summary>Complex squaring in managed code: (a+b)(a-b) + 2ab·u, two base-field products.</summary>
    internal static Fp2 SquareManaged(in Fp2 a)
    {
        Fp t = Fp.MultiplyManaged(a.C0, a.C1);
        return new Fp2(Fp.MultiplyManaged(a.C0 + a.C1, a.C0 - a.C1), t + t);
    }

    /// <summary>Twice this element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fp2 Double() => new(C0.Double(), C1.Double());

    /// <summary>The conjugate c0 - c1·u, which is also the p-power Frobenius map.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fp2 Conjugate() => new(C0, -C1);

    /// <summary>Multiplication by the sextic non-residue ξ = u + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fp2 MulByNonresidue() => new(C0 - C1, C0 + C1);

    /// <summary>The norm c0^2 + c1^2, an element of F_p.</summary>
    public Fp Norm() => C0.Square() + C1.Square();

    /// <summary>The multiplicative inverse; the inverse of zero is zero.</summary>
    public Fp2 Invert()
    {
        Fp inv = Norm().Invert();
        return new Fp2(C0 * inv, -(C1 * inv));
    }

    /// <summary>The multiplicative inverse in variable time (public values only); zero maps to zero.</summary>
    public Fp2 InvertVartime()
    {
        Fp inv = Norm().InvertVartime();
        return new Fp2(C0 * inv, -(C1 * inv));
    }

    /// <summary>Raises to a power given as little-endian 64-bit words (variable time; public exponents only).</summary>
    public Fp2 Pow(ReadOnlySpan<ulong> exponent)
    {
        Fp2 result = One;
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

    private static readonly ulong[] s_pMinus3Over4 = Fp.PMinus3Over4;
    private static readonly ulong[] s_pMinus1Over2 = Fp.WordsOf((Fp.Modulus - 1) / 2);

    /// <summary>A square root if one exists (Adj and Rodríguez-Henríquez, Algorithm 9, for p = 3 mod 4).</summary>
    public bool TrySqrt(out Fp2 root)
    {
        if (IsZero)
        {
            root = Zero;
            return true;
        }

        Fp2 a1 = Pow(s_pMinus3Over4);
        Fp2 alpha = a1.Square() * this;
        Fp2 x0 = a1 * this;
        Fp2 candidate;
        var minusOne = new Fp2(-Fp.One, Fp.Zero);
        if (alpha.Equals(minusOne))
        {
            // x0 · u
            candidate = new Fp2(-x0.C1, x0.C0);
        }
        else
        {
            Fp2 b = (One + alpha).Pow(s_pMinus1Over2);
            candidate = b * x0;
        }

        root = candidate;
        return candidate.Square().Equals(this);
    }

    /// <summary>RFC 9380 sgn0 for m = 2.</summary>
    public bool Sgn0
    {
        get
        {
            bool sign0 = C0.Sgn0;
            bool zero0 = C0.IsZero;
            bool sign1 = C1.Sgn0;
            return sign0 || (zero0 && sign1);
        }
    }

    /// <summary>The ZCash sort-flag rule: decided on c1, or on c0 when c1 is zero.</summary>
    public bool IsLexicographicallyLargest =>
        C1.IsLexicographicallyLargest || (C1.IsZero && C0.IsLexicographicallyLargest);

    /// <summary>Branch-free choice: <paramref name="b"/> if <paramref name="choice"/>, else <paramref name="a"/>.</summary>
    public static Fp2 Select(in Fp2 a, in Fp2 b, bool choice) =>
        new(Fp.Select(a.C0, b.C0, choice), Fp.Select(a.C1, b.C1, choice));

    /// <summary>Creates an element from two integers.</summary>
    public static Fp2 FromBigIntegers(BigInteger c0, BigInteger c1) => new(Fp.FromBigInteger(c0), Fp.FromBigInteger(c1));

    /// <inheritdoc/>
    public bool Equals(Fp2 other) => C0.Equals(other.C0) && C1.Equals(other.C1);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp2 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(C0, C1);

    /// <summary>Equality.</summary>
    public static bool operator ==(in Fp2 a, in Fp2 b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(in Fp2 a, in Fp2 b) => !a.Equals(b);

    /// <inheritdoc/>
    public override string ToString() => $"({C0}, {C1})";

    static Fp2 IField<Fp2>.Zero => Zero;
    static Fp2 IField<Fp2>.One => One;
    static Fp2 IField<Fp2>.Add(in Fp2 a, in Fp2 b) => a + b;
    static Fp2 IField<Fp2>.Sub(in Fp2 a, in Fp2 b) => a - b;
    static Fp2 IField<Fp2>.Mul(in Fp2 a, in Fp2 b) => a * b;
    static Fp2 IField<Fp2>.Sqr(in Fp2 a) => a.Square();
    static Fp2 IField<Fp2>.Neg(in Fp2 a) => -a;
    static Fp2 IField<Fp2>.Dbl(in Fp2 a) => a.Double();
    static Fp2 IField<Fp2>.Inv(in Fp2 a) => a.Invert();
    static Fp2 IField<Fp2>.InvVartime(in Fp2 a) => a.InvertVartime();
    static Fp2 IField<Fp2>.Choose(in Fp2 a, in Fp2 b, bool choice) => Select(a, b, choice);
    static bool IField<Fp2>.IsZeroElement(in Fp2 a) => a.IsZero;
    static bool IField<Fp2>.AreEqual(in Fp2 a, in Fp2 b) => a.Equals(b);
}
