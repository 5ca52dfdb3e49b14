using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.HashToCurve;

/// <summary>
/// RFC 9380 sqrt_ratio(u, v) for the BLS12-381 suites: true with a square root of u/v if u/v is a square, else
/// false with a square root of Z·u/v (Z = 11 over F_p, Z = -(2+u) over F_p2). Which root is returned does not
/// matter: map_to_curve fixes the sign with sgn0 afterwards. <c>v</c> must be non-zero.
/// </summary>
internal static class SqrtRatio
{
    // sqrt(-11) (RFC 9380 F.2.1.2 c2): -11 is a square because -1 and 11 are not.
    private static readonly Fp s_sqrtMinusZ1 = SqrtOf(-E1Prime.Z);

    // sqrt(-5), where 5 = N(-(2+u)) is a non-square of F_p (so -5 is a square).
    private static readonly Fp s_sqrtMinus5 = SqrtOf(-Fp.FromUInt64(5));

    /// <summary>RFC 9380 F.2.1.2 (q = 3 mod 4): one exponentiation, no inversion.</summary>
    public static bool OverFp(in Fp u, in Fp v, out Fp y)
    {
        Fp tv2 = u * v;
        Fp tv1 = v.Square() * tv2;
        Fp y1 = PowPMinus3Over4(tv1) * tv2;
        bool isQr = y1.Square() * v == u;
        y = isQr ? y1 : y1 * s_sqrtMinusZ1;
        return isQr;
    }

    /// <summary>
    /// sqrt_ratio over F_p2 with two F_p exponentiations instead of the generic F.2.1.1 one over F_p2:
    /// u/v = a/n with a = u·conj(v) and n = N(v) in F_p; a is a square iff N(a) is a square in F_p, and the
    /// square root of a/n follows from the "complex" method with the inversions folded into the exponentiations.
    /// </summary>
    public static bool OverFp2(in Fp2 u, in Fp2 v, out Fp2 y)
    {
        Fp2 a = u * v.Conjugate();
        Fp n = v.Norm();
        if (a.IsZero)
        {
            y = Fp2.Zero;
            return true;
        }

        Fp normA = a.Norm();
        Fp t = PowPMinus3Over4(normA);
        Fp normT = normA * t;                      // normA^((p+1)/4)
        bool isQr = normT * t == Fp.One;          // Euler's criterion: normA^((p-1)/2)
        Fp s;                                      // a square root of N(a)
        if (isQr)
        {
            s = normT;
        }
        else
        {
            // Z·a is then a square; N(Z·a) = 5·N(a) = (-5)·(-N(a)) and sqrt(-N(a)) = -N(a)·t since e = (p-3)/4 is even.
            a *= E2Prime.Z;
            s = s_sqrtMinus5 * -normT;
        }

        y = SqrtOfSquareRatio(a, s, n);
        return isQr;
    }

    // A square root of a/n, given that it is a square and s^2 = N(a).
    private static Fp2 SqrtOfSquareRatio(in Fp2 a, in Fp s, in Fp n)
    {
        if (a.C1.IsZero)
        {
            // a/n lies in F_p: its root is in F_p if a0/n is a square there, else in F_p·u.
            Fp g0 = a.C0 * n;
            Fp t0 = PowPMinus3Over4(g0 * n.Square());
            Fp r = g0 * t0;                         // a0·n·(a0·n^3)^e
            return r.Square() * n == a.C0 ? new Fp2(r, Fp.Zero) : new Fp2(Fp.Zero, -r);
        }

        // Complex method: δ = (a0/n + s/n) / 2 = num/den with num = a0 + s (non-zero as a1 ≠ 0), den = 2n.
        // With g = num·den^3 and t = g^e: sqrt(num/den) = num·den·t and 1/sqrt(num/den) = den^2·t when
        // g·t^2 = 1; otherwise -δ is the square and sqrt(-num/den) = -num·den·t (e is even).
        Fp num = a.C0 + s;
        Fp den = n.Double();
        Fp numDen = num * den;
        Fp g = numDen * den.Square();
        Fp tg = PowPMinus3Over4(g);
        Fp root = numDen * tg;                      // sqrt(±δ) up to sign
        Fp other = a.C1 * den * tg;                 // a1/(2n) / sqrt(±δ)
        return g * tg.Square() == Fp.One ? new Fp2(root, other) : new Fp2(other, -root);
    }

    // x^((p-3)/4) by a fixed sliding-window chain (window 5): about 378 squarings and 75 multiplications.
    private const int Window = 5;
    private static readonly (int Squarings, int Digit)[] s_chain = BuildChain(Fp.PMinus3Over4, out s_leadDigit);
    private static readonly int s_leadDigit;

    internal static Fp PowPMinus3Over4(in Fp x)
    {
        // Odd powers x^1, x^3, ..., x^(2^Window - 1).
        Span<Fp> odd = stackalloc Fp[1 << (Window - 1)];
        odd[0] = x;
        Fp x2 = x.Square();
        for (int i = 1; i < odd.Length; i++)
        {
            odd[i] = odd[i - 1] * x2;
        }

        Fp acc = odd[s_leadDigit >> 1];
        foreach ((int squarings, int digit) in s_chain)
        {
            for (int k = 0; k < squarings; k++)
            {
                acc = acc.Square();
            }

            if (digit != 0)
            {
                acc *= odd[digit >> 1];
            }
        }

        return acc;
    }

    // Splits the exponent (little-endian words) into odd windows: the leading digit, then (squarings, digit) steps,
    // with a final digit 0 step for trailing zero bits.
    private static (int, int)[] BuildChain(ulong[] exponent, out int leadDigit)
    {
        int top = exponent.Length * 64 - 1;
        while (Bit(exponent, top) == 0)
        {
            top--;
        }

        var steps = new List<(int, int)>();
        leadDigit = -1;
        int pending = 0;
        int i = top;
        while (i >= 0)
        {
            if (Bit(exponent, i) == 0)
            {
                pending++;
                i--;
                continue;
            }

            int low = Math.Max(i - Window + 1, 0);
            while (Bit(exponent, low) == 0)
            {
                low++;
            }

            int digit = 0;
            for (int b = i; b >= low; b--)
            {
                digit = (digit << 1) | Bit(exponent, b);
            }

            if (leadDigit < 0)
            {
                leadDigit = digit;
            }
            else
            {
                steps.Add((pending + i - low + 1, digit));
            }

            pending = 0;
            i = low - 1;
        }

        if (pending > 0)
        {
            steps.Add((pending, 0));
        }

        return steps.ToArray();
    }

    private static int Bit(ulong[] words, int index) => (int)((words[index >> 6] >> (index & 63)) & 1);

    private static Fp SqrtOf(in Fp square) =>
        square.TrySqrt(out Fp root) ? root : throw new InvalidOperationException("Constant has no square root.");
}
