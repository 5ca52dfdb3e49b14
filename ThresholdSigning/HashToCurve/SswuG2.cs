using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.HashToCurve;

/// <summary>
/// RFC 9380 map_to_curve for BLS12-381 G2 (§8.8.2): simplified SWU onto the 3-isogenous curve
/// E2': y^2 = x^3 + A'x + B' with A' = 240u, B' = 1012(1+u), Z = -(2+u), then the 3-isogeny to E2.
/// Outputs are not yet cofactor-cleared.
/// </summary>
public static class SswuG2
{
    /// <summary>map_to_curve(u): a point of E2 (before cofactor clearing).</summary>
    public static G2Affine MapToCurveG2(in Fp2 u) =>
        IsogenyG2.MapToAffine(SimplifiedSwu<Fp2, E2Prime>.MapToJacobian(u));

    /// <summary>
    /// map_to_curve(u0) + map_to_curve(u1) on E2, adding the two SWU points on E2' before a single isogeny
    /// evaluation (the isogeny is a group homomorphism, RFC 9380 §6.6.3).
    /// </summary>
    public static G2Affine MapToCurveSumG2(in Fp2 u0, in Fp2 u1) =>
        IsogenyG2.MapToAffine(SimplifiedSwu<Fp2, E2Prime>.Sum(u0, u1));

    /// <summary>
    /// The same sum as <see cref="MapToCurveSumG2"/> in Jacobian coordinates, with no field inversion at all
    /// (for hash_to_curve, which goes on to clear the cofactor).
    /// </summary>
    public static G2Projective MapToCurveSumG2Projective(in Fp2 u0, in Fp2 u1) =>
        IsogenyG2.MapToProjective(SimplifiedSwu<Fp2, E2Prime>.Sum(u0, u1));

    /// <summary>An F_p2 constant c0 + c1·u from two big-endian hex strings.</summary>
    internal static Fp2 ParseHex(string c0, string c1) => new(SswuG1.ParseHex(c0), SswuG1.ParseHex(c1));
}

/// <summary>E2': y^2 = x^3 + 240u·x + 1012(1+u), the SWU target 3-isogenous to E2, with Z = -(2+u) (RFC 9380 §8.8.2).</summary>
internal readonly struct E2Prime : ISswuSuite<Fp2>
{
    private static readonly Fp2 s_a = new(Fp.Zero, Fp.FromUInt64(240));
    private static readonly Fp2 s_b = new(Fp.FromUInt64(1012), Fp.FromUInt64(1012));
    private static readonly Fp2 s_z = new(-Fp.FromUInt64(2), -Fp.One);
    private static readonly Fp2 s_zTimesA = s_z * s_a;

    public static Fp2 A => s_a;

    public static Fp2 B => s_b;

    public static Fp2 Z => s_z;

    public static Fp2 ZTimesA => s_zTimesA;

    public static bool SqrtRatio(in Fp2 u, in Fp2 v, out Fp2 y) => HashToCurve.SqrtRatio.OverFp2(u, v, out y);

    public static bool Sgn0(in Fp2 x) => x.Sgn0;
}
