using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>
/// A point in homogeneous projective coordinates (x = X/Z, y = Y/Z) with the complete, exception-free formulas of
/// Renes, Costello and Batina (eprint 2015/1060, algorithms 7 and 9 for a = 0). They take no data-dependent branch,
/// which is what multiplication by a secret scalar needs.
/// </summary>
internal readonly struct Projective<F, C> where F : unmanaged, IField<F> where C : unmanaged, ICurve<F>
{
    public readonly F X, Y, Z;

    public Projective(in F x, in F y, in F z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static Projective<F, C> Identity => new(F.Zero, F.One, F.Zero);

    public static Projective<F, C> FromAffine(in F x, in F y, bool infinity) =>
        Select(new Projective<F, C>(x, y, F.One), Identity, infinity);

    /// <summary>The same point in Jacobian coordinates: (X·Z, Y·Z^2, Z).</summary>
    public Jacobian<F, C> ToJacobian() => new(F.Mul(X, Z), F.Mul(Y, F.Sqr(Z)), Z);

    public static Projective<F, C> Select(in Projective<F, C> a, in Projective<F, C> b, bool choice) =>
        new(F.Choose(a.X, b.X, choice), F.Choose(a.Y, b.Y, choice), F.Choose(a.Z, b.Z, choice));

    public Projective<F, C> Negate() => new(X, F.Neg(Y), Z);

    public static Projective<F, C> Add(in Projective<F, C> p, in Projective<F, C> q)
    {
        F t0 = F.Mul(p.X, q.X);
        F t1 = F.Mul(p.Y, q.Y);
        F t2 = F.Mul(p.Z, q.Z);
        F t3 = F.Mul(F.Add(p.X, p.Y), F.Add(q.X, q.Y));
        F t4 = F.Add(t0, t1);
        t3 = F.Sub(t3, t4);
        t4 = F.Mul(F.Add(p.Y, p.Z), F.Add(q.Y, q.Z));
        F x3 = F.Add(t1, t2);
        t4 = F.Sub(t4, x3);
        x3 = F.Mul(F.Add(p.X, p.Z), F.Add(q.X, q.Z));
        F y3 = F.Add(t0, t2);
        y3 = F.Sub(x3, y3);
        x3 = F.Dbl(t0);
        t0 = F.Add(x3, t0);
        t2 = F.Mul(C.B3, t2);
        F z3 = F.Add(t1, t2);
        t1 = F.Sub(t1, t2);
        y3 = F.Mul(C.B3, y3);
        x3 = F.Mul(t4, y3);
        t2 = F.Mul(t3, t1);
        x3 = F.Sub(t2, x3);
        y3 = F.Mul(y3, t0);
        t1 = F.Mul(t1, z3);
        y3 = F.Add(t1, y3);
        t0 = F.Mul(t0, t3);
        z3 = F.Mul(z3, t4);
        z3 = F.Add(z3, t0);
        return new Projective<F, C>(x3, y3, z3);
    }

    public Projective<F, C> Double()
    {
        F t0 = F.Sqr(Y);
        F z3 = F.Dbl(F.Dbl(F.Dbl(t0)));
        F t1 = F.Mul(Y, Z);
        F t2 = F.Mul(C.B3, F.Sqr(Z));
        F x3 = F.Mul(t2, z3);
        F y3 = F.Add(t0, t2);
        z3 = F.Mul(t1, z3);
        t1 = F.Dbl(t2);
        t2 = F.Add(t1, t2);
        t0 = F.Sub(t0, t2);
        y3 = F.Mul(t0, y3);
        y3 = F.Add(x3, y3);
        t1 = F.Mul(X, Y);
        x3 = F.Mul(t0, t1);
        x3 = F.Dbl(x3);
        return new Projective<F, C>(x3, y3, z3);
    }

    /// <summary>
    /// Constant-time multiplication by a secret scalar (four 64-bit little-endian words, 255 bits used): a fixed
    /// 4-bit window with a table read that touches every entry, so neither branches nor memory accesses depend on it.
    /// </summary>
    public Projective<F, C> MultiplyConstantTime(ReadOnlySpan<ulong> scalar)
    {
        Span<Projective<F, C>> table = stackalloc Projective<F, C>[16];
        table[0] = Identity;
        table[1] = this;
        for (int i = 2; i < 16; i++)
        {
            table[i] = Add(table[i - 1], this);
        }

        Projective<F, C> acc = Identity;
        for (int window = scalar.Length * 16 - 1; window >= 0; window--)
        {
            acc = acc.Double().Double().Double().Double();
            int digit = (int)((scalar[window >> 4] >> ((window & 15) * 4)) & 0xF);
            Projective<F, C> chosen = table[0];
            for (int j = 1; j < 16; j++)
            {
                chosen = Select(chosen, table[j], j == digit);
            }

            acc = Add(acc, chosen);
        }

        return acc;
    }

    /// <summary>
    /// Constant-time [a]P + [b]Q for 128-bit a and b (two words each): 2-bit windows over both scalars at once and a
    /// 16-entry table read that touches every entry. Half the doublings of a 255-bit multiplication (GLV).
    /// </summary>
    public static Projective<F, C> MultiplyJointConstantTime(in Projective<F, C> p, in Projective<F, C> q, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        // table[i + 4j] = [i]P + [j]Q
        Span<Projective<F, C>> table = stackalloc Projective<F, C>[16];
        table[0] = Identity;
        for (int i = 1; i < 4; i++)
        {
            table[i] = Add(table[i - 1], p);
        }

        for (int j = 1; j < 4; j++)
        {
            for (int i = 0; i < 4; i++)
            {
                table[i + 4 * j] = Add(table[i + 4 * (j - 1)], q);
            }
        }

        Projective<F, C> acc = Identity;
        for (int window = a.Length * 32 - 1; window >= 0; window--)
        {
            acc = acc.Double().Double();
            int shift = (window & 31) * 2;
            int digit = (int)((a[window >> 5] >> shift) & 3) | ((int)((b[window >> 5] >> shift) & 3) << 2);
            Projective<F, C> chosen = table[0];
            for (int j = 1; j < 16; j++)
            {
                chosen = Select(chosen, table[j], j == digit);
            }

            acc = Add(acc, chosen);
        }

        return acc;
    }
}
