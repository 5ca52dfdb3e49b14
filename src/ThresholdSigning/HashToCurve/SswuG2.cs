using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.HashToCurve;

/// <summary>
/// RFC 9380 map_to_curve for BLS12-381 G2 (§8.8.2): simplified SWU onto the 3-isogenous curve
/// E2': y^2 = x^3 + A'x + B' with A' = 240u, B' = 1012(1+u), Z = -(2+u), then the 3-isogeny to E2.
/// Outputs are not yet cofactor-cleared.
/// </summary>
/// <remarks>Hashing works on public data, so this code branches freely.</remarks>
public static class SswuG2
{
    /// <summary>A' = 240·u.</summary>
    internal static readonly Fp2 A = new(Fp.Zero, Fp.FromUInt64(240));

    /// <summary>B' = 1012·(1 + u).</summary>
    internal static readonly Fp2 B = new(Fp.FromUInt64(1012), Fp.FromUInt64(1012));

    /// <summary>The SWU non-square Z = -(2 + u).</summary>
    internal static readonly Fp2 Z = new(-Fp.FromUInt64(2), -Fp.One);

    private static readonly Fp2 s_zTimesA = Z * A;

    /// <summary>map_to_curve(u): a point of E2 (before cofactor clearing).</summary>
    public static G2Affine MapToCurveG2(in Fp2 u) => IsogenyG2.MapToAffine(MapToIsogenousCurve(u));

    /// <summary>
    /// map_to_curve(u0) + map_to_curve(u1) on E2, adding the two SWU points on E2' before a single isogeny
    /// evaluation (the isogeny is a group homomorphism, RFC 9380 §6.6.3).
    /// </summary>
    public static G2Affine MapToCurveSumG2(in Fp2 u0, in Fp2 u1) => IsogenyG2.MapToAffine(SumOnIsogenousCurve(u0, u1));

    /// <summary>
    /// The same sum as <see cref="MapToCurveSumG2"/> in Jacobian coordinates, with no field inversion at all
    /// (for hash_to_curve, which goes on to clear the cofactor).
    /// </summary>
    public static G2Projective MapToCurveSumG2Projective(in Fp2 u0, in Fp2 u1) =>
        IsogenyG2.MapToProjective(SumOnIsogenousCurve(u0, u1));

    private static IsogenousJacobian<Fp2> SumOnIsogenousCurve(in Fp2 u0, in Fp2 u1) =>
        IsogenousJacobian<Fp2>.Add(MapToIsogenousCurve(u0), MapToIsogenousCurve(u1), A);

    private static IsogenousJacobian<Fp2> MapToIsogenousCurve(in Fp2 u)
    {
        MapToIsogenousCurve(u, out Fp2 xn, out Fp2 xd, out Fp2 y);
        return IsogenousJacobian<Fp2>.FromFraction(xn, xd, y);
    }

    /// <summary>
    /// RFC 9380 Appendix F.2 map_to_curve_simple_swu on E2', returning x = xn / xd and y (xd is never zero).
    /// </summary>
    internal static void MapToIsogenousCurve(in Fp2 u, out Fp2 xn, out Fp2 xd, out Fp2 y)
    {
        Fp2 tv1 = Z * u.Square();
        Fp2 tv2 = tv1.Square() + tv1;
        Fp2 tv3 = B * (tv2 + Fp2.One);
        // Exceptional case (u = 0 is the only root of Z^2 u^4 + Z u^2 here): the denominator becomes Z·A'.
        Fp2 tv4 = tv2.IsZero ? s_zTimesA : -(A * tv2);
        Fp2 tv6 = tv4.Square();
        Fp2 gx = (tv3.Square() + A * tv6) * tv3;
        tv6 *= tv4;
        gx += B * tv6;
        bool isGx1Square = SqrtRatio.OverFp2(gx, tv6, out Fp2 y1);
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

    /// <summary>An F_p2 constant c0 + c1·u from two big-endian hex strings.</summary>
    internal static Fp2 ParseHex(string c0, string c1) => new(SswuG1.ParseHex(c0), SswuG1.ParseHex(c1));
}
