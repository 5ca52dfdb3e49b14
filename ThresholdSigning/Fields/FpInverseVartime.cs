namespace InternetIdentity.ThresholdSigning.Fields;

/// <summary>
/// Variable-time inversion in F_p by the binary extended Euclidean algorithm, about 25x faster than Fermat. Its
/// running time depends on the input, so it is only for public values (verification, decoding, public points);
/// <see cref="Fp.Invert"/> stays the constant-time choice for anything derived from a secret.
/// </summary>
internal static class FpInverseVartime
{
    // Montgomery form: the algorithm inverts aR into a^-1 R^-1; one Montgomery product with R^3 gives a^-1 R.
    private static readonly Fp s_rCubed = Fp.RawLimbs(System.Numerics.BigInteger.ModPow(2, 3 * 384, Fp.Modulus));

    internal static Fp InvertVartime(in Fp a)
    {
        if (a.IsZero)
        {
            return Fp.Zero;
        }

        // Invariants: x1·A ≡ u and x2·A ≡ v (mod p), with A the Montgomery representative of a.
        Span<ulong> u = [a.L0, a.L1, a.L2, a.L3, a.L4, a.L5];
        Span<ulong> v = [Fp.P0, Fp.P1, Fp.P2, Fp.P3, Fp.P4, Fp.P5];
        Span<ulong> x1 = [1, 0, 0, 0, 0, 0];
        Span<ulong> x2 = [0, 0, 0, 0, 0, 0];
        while (!IsOne(u) && !IsOne(v))
        {
            while ((u[0] & 1) == 0)
            {
                ShiftRight(u);
                HalveModP(x1);
            }

            while ((v[0] & 1) == 0)
            {
                ShiftRight(v);
                HalveModP(x2);
            }

            if (GreaterOrEqual(u, v))
            {
                Subtract(u, v);
                SubtractModP(x1, x2);
            }
            else
            {
                Subtract(v, u);
                SubtractModP(x2, x1);
            }
        }

        Span<ulong> r = IsOne(u) ? x1 : x2;
        return new Fp(r[0], r[1], r[2], r[3], r[4], r[5]) * s_rCubed;
    }

    private static bool IsOne(ReadOnlySpan<ulong> x) => x[0] == 1 && (x[1] | x[2] | x[3] | x[4] | x[5]) == 0;

    private static void ShiftRight(Span<ulong> x)
    {
        for (int i = 0; i < 5; i++)
        {
            x[i] = (x[i] >> 1) | (x[i + 1] << 63);
        }

        x[5] >>= 1;
    }

    // x/2 mod p for x < p: x is even, or x + p (below 2^382) is.
    private static void HalveModP(Span<ulong> x)
    {
        if ((x[0] & 1) == 1)
        {
            ReadOnlySpan<ulong> p = [Fp.P0, Fp.P1, Fp.P2, Fp.P3, Fp.P4, Fp.P5];
            ulong carry = 0;
            for (int i = 0; i < 6; i++)
            {
                UInt128 s = (UInt128)x[i] + p[i] + carry;
                x[i] = (ulong)s;
                carry = (ulong)(s >> 64);
            }
        }

        ShiftRight(x);
    }

    private static bool GreaterOrEqual(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        for (int i = 5; i >= 0; i--)
        {
            if (a[i] != b[i])
            {
                return a[i] > b[i];
            }
        }

        return true;
    }

    // a -= b for a >= b.
    private static void Subtract(Span<ulong> a, ReadOnlySpan<ulong> b)
    {
        ulong borrow = 0;
        for (int i = 0; i < 6; i++)
        {
            ulong d = a[i] - b[i] - borrow;
            borrow = (a[i] < b[i] || (a[i] == b[i] && borrow == 1)) ? 1UL : 0UL;
            a[i] = d;
        }
    }

    // a = a - b mod p for a, b < p.
    private static void SubtractModP(Span<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (GreaterOrEqual(a, b))
        {
            Subtract(a, b);
            return;
        }

        ReadOnlySpan<ulong> p = [Fp.P0, Fp.P1, Fp.P2, Fp.P3, Fp.P4, Fp.P5];
        ulong carry = 0;
        for (int i = 0; i < 6; i++)
        {
            UInt128 s = (UInt128)a[i] + p[i] + carry;
            a[i] = (ulong)s;
            carry = (ulong)(s >> 64);
        }

        Subtract(a, b);
    }
}
