using System.Globalization;
using System.Numerics;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.HashToCurve;

/// <summary>
/// RFC 9380 map_to_curve for BLS12-381 G1 (§8.8.1): simplified SWU onto the 11-isogenous curve
/// E1': y^2 = x^3 + A'x + B' with Z = 11, then the 11-isogeny to E1. Outputs are not yet cofactor-cleared.
/// </summary>
public static class SswuG1
{
    /// <summary>map_to_curve(u): a point of E1 (before cofactor clearing).</summary>
    public static G1Affine MapToCurveG1(in Fp u) =>
        IsogenyG1.MapToAffine(SimplifiedSwu<Fp, E1Prime>.MapToJacobian(u));

    /// <summary>
    /// map_to_curve(u0) + map_to_curve(u1) on E1, adding the two SWU points on E1' before a single isogeny
    /// evaluation (the isogeny is a group homomorphism, RFC 9380 §6.6.3).
    /// </summary>
    public static G1Affine MapToCurveSumG1(in Fp u0, in Fp u1) =>
        IsogenyG1.MapToAffine(SimplifiedSwu<Fp, E1Prime>.Sum(u0, u1));

    /// <summary>
    /// The same sum as <see cref="MapToCurveSumG1"/> in Jacobian coordinates, with no field inversion at all
    /// (for hash_to_curve, which goes on to clear the cofactor).
    /// </summary>
    public static G1Projective MapToCurveSumG1Projective(in Fp u0, in Fp u1) =>
        IsogenyG1.MapToProjective(SimplifiedSwu<Fp, E1Prime>.Sum(u0, u1));

    /// <summary>Parses a big-endian hex constant into the field.</summary>
    internal static Fp ParseHex(string hex) =>
        Fp.FromBigInteger(BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}

/// <summary>E1': y^2 = x^3 + A'x + B', the SWU target 11-isogenous to E1, with Z = 11 (RFC 9380 §8.8.1).</summary>
internal readonly struct E1Prime : ISswuSuite<Fp>
{
    private static readonly Fp s_a = SswuG1.ParseHex(
        "144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d");

    private static readonly Fp s_b = SswuG1.ParseHex(
        "12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0");

    private static readonly Fp s_z = Fp.FromUInt64(11);
    private static readonly Fp s_zTimesA = s_z * s_a;

    public static Fp A => s_a;

    public static Fp B => s_b;

    public static Fp Z => s_z;

    public static Fp ZTimesA => s_zTimesA;

    public static bool SqrtRatio(in Fp u, in Fp v, out Fp y) => HashToCurve.SqrtRatio.OverFp(u, v, out y);

    public static bool Sgn0(in Fp x) => x.Sgn0;
}
