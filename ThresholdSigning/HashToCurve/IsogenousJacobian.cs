using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.HashToCurve;

/// <summary>
/// A point of an SWU target curve E': y^2 = x^3 + A'x + B' (A' ≠ 0) in Jacobian coordinates (x = X/Z^2,
/// y = Y/Z^3, Z = 0 is the identity); just enough arithmetic to add two map_to_curve outputs before the isogeny.
/// The curve types' own Jacobian arithmetic assumes A = 0, so it cannot be reused here.
/// </summary>
internal readonly struct IsogenousJacobian<F> where F : unmanaged, IField<F>
{
    public readonly F X, Y, Z;

    private IsogenousJacobian(in F x, in F y, in F z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    /// <summary>The affine point (xn / xd, y) with Z = xd: X = xn·xd, Y = y·xd^3 (no inversion).</summary>
    public static IsogenousJacobian<F> FromFraction(in F xn, in F xd, in F y)
    {
        F xd2 = F.Sqr(xd);
        return new IsogenousJacobian<F>(F.Mul(xn, xd), F.Mul(F.Mul(y, xd2), xd), xd);
    }

    /// <summary>Adds two finite points (add-2007-bl; dbl-2007-bl for equal points); opposite points give Z = 0.</summary>
    public static IsogenousJacobian<F> Add(in IsogenousJacobian<F> p, in IsogenousJacobian<F> q, in F a)
    {
        F z1z1 = F.Sqr(p.Z);
        F z2z2 = F.Sqr(q.Z);
        F u1 = F.Mul(p.X, z2z2);
        F u2 = F.Mul(q.X, z1z1);
        F s1 = F.Mul(F.Mul(p.Y, q.Z), z2z2);
        F s2 = F.Mul(F.Mul(q.Y, p.Z), z1z1);
        F h = F.Sub(u2, u1);
        F r = F.Sub(s2, s1);
        if (F.IsZeroElement(h))
        {
            return F.IsZeroElement(r) ? p.Double(a) : new IsogenousJacobian<F>(F.One, F.One, F.Zero);
        }

        F i = F.Sqr(F.Dbl(h));
        F j = F.Mul(h, i);
        r = F.Dbl(r);
        F v = F.Mul(u1, i);
        F x3 = F.Sub(F.Sub(F.Sqr(r), j), F.Dbl(v));
        F y3 = F.Sub(F.Mul(r, F.Sub(v, x3)), F.Dbl(F.Mul(s1, j)));
        F z3 = F.Mul(F.Sub(F.Sub(F.Sqr(F.Add(p.Z, q.Z)), z1z1), z2z2), h);
        return new IsogenousJacobian<F>(x3, y3, z3);
    }

    private IsogenousJacobian<F> Double(in F a)
    {
        F xx = F.Sqr(X);
        F yy = F.Sqr(Y);
        F yyyy = F.Sqr(yy);
        F zz = F.Sqr(Z);
        F s = F.Dbl(F.Sub(F.Sub(F.Sqr(F.Add(X, yy)), xx), yyyy));
        F m = F.Add(F.Add(F.Dbl(xx), xx), F.Mul(a, F.Sqr(zz)));
        F x3 = F.Sub(F.Sqr(m), F.Dbl(s));
        F y3 = F.Sub(F.Mul(m, F.Sub(s, x3)), F.Dbl(F.Dbl(F.Dbl(yyyy))));
        // Zero when Y = 0: a point of order 2 doubles to the identity.
        F z3 = F.Sub(F.Sub(F.Sqr(F.Add(Y, Z)), yy), zz);
        return new IsogenousJacobian<F>(x3, y3, z3);
    }
}
