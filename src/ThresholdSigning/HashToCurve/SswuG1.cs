using System.Globalization;
using System.Numerics;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.HashToCurve;

/// <summary>
/// RFC 9380 map_to_curve for BLS12-381 G1 (§8.8.1): simplified SWU onto the 11-isogenous curve
/// E1': y^2 = x^3 + A'x + B' with Z = 11, then the 11-isogeny to E1. Outputs are not yet cofactor-cleared.
/// </summary>
/// <remarks>Hashing works on public data, so this code branches freely.</remarks>
public static class SswuG1
{
    /// <summary>A' of E1'.</summary>
    internal static readonly Fp A = ParseHex(
        "144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d");

    /// <summary>B' of E1'.</summary>
    internal static readonly Fp B = ParseHex(
        "12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0");

    /// <summary>The SWU non-square Z = 11.</summary>
    internal static readonly Fp Z = Fp.FromUInt64(11);

    private static readonly Fp s_zTimesA = Z * A;

    /// <summary>map_to_curve(u): a point of E1 (before cofactor clearing).</summary>
    public static G1Affine MapToCurveG1(in Fp u) => IsogenyG1.MapToAffine(MapToIsogenousCurve(u));

    /// <summary>
    /// map_to_curve(u0) + map_to_curve(u1) on E1, adding the two SWU points on E1' before a single isogeny
    /// evaluation (the isogeny is a group homomorphism, RFC 9380 §6.6.3).
    /// </summary>
    public static G1Affine MapToCurveSumG1(in Fp u0, in Fp u1) => IsogenyG1.MapToAffine(SumOnIsogenousCurve(u0, u1));

    /// <summary>
    /// The same sum as <see cref="MapToCurveSumG1"/> in Jacobian coordinates, with no field inversion at all
    /// (for hash_to_curve, which goes on to clear the cofactor).
    /// </summary>
    public static G1Projective MapToCurveSumG1Projective(in Fp u0, in Fp u1) =>
        IsogenyG1.MapToProjective(SumOnIsogenousCurve(u0, u1));

    private static IsogenousJacobian<Fp> SumOnIsogenousCurve(in Fp u0, in Fp u1) =>
        IsogenousJacobian<Fp>.Add(MapToIsogenousCurve(u0), MapToIsogenousCurve(u1), A);

    private static IsogenousJacobian<Fp> MapToIsogenousCurve(in Fp u)
    {
        MapToIsogenousCurve(u, out Fp xn, out Fp xd, out Fp y);
        return IsogenousJacobian<Fp>.FromFraction(xn, xd, y);
    }

    /// <summary>
    /// RFC 9380 Appendix F.2 map_to_curve_simple_swu on E1', returning x = xn / xd and y (xd is never zero).
    /// </summary>
    internal static void MapToIsogenousCurve(in Fp u, out Fp xn, out Fp xd, out Fp y)
    {
        Fp tv1 = Z * u.Square();
        Fp tv2 = tv1.Square() + tv1;
        Fp tv3 = B * (tv2 + Fp.One);
        // Exceptional case (u = 0, or Z^2 u^4 + Z u^2 = 0): the denominator becomes Z·A'.
        Fp tv4 = tv2.IsZero ? s_zTimesA : -(A * tv2);
        Fp tv6 = tv4.Square();
        Fp gx = (tv3.Square() + A * tv6) * tv3;
        tv6 *= tv4;
        gx += B * tv6;
        bool isGx1Square = SqrtRatio.OverFp(gx, tv6, out Fp y1);
        if (isGx1Square)
        {
            xn = tv3;
            y = y1;
        }
        else
        {
            xn = tv1 * tv3;
            y = tv1 * u * y1;
        }

        if (u.Sgn0 != y.Sgn0)
        {
            y = -y;
        }

        xd = tv4;
    }

    /// <summary>Parses a big-endian hex constant into the field.</summary>
    internal static Fp ParseHex(string hex) =>
        Fp.FromBigInteger(BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}
