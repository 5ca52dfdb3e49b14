using System.Numerics;
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

    // RFC 9380 F.2.1.1 constants for q = p^2: q - 1 = 2^3 · c2 with c2 odd.
    private const int C1 = 3;
    private static readonly BigInteger s_c2 = (Fp.Modulus * Fp.Modulus - 1) >> C1;
    private static readonly ulong[] s_c3 = Words((s_c2 - 1) / 2);
    private static readonly Fp2 s_c6 = Z.Pow(Words(s_c2));
    private static readonly Fp2 s_c7 = Z.Pow(Words((s_c2 + 1) / 2));

    /// <summary>map_to_curve(u): a point of E2 (before cofactor clearing).</summary>
    public static G2Affine MapToCurveG2(in Fp2 u)
    {
        MapToIsogenousCurve(u, out Fp2 xn, out Fp2 xd, out Fp2 y);
        ToJacobian(xn, xd, y, out Fp2 x1, out Fp2 y1);
        return IsogenyG2.Map(x1, y1, xd);
    }

    /// <summary>
    /// map_to_curve(u0) + map_to_curve(u1) on E2, adding the two SWU points on E2' before a single isogeny
    /// evaluation (the isogeny is a group homomorphism, RFC 9380 §6.6.3).
    /// </summary>
    public static G2Affine MapToCurveSumG2(in Fp2 u0, in Fp2 u1)
    {
        MapToIsogenousCurve(u0, out Fp2 xn0, out Fp2 xd0, out Fp2 y0);
        MapToIsogenousCurve(u1, out Fp2 xn1, out Fp2 xd1, out Fp2 y1);
        ToJacobian(xn0, xd0, y0, out Fp2 jx0, out Fp2 jy0);
        ToJacobian(xn1, xd1, y1, out Fp2 jx1, out Fp2 jy1);
        AddJacobian(jx0, jy0, xd0, jx1, jy1, xd1, out Fp2 x, out Fp2 y, out Fp2 z);
        return IsogenyG2.Map(x, y, z);
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
        bool isGx1Square = SqrtRatio(gx, tv6, out Fp2 y1);
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
    /// RFC 9380 F.2.1.1 sqrt_ratio: returns true with sqrt(u/v) if u/v is a square, else false with sqrt(Z·u/v).
    /// <paramref name="v"/> must be non-zero.
    /// </summary>
    internal static bool SqrtRatio(in Fp2 u, in Fp2 v, out Fp2 y)
    {
        Fp2 tv1 = s_c6;
        Fp2 tv2 = v.Square();                    // v^c4 with c4 = 7
        tv2 = tv2.Square() * tv2 * v;
        Fp2 tv3 = tv2.Square() * v;
        Fp2 tv5 = (u * tv3).Pow(s_c3) * tv2;
        tv2 = tv5 * v;
        tv3 = tv5 * u;
        Fp2 tv4 = tv3 * tv2;
        tv5 = tv4.Square().Square();             // tv4^c5 with c5 = 4
        bool isQr = tv5 == Fp2.One;
        if (!isQr)
        {
            tv3 *= s_c7;
            tv4 *= tv1;
        }

        for (int i = C1; i >= 2; i--)
        {
            tv5 = tv4;
            for (int k = 0; k < i - 2; k++)
            {
                tv5 = tv5.Square();
            }

            bool e1 = tv5 == Fp2.One;
            Fp2 tv2i = tv3 * tv1;
            tv1 = tv1.Square();
            Fp2 tv5i = tv4 * tv1;
            if (!e1)
            {
                tv3 = tv2i;
                tv4 = tv5i;
            }
        }

        y = tv3;
        return isQr;
    }

    private static void ToJacobian(in Fp2 xn, in Fp2 xd, in Fp2 y, out Fp2 x, out Fp2 jy)
    {
        Fp2 xd2 = xd.Square();
        x = xn * xd;
        jy = y * xd2 * xd;
    }

    /// <summary>
    /// Adds two finite Jacobian points of E2' (add-2007-bl, falling back to doubling dbl-2007-bl with a = A');
    /// the result has Z = 0 when the points are opposite.
    /// </summary>
    private static void AddJacobian(
        in Fp2 x1, in Fp2 y1, in Fp2 z1, in Fp2 x2, in Fp2 y2, in Fp2 z2, out Fp2 x3, out Fp2 y3, out Fp2 z3)
    {
        Fp2 z1z1 = z1.Square();
        Fp2 z2z2 = z2.Square();
        Fp2 u1 = x1 * z2z2;
        Fp2 u2 = x2 * z1z1;
        Fp2 s1 = y1 * z2 * z2z2;
        Fp2 s2 = y2 * z1 * z1z1;
        Fp2 h = u2 - u1;
        Fp2 r = s2 - s1;
        if (h.IsZero)
        {
            if (r.IsZero)
            {
                DoubleJacobian(x1, y1, z1, out x3, out y3, out z3);
                return;
            }

            x3 = Fp2.One;
            y3 = Fp2.One;
            z3 = Fp2.Zero;
            return;
        }

        Fp2 i = h.Double().Square();
        Fp2 j = h * i;
        r = r.Double();
        Fp2 v = u1 * i;
        x3 = r.Square() - j - v.Double();
        y3 = r * (v - x3) - (s1 * j).Double();
        z3 = ((z1 + z2).Square() - z1z1 - z2z2) * h;
    }

    private static void DoubleJacobian(in Fp2 x1, in Fp2 y1, in Fp2 z1, out Fp2 x3, out Fp2 y3, out Fp2 z3)
    {
        Fp2 xx = x1.Square();
        Fp2 yy = y1.Square();
        Fp2 yyyy = yy.Square();
        Fp2 zz = z1.Square();
        Fp2 s = ((x1 + yy).Square() - xx - yyyy).Double();
        Fp2 m = xx.Double() + xx + A * zz.Square();
        x3 = m.Square() - s.Double();
        y3 = m * (s - x3) - yyyy.Double().Double().Double();
        z3 = (y1 + z1).Square() - yy - zz;
    }

    /// <summary>An F_p2 constant c0 + c1·u from two big-endian hex strings.</summary>
    internal static Fp2 ParseHex(string c0, string c1) => new(SswuG1.ParseHex(c0), SswuG1.ParseHex(c1));

    private static ulong[] Words(BigInteger v)
    {
        var words = new ulong[(int)((v.GetBitLength() + 63) / 64)];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = (ulong)(v & ulong.MaxValue);
            v >>= 64;
        }

        return words;
    }
}
