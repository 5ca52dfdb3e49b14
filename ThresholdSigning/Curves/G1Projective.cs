using System.Numerics;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>A point of E1 (G1 and its cofactor multiples) in Jacobian coordinates.</summary>
public readonly struct G1Projective : IEquatable<G1Projective>
{
    internal readonly Jacobian<Fp, G1Curve> P;

    internal G1Projective(in Jacobian<Fp, G1Curve> p)
    {
        P = p;
    }

    /// <summary>The identity (point at infinity).</summary>
    public static G1Projective Identity => new(Jacobian<Fp, G1Curve>.Identity);

    /// <summary>The standard generator of G1.</summary>
    public static readonly G1Projective Generator = FromAffine(new G1Affine(
        Fp.FromBigInteger(BigInteger.Parse("017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb", System.Globalization.NumberStyles.HexNumber)),
        Fp.FromBigInteger(BigInteger.Parse("008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1", System.Globalization.NumberStyles.HexNumber))));

    /// <summary>|x| for the BLS parameter x = -0xd201000000010000.</summary>
    internal const ulong AbsX = 0xd201000000010000;

    // A cube root of unity β with φ(x, y) = (βx, y) acting on G1 as multiplication by λ = -x^2 mod r.
    private static readonly Fp s_beta = Fp.FromBigInteger(BigInteger.Parse(
        "005f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe", System.Globalization.NumberStyles.HexNumber));

    /// <summary>Converts from affine coordinates.</summary>
    public static G1Projective FromAffine(in G1Affine a) => new(Jacobian<Fp, G1Curve>.FromAffine(a.X, a.Y, a.IsInfinity));

    /// <summary>Converts to affine coordinates (one field inversion).</summary>
    public G1Affine ToAffine() => P.TryToAffine(out Fp x, out Fp y) ? new G1Affine(x, y) : G1Affine.Infinity;

    /// <summary>Converts to affine coordinates with a variable-time inversion: only for public points.</summary>
    public G1Affine ToAffineVartime() => P.TryToAffine(out Fp x, out Fp y, vartime: true) ? new G1Affine(x, y) : G1Affine.Infinity;

    /// <summary>Whether this is the identity.</summary>
    public bool IsIdentity => P.IsIdentity;

    /// <summary>Whether the point lies on E1.</summary>
    public bool IsOnCurve => P.IsOnCurve();

    /// <summary>Point addition.</summary>
    public static G1Projective operator +(in G1Projective a, in G1Projective b) => new(Jacobian<Fp, G1Curve>.Add(a.P, b.P));

    /// <summary>Mixed addition with an affine point.</summary>
    public static G1Projective operator +(in G1Projective a, in G1Affine b) => new(Jacobian<Fp, G1Curve>.AddAffine(a.P, b.X, b.Y, b.IsInfinity));

    /// <summary>Negation.</summary>
    public static G1Projective operator -(in G1Projective a) => new(a.P.Negate());

    /// <summary>Subtraction.</summary>
    public static G1Projective operator -(in G1Projective a, in G1Projective b) => a + -b;

    /// <summary>Doubling.</summary>
    public G1Projective Double() => new(P.Double());

    /// <summary>Multiplication by a secret scalar, in constant time (GLV split, joint 2-bit windows). The point must be in G1.</summary>
    public G1Projective Multiply(in Fr scalar)
    {
        Span<ulong> k = stackalloc ulong[4];
        Span<ulong> k1 = stackalloc ulong[2];
        Span<ulong> q = stackalloc ulong[2];
        scalar.GetCanonicalWords(k);
        Glv.Split(k, k1, q);
        G1Affine a = ToAffine();
        G1Affine minusPhi = new G1Affine(a.X * s_beta, -a.Y);
        var p = Projective<Fp, G1Curve>.FromAffine(a.X, a.Y, a.IsInfinity);
        var phi = Projective<Fp, G1Curve>.FromAffine(minusPhi.X, minusPhi.Y, a.IsInfinity);
        var result = new G1Projective(Projective<Fp, G1Curve>.MultiplyJointConstantTime(p, phi, k1, q).ToJacobian());
        k.Clear();
        k1.Clear();
        q.Clear();
        return result;
    }

    /// <summary>Multiplication by a public scalar (variable time: GLV split, interleaved wNAF). The point must be in G1.</summary>
    public G1Projective MultiplyVartime(in Fr scalar) => MultiplySumVartime([this], [scalar]);

    /// <summary>
    /// The multi-scalar multiplication Σ [scalars_i]·points_i for public scalars (variable time): every scalar is split
    /// in two 128-bit GLV halves and all halves share one chain of 128 doublings (Straus, width-5 NAF digits). The
    /// points must be in G1. An empty input gives the identity.
    /// </summary>
    public static G1Projective MultiplySumVartime(ReadOnlySpan<G1Projective> points, ReadOnlySpan<Fr> scalars)
    {
        if (points.Length != scalars.Length)
        {
            throw new ArgumentException($"{points.Length} points but {scalars.Length} scalars.", nameof(scalars));
        }

        var halves = new Jacobian<Fp, G1Curve>[2 * points.Length];
        var words = new ulong[4 * points.Length];
        Span<ulong> k = stackalloc ulong[4];
        for (int i = 0; i < points.Length; i++)
        {
            scalars[i].GetCanonicalWords(k);
            Glv.Split(k, words.AsSpan(4 * i, 2), words.AsSpan(4 * i + 2, 2));
            Jacobian<Fp, G1Curve> p = points[i].P;
            halves[2 * i] = p;
            // -φ(P) in Jacobian coordinates: (βX, -Y, Z).
            halves[2 * i + 1] = new Jacobian<Fp, G1Curve>(p.X * s_beta, -p.Y, p.Z);
        }

        return new(MultiScalar.SumVartime<Fp, G1Curve>(halves, words, 2));
    }

    /// <summary>
    /// The multi-scalar multiplication Σ [scalars_i]·points_i for public scalars given as little-endian words,
    /// wordsPerScalar each (no GLV split: for short scalars such as 128-bit batch-verification weights).
    /// </summary>
    internal static G1Projective MultiplySumVartime(ReadOnlySpan<G1Projective> points, ReadOnlySpan<ulong> scalars, int wordsPerScalar)
    {
        var jacobians = new Jacobian<Fp, G1Curve>[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            jacobians[i] = points[i].P;
        }

        return new(MultiScalar.SumVartime<Fp, G1Curve>(jacobians, scalars, wordsPerScalar));
    }

    /// <summary>Multiplication by a public scalar given as little-endian words.</summary>
    internal G1Projective MultiplyVartime(ReadOnlySpan<ulong> scalar) => new(P.MultiplyVartime(scalar));

    /// <summary>The endomorphism φ(x, y) = (βx, y), equal to multiplication by -x^2 on G1.</summary>
    internal G1Projective Endomorphism() => new(new Jacobian<Fp, G1Curve>(P.X * s_beta, P.Y, P.Z));

    /// <summary>Multiplication by x = -0xd201000000010000.</summary>
    internal G1Projective MultiplyByX() => new(P.MultiplyBy(AbsX).Negate());

    /// <summary>Whether the point is in the prime-order subgroup G1 (Scott's test: φ(P) == [-x^2]P).</summary>
    public bool IsTorsionFree
    {
        get
        {
            // [-x^2]P = -([|x|]([|x|]P)).
            G1Projective xxP = new(P.MultiplyBy(AbsX).MultiplyBy(AbsX).Negate());
            return Endomorphism().Equals(xxP);
        }
    }

    /// <summary>Clears the cofactor with h_eff = 1 - x (RFC 9380 §8.8.1): [1 - x]P = P + [|x|]P.</summary>
    public G1Projective ClearCofactor() => this + new G1Projective(P.MultiplyBy(AbsX));

    /// <inheritdoc/>
    public bool Equals(G1Projective other) => Jacobian<Fp, G1Curve>.AreEqual(P, other.P);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is G1Projective other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => ToAffine().GetHashCode();
}
