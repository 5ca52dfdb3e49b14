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

    // sqrt(-Z) for sqrt_ratio (RFC 9380 F.2.1.2, c2); -11 is a square since both -1 and 11 are non-squares.
    private static readonly Fp s_sqrtMinusZ = SqrtOf(-Z);

    /// <summary>map_to_curve(u): a point of E1 (before cofactor clearing).</summary>
    public static G1Affine MapToCurveG1(in Fp u)
    {
        MapToIsogenousCurve(u, out Fp xn, out Fp xd, out Fp y);
        ToJacobian(xn, xd, y, out Fp x1, out Fp y1);
        return IsogenyG1.Map(x1, y1, xd);
    }

    /// <summary>
    /// map_to_curve(u0) + map_to_curve(u1) on E1, adding the two SWU points on E1' before a single isogeny
    /// evaluation (the isogeny is a group homomorphism, RFC 9380 §6.6.3).
    /// </summary>
    public static G1Affine MapToCurveSumG1(in Fp u0, in Fp u1)
    {
        MapToIsogenousCurve(u0, out Fp xn0, out Fp xd0, out Fp y0);
        MapToIsogenousCurve(u1, out Fp xn1, out Fp xd1, out Fp y1);
        ToJacobian(xn0, xd0, y0, out Fp jx0, out Fp jy0);
        ToJacobian(xn1, xd1, y1, out Fp jx1, out Fp jy1);
        AddJacobian(jx0, jy0, xd0, jx1, jy1, xd1, out Fp x, out Fp y, out Fp z);
        return IsogenyG1.Map(x, y, z);
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
        bool isGx1Square = SqrtRatio(gx, tv6, out Fp y1);
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

    /// <summary>
    /// RFC 9380 F.2.1.2 sqrt_ratio for q = 3 mod 4: returns true with sqrt(u/v) if u/v is a square, else false with
    /// sqrt(Z·u/v); one exponentiation, no inversion. <paramref name="v"/> must be non-zero.
    /// </summary>
    internal static bool SqrtRatio(in Fp u, in Fp v, out Fp y)
    {
        Fp tv2 = u * v;
        Fp tv1 = v.Square() * tv2;
        Fp y1 = tv1.Pow(Fp.PMinus3Over4) * tv2;
        bool isQr = y1.Square() * v == u;
        y = isQr ? y1 : y1 * s_sqrtMinusZ;
        return isQr;
    }

    // (x, y) = (xn / xd, y) in Jacobian coordinates with Z = xd: X = xn·xd, Y = y·xd^3.
    private static void ToJacobian(in Fp xn, in Fp xd, in Fp y, out Fp x, out Fp jy)
    {
        Fp xd2 = xd.Square();
        x = xn * xd;
        jy = y * xd2 * xd;
    }

    /// <summary>
    /// Adds two finite Jacobian points of E1' (add-2007-bl, falling back to doubling dbl-2007-bl with a = A');
    /// the result has Z = 0 when the points are opposite.
    /// </summary>
    private static void AddJacobian(
        in Fp x1, in Fp y1, in Fp z1, in Fp x2, in Fp y2, in Fp z2, out Fp x3, out Fp y3, out Fp z3)
    {
        Fp z1z1 = z1.Square();
        Fp z2z2 = z2.Square();
        Fp u1 = x1 * z2z2;
        Fp u2 = x2 * z1z1;
        Fp s1 = y1 * z2 * z2z2;
        Fp s2 = y2 * z1 * z1z1;
        Fp h = u2 - u1;
        Fp r = s2 - s1;
        if (h.IsZero)
        {
            if (r.IsZero)
            {
                DoubleJacobian(x1, y1, z1, out x3, out y3, out z3);
                return;
            }

            x3 = Fp.One;
            y3 = Fp.One;
            z3 = Fp.Zero;
            return;
        }

        Fp i = h.Double().Square();
        Fp j = h * i;
        r = r.Double();
        Fp v = u1 * i;
        x3 = r.Square() - j - v.Double();
        y3 = r * (v - x3) - (s1 * j).Double();
        z3 = ((z1 + z2).Square() - z1z1 - z2z2) * h;
    }

    private static void DoubleJacobian(in Fp x1, in Fp y1, in Fp z1, out Fp x3, out Fp y3, out Fp z3)
    {
        Fp xx = x1.Square();
        Fp yy = y1.Square();
        Fp yyyy = yy.Square();
        Fp zz = z1.Square();
        Fp s = ((x1 + yy).Square() - xx - yyyy).Double();
        Fp m = xx.Double() + xx + A * zz.Square();
        x3 = m.Square() - s.Double();
        y3 = m * (s - x3) - yyyy.Double().Double().Double();
        // Zero when y1 = 0 (a 2-torsion point doubles to infinity).
        z3 = (y1 + z1).Square() - yy - zz;
    }

    /// <summary>Parses a big-endian hex constant into the field.</summary>
    internal static Fp ParseHex(string hex) =>
        Fp.FromBigInteger(BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private static Fp SqrtOf(in Fp square) =>
        square.TrySqrt(out Fp root) ? root : throw new InvalidOperationException("Constant has no square root.");
}
