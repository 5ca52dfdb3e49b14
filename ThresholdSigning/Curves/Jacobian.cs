using System.Runtime.CompilerServices;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>The constant b of a short Weierstrass curve y^2 = x^3 + b (a = 0) over field <typeparamref name="F"/>.</summary>
internal interface ICurve<F> where F : unmanaged, IField<F>
{
    static abstract F B { get; }

    /// <summary>3·b, used by the complete projective formulas.</summary>
    static abstract F B3 { get; }
}

/// <summary>E1: y^2 = x^3 + 4 over F_p.</summary>
internal readonly struct G1Curve : ICurve<Fp>
{
    private static readonly Fp s_b3 = Fp.FromUInt64(12);

    public static Fp B => G1Affine.B;

    public static Fp B3 => s_b3;
}

/// <summary>E2: y^2 = x^3 + 4(u+1) over F_p2.</summary>
internal readonly struct G2Curve : ICurve<Fp2>
{
    private static readonly Fp2 s_b3 = new(Fp.FromUInt64(12), Fp.FromUInt64(12));

    public static Fp2 B => G2Affine.B;

    public static Fp2 B3 => s_b3;
}

/// <summary>
/// A point in Jacobian coordinates (x = X/Z^2, y = Y/Z^3; Z = 0 is infinity) with the fast, variable-time
/// formulas of the Explicit-Formulas Database (dbl-2009-l, add-2007-bl, madd-2007-bl). For public data only.
/// </summary>
internal readonly struct Jacobian<F, C> where F : unmanaged, IField<F> where C : unmanaged, ICurve<F>
{
    public readonly F X, Y, Z;

    public Jacobian(in F x, in F y, in F z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static Jacobian<F, C> Identity => new(F.One, F.One, F.Zero);

    public bool IsIdentity => F.IsZeroElement(Z);

    public static Jacobian<F, C> FromAffine(in F x, in F y, bool infinity) =>
        infinity ? Identity : new Jacobian<F, C>(x, y, F.One);

    /// <summary>Affine coordinates with one inversion (variable time only if asked, for public points); false for infinity.</summary>
    public bool TryToAffine(out F x, out F y, bool vartime = false)
    {
        if (IsIdentity)
        {
            x = F.Zero;
            y = F.Zero;
            return false;
        }

        F zInv = vartime ? F.InvVartime(Z) : F.Inv(Z);
        F zInv2 = F.Sqr(zInv);
        x = F.Mul(X, zInv2);
        y = F.Mul(Y, F.Mul(zInv2, zInv));
        return true;
    }

    public Jacobian<F, C> Negate() => new(X, F.Neg(Y), Z);

    public bool IsOnCurve()
    {
        if (IsIdentity)
        {
            return true;
        }

        // Y^2 = X^3 + b Z^6
        F z2 = F.Sqr(Z);
        F z6 = F.Mul(F.Sqr(z2), z2);
        return F.AreEqual(F.Sqr(Y), F.Add(F.Mul(F.Sqr(X), X), F.Mul(C.B, z6)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Jacobian<F, C> Double()
    {
        if (IsIdentity)
        {
            return this;
        }

        F a = F.Sqr(X);
        F b = F.Sqr(Y);
        F c = F.Sqr(b);
        F d = F.Dbl(F.Sub(F.Sub(F.Sqr(F.Add(X, b)), a), c));
        F e = F.Add(F.Dbl(a), a);
        F f = F.Sqr(e);
        F x3 = F.Sub(f, F.Dbl(d));
        F c8 = F.Dbl(F.Dbl(F.Dbl(c)));
        F y3 = F.Sub(F.Mul(e, F.Sub(d, x3)), c8);
        F z3 = F.Dbl(F.Mul(Y, Z));
        return new Jacobian<F, C>(x3, y3, z3);
    }

    public static Jacobian<F, C> Add(in Jacobian<F, C> p, in Jacobian<F, C> q)
    {
        if (p.IsIdentity)
        {
            return q;
        }

        if (q.IsIdentity)
        {
            return p;
        }

        F z1z1 = F.Sqr(p.Z);
        F z2z2 = F.Sqr(q.Z);
        F u1 = F.Mul(p.X, z2z2);
        F u2 = F.Mul(q.X, z1z1);
        F s1 = F.Mul(F.Mul(p.Y, q.Z), z2z2);
        F s2 = F.Mul(F.Mul(q.Y, p.Z), z1z1);
        F h = F.Sub(u2, u1);
        F r = F.Dbl(F.Sub(s2, s1));
        if (F.IsZeroElement(h))
        {
            return F.IsZeroElement(r) ? p.Double() : Identity;
        }

        F i = F.Sqr(F.Dbl(h));
        F j = F.Mul(h, i);
        F v = F.Mul(u1, i);
        F x3 = F.Sub(F.Sub(F.Sqr(r), j), F.Dbl(v));
        F y3 = F.Sub(F.Mul(r, F.Sub(v, x3)), F.Dbl(F.Mul(s1, j)));
        F z3 = F.Mul(F.Sub(F.Sub(F.Sqr(F.Add(p.Z, q.Z)), z1z1), z2z2), h);
        return new Jacobian<F, C>(x3, y3, z3);
    }

    /// <summary>Adds an affine point (Z = 1): the cheaper mixed addition.</summary>
    public static Jacobian<F, C> AddAffine(in Jacobian<F, C> p, in F x2, in F y2, bool infinity2)
    {
        if (infinity2)
        {
            return p;
        }

        if (p.IsIdentity)
        {
            return new Jacobian<F, C>(x2, y2, F.One);
        }

        F z1z1 = F.Sqr(p.Z);
        F u2 = F.Mul(x2, z1z1);
        F s2 = F.Mul(F.Mul(y2, p.Z), z1z1);
        F h = F.Sub(u2, p.X);
        F r = F.Dbl(F.Sub(s2, p.Y));
        if (F.IsZeroElement(h))
        {
            return F.IsZeroElement(r) ? p.Double() : Identity;
        }

        F hh = F.Sqr(h);
        F i = F.Dbl(F.Dbl(hh));
        F j = F.Mul(h, i);
        F v = F.Mul(p.X, i);
        F x3 = F.Sub(F.Sub(F.Sqr(r), j), F.Dbl(v));
        F y3 = F.Sub(F.Mul(r, F.Sub(v, x3)), F.Dbl(F.Mul(p.Y, j)));
        F z3 = F.Sub(F.Sub(F.Sqr(F.Add(p.Z, h)), z1z1), hh);
        return new Jacobian<F, C>(x3, y3, z3);
    }

    public static bool AreEqual(in Jacobian<F, C> p, in Jacobian<F, C> q)
    {
        if (p.IsIdentity || q.IsIdentity)
        {
            return p.IsIdentity && q.IsIdentity;
        }

        // X1 Z2^2 == X2 Z1^2 and Y1 Z2^3 == Y2 Z1^3
        F z1z1 = F.Sqr(p.Z);
        F z2z2 = F.Sqr(q.Z);
        return F.AreEqual(F.Mul(p.X, z2z2), F.Mul(q.X, z1z1))
            && F.AreEqual(F.Mul(F.Mul(p.Y, q.Z), z2z2), F.Mul(F.Mul(q.Y, p.Z), z1z1));
    }

    /// <summary>Multiplication by a public 64-bit scalar (double-and-add; used with |x| of the curve family).</summary>
    public Jacobian<F, C> MultiplyBy(ulong k)
    {
        Jacobian<F, C> acc = Identity;
        for (int bit = 63 - System.Numerics.BitOperations.LeadingZeroCount(k); bit >= 0; bit--)
        {
            acc = acc.Double();
            if (((k >> bit) & 1) == 1)
            {
                acc = Add(acc, this);
            }
        }

        return acc;
    }

    /// <summary>Variable-time multiplication by a public scalar given as little-endian words (width-5 wNAF).</summary>
    public Jacobian<F, C> MultiplyVartime(ReadOnlySpan<ulong> scalar) => MultiScalar.SumVartime([this], scalar, scalar.Length);
}
