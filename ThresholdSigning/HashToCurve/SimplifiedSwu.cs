using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.HashToCurve;

/// <summary>The parameters of a simplified SWU map onto E': y^2 = x^3 + A'x + B' (RFC 9380 §6.6.2).</summary>
internal interface ISswuSuite<F> where F : unmanaged, IField<F>
{
    /// <summary>A' (non-zero).</summary>
    static abstract F A { get; }

    /// <summary>B' (non-zero).</summary>
    static abstract F B { get; }

    /// <summary>The non-square Z.</summary>
    static abstract F Z { get; }

    /// <summary>Z·A', the x denominator in the exceptional case.</summary>
    static abstract F ZTimesA { get; }

    /// <summary>RFC 9380 sqrt_ratio(u, v) with this suite's Z.</summary>
    static abstract bool SqrtRatio(in F u, in F v, out F y);

    /// <summary>RFC 9380 sgn0.</summary>
    static abstract bool Sgn0(in F x);
}

/// <summary>RFC 9380 Appendix F.2 map_to_curve_simple_swu, generic over F_p (G1) and F_p2 (G2).</summary>
/// <remarks>Hashing works on public data, so this code branches freely.</remarks>
internal static class SimplifiedSwu<F, S> where F : unmanaged, IField<F> where S : ISswuSuite<F>
{
    /// <summary>map_to_curve_simple_swu(u) on E', returning x = xn / xd and y (xd is never zero).</summary>
    public static void Map(in F u, out F xn, out F xd, out F y)
    {
        F tv1 = F.Mul(S.Z, F.Sqr(u));
        F tv2 = F.Add(F.Sqr(tv1), tv1);
        F tv3 = F.Mul(S.B, F.Add(tv2, F.One));
        // Exceptional case (tv2 = Z^2 u^4 + Z u^2 = 0, e.g. u = 0): the denominator becomes Z·A'.
        F tv4 = F.IsZeroElement(tv2) ? S.ZTimesA : F.Neg(F.Mul(S.A, tv2));
        F tv6 = F.Sqr(tv4);
        F gx = F.Mul(F.Add(F.Sqr(tv3), F.Mul(S.A, tv6)), tv3);
        tv6 = F.Mul(tv6, tv4);
        gx = F.Add(gx, F.Mul(S.B, tv6));       // g(x1) · xd^3 with x1 = tv3 / tv4
        bool isGx1Square = S.SqrtRatio(gx, tv6, out F y1);
        if (isGx1Square)
        {
            xn = tv3;
            y = y1;
        }
        else
        {
            xn = F.Mul(tv1, tv3);                 // x2 = Z·u^2·x1
            y = F.Mul(F.Mul(tv1, u), y1);
        }

        if (S.Sgn0(u) != S.Sgn0(y))
        {
            y = F.Neg(y);
        }

        xd = tv4;
    }

    /// <summary>map_to_curve_simple_swu(u) as a Jacobian point of E'.</summary>
    public static IsogenousJacobian<F> MapToJacobian(in F u)
    {
        Map(u, out F xn, out F xd, out F y);
        return IsogenousJacobian<F>.FromFraction(xn, xd, y);
    }

    /// <summary>map_to_curve_simple_swu(u0) + map_to_curve_simple_swu(u1) on E'.</summary>
    public static IsogenousJacobian<F> Sum(in F u0, in F u1) =>
        IsogenousJacobian<F>.Add(MapToJacobian(u0), MapToJacobian(u1), S.A);
}
