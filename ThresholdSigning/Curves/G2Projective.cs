using System.Numerics;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>A point of the twist E2 (G2 and its cofactor multiples) in Jacobian coordinates.</summary>
public readonly struct G2Projective : IEquatable<G2Projective>
{
    internal readonly Jacobian<Fp2, G2Curve> P;

    internal G2Projective(in Jacobian<Fp2, G2Curve> p)
    {
        P = p;
    }

    private static BigInteger Hex(string s) => BigInteger.Parse("0" + s, System.Globalization.NumberStyles.HexNumber);

    /// <summary>The identity (point at infinity).</summary>
    public static G2Projective Identity => new(Jacobian<Fp2, G2Curve>.Identity);

    /// <summary>The standard generator of G2.</summary>
    public static readonly G2Projective Generator = FromAffine(new G2Affine(
        Fp2.FromBigIntegers(
            Hex("24aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"),
            Hex("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e")),
        Fp2.FromBigIntegers(
            Hex("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"),
            Hex("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"))));

    // ψ(x, y) = (conj(x)·c1, conj(y)·c2): the untwist-Frobenius-twist endomorphism.
    // c1 = 1/(u+1)^((p-1)/3), c2 = 1/(u+1)^((p-1)/2).
    private static readonly Fp2 s_psiX = new(Fp.Zero, Fp.FromBigInteger(Hex(
        "1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaad")));

    private static readonly Fp2 s_psiY = Fp2.FromBigIntegers(
        Hex("135203e60180a68ee2e9c448d77a2cd91c3dedd930b1cf60ef396489f61eb45e304466cf3e67fa0af1ee7b04121bdea2"),
        Hex("06af0e0437ff400b6831e36d6bd17ffe48395dabc2d3435e77f76e17009241c5ee67992f72ec05f4c81084fbede3cc09"));

    /// <summary>Converts from affine coordinates.</summary>
    public static G2Projective FromAffine(in G2Affine a) => new(Jacobian<Fp2, G2Curve>.FromAffine(a.X, a.Y, a.IsInfinity));

    /// <summary>Converts to affine coordinates (one field inversion).</summary>
    public G2Affine ToAffine() => P.TryToAffine(out Fp2 x, out Fp2 y) ? new G2Affine(x, y) : G2Affine.Infinity;

    /// <summary>Converts to affine coordinates with a variable-time inversion: only for public points.</summary>
    public G2Affine ToAffineVartime() => P.TryToAffine(out Fp2 x, out Fp2 y, vartime: true) ? new G2Affine(x, y) : G2Affine.Infinity;

    /// <summary>Whether this is the identity.</summary>
    public bool IsIdentity => P.IsIdentity;

    /// <summary>Whether the point lies on E2.</summary>
    public bool IsOnCurve => P.IsOnCurve();

    /// <summary>Point addition.</summary>
    public static G2Projective operator +(in G2Projective a, in G2Projective b) => new(Jacobian<Fp2, G2Curve>.Add(a.P, b.P));

    /// <summary>Mixed addition with an affine point.</summary>
    public static G2Projective operator +(in G2Projective a, in G2Affine b) => new(Jacobian<Fp2, G2Curve>.AddAffine(a.P, b.X, b.Y, b.IsInfinity));

    /// <summary>Negation.</summary>
    public static G2Projective operator -(in G2Projective a) => new(a.P.Negate());

    /// <summary>Subtraction.</summary>
    public static G2Projective operator -(in G2Projective a, in G2Projective b) => a + -b;

    /// <summary>Doubling.</summary>
    public G2Projective Double() => new(P.Double());

    /// <summary>Multiplication by a secret scalar, in constant time.</summary>
    public G2Projective Multiply(in Fr scalar)
    {
        Span<ulong> k = stackalloc ulong[4];
        scalar.GetCanonicalWords(k);
        G2Affine a = ToAffine();
        var proj = Projective<Fp2, G2Curve>.FromAffine(a.X, a.Y, a.IsInfinity);
        var result = new G2Projective(proj.MultiplyConstantTime(k).ToJacobian());
        k.Clear();
        return result;
    }

    /// <summary>Multiplication by a public scalar (variable time, wNAF).</summary>
    public G2Projective MultiplyVartime(in Fr scalar)
    {
        Span<ulong> k = stackalloc ulong[4];
        scalar.GetCanonicalWords(k);
        return new(P.MultiplyVartime(k));
    }

    /// <summary>Multiplication by a public scalar given as little-endian words.</summary>
    internal G2Projective MultiplyVartime(ReadOnlySpan<ulong> scalar) => new(P.MultiplyVartime(scalar));

    /// <summary>The endomorphism ψ; in Jacobian coordinates conj(Z) replaces Z.</summary>
    internal G2Projective Psi() => new(new Jacobian<Fp2, G2Curve>(
        P.X.Conjugate() * s_psiX, P.Y.Conjugate() * s_psiY, P.Z.Conjugate()));

    /// <summary>Multiplication by x = -0xd201000000010000.</summary>
    internal G2Projective MultiplyByX() => new(P.MultiplyBy(G1Projective.AbsX).Negate());

    /// <summary>Whether the point is in the prime-order subgroup G2 (Scott's test: ψ(Q) == [x]Q).</summary>
    public bool IsTorsionFree => Psi().Equals(MultiplyByX());

    /// <summary>Clears the cofactor (Budroni–Pintore, RFC 9380 Appendix G.3): [x^2-x-1]P + [x-1]ψ(P) + ψ^2(2P).</summary>
    public G2Projective ClearCofactor()
    {
        G2Projective t1 = MultiplyByX();
        G2Projective t2 = Psi();
        G2Projective t3 = Double().Psi().Psi();
        t3 -= t2;
        t2 = t1 + t2;
        t2 = t2.MultiplyByX();
        t3 += t2;
        t3 -= t1;
        return t3 - this;
    }

    /// <inheritdoc/>
    public bool Equals(G2Projective other) => Jacobian<Fp2, G2Curve>.AreEqual(P, other.P);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is G2Projective other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => ToAffine().GetHashCode();
}
