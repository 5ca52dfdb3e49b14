using System.Numerics;
using System.Runtime.CompilerServices;

using static InternetIdentity.ThresholdSigning.Fields.Limbs;

namespace InternetIdentity.ThresholdSigning.Fields;

/// <summary>
/// Variable-time inversion in F_p by Kaliski's almost-Montgomery-inverse (a binary extended Euclidean algorithm whose
/// coefficients only ever double, so runs of zero bits are shifted out at once and no step needs a reduction mod p).
/// Its running time depends on the input, so it is only for public values (verification, decoding, public points);
/// <see cref="Fp.Invert"/> stays the constant-time choice for anything derived from a secret.
/// </summary>
internal static class FpInverseVartime
{
    // The loop yields A^-1·2^k for the Montgomery representative A = aR and some k in [381, 762]; one Montgomery
    // product with R^3·2^-k turns that into a^-1·R, the Montgomery form of the inverse.
    private const int MaxShift = 768;
    private static readonly Fp[] s_correction = BuildCorrection();

    private static Fp[] BuildCorrection()
    {
        var table = new Fp[MaxShift + 1];
        table[0] = Fp.RawLimbs(BigInteger.ModPow(2, 3 * 384, Fp.Modulus));
        Fp half = Fp.FromBigInteger((Fp.Modulus + 1) / 2);
        for (int k = 1; k <= MaxShift; k++)
        {
            // A Montgomery product with the Montgomery form of 1/2 halves the raw value.
            table[k] = table[k - 1] * half;
        }

        return table;
    }

    private struct N384
    {
        public ulong W0, W1, W2, W3, W4, W5;
    }

    internal static Fp InvertVartime(in Fp a)
    {
        if (a.IsZero)
        {
            return Fp.Zero;
        }

        // Invariant: p = u·s + v·r with u, v, r, s ≥ 0, so r and s stay at most p while u and v are positive (and r
        // at most 2p after the last step); gcd(u, v) = 1 throughout, and the loop ends with u = 1, v = 0.
        var u = new N384 { W0 = Fp.P0, W1 = Fp.P1, W2 = Fp.P2, W3 = Fp.P3, W4 = Fp.P4, W5 = Fp.P5 };
        var v = new N384 { W0 = a.L0, W1 = a.L1, W2 = a.L2, W3 = a.L3, W4 = a.L4, W5 = a.L5 };
        var r = default(N384);
        var s = new N384 { W0 = 1 };
        int k = 0;
        while ((v.W0 | v.W1 | v.W2 | v.W3 | v.W4 | v.W5) != 0)
        {
            if ((u.W0 & 1) == 0)
            {
                int t = ZeroRun(u.W0);
                ShiftRight(ref u, t);
                ShiftLeft(ref s, t);
                k += t;
            }
            else if ((v.W0 & 1) == 0)
            {
                int t = ZeroRun(v.W0);
                ShiftRight(ref v, t);
                ShiftLeft(ref r, t);
                k += t;
            }
            else if (Greater(u, v))
            {
                SubtractHalve(ref u, v);
                Add(ref r, s);
                ShiftLeft(ref s, 1);
                k++;
            }
            else
            {
                SubtractHalve(ref v, u);
                Add(ref s, r);
                ShiftLeft(ref r, 1);
                k++;
            }
        }

        if (k > MaxShift)
        {
            throw new InvalidOperationException("Inversion took more halvings than the bound allows.");
        }

        // x = p - (r mod p) = A^-1·2^k.
        ulong br = 0;
        ulong d0 = SubBorrow(r.W0, Fp.P0, ref br);
        ulong d1 = SubBorrow(r.W1, Fp.P1, ref br);
        ulong d2 = SubBorrow(r.W2, Fp.P2, ref br);
        ulong d3 = SubBorrow(r.W3, Fp.P3, ref br);
        ulong d4 = SubBorrow(r.W4, Fp.P4, ref br);
        ulong d5 = SubBorrow(r.W5, Fp.P5, ref br);
        if (br == 0)
        {
            r = new N384 { W0 = d0, W1 = d1, W2 = d2, W3 = d3, W4 = d4, W5 = d5 };
        }

        br = 0;
        ulong x0 = SubBorrow(Fp.P0, r.W0, ref br);
        ulong x1 = SubBorrow(Fp.P1, r.W1, ref br);
        ulong x2 = SubBorrow(Fp.P2, r.W2, ref br);
        ulong x3 = SubBorrow(Fp.P3, r.W3, ref br);
        ulong x4 = SubBorrow(Fp.P4, r.W4, ref br);
        ulong x5 = SubBorrow(Fp.P5, r.W5, ref br);
        return new Fp(x0, x1, x2, x3, x4, x5) * s_correction[k];
    }

    // The number of trailing zero bits of an even low word, capped at 63 (a zero word shifts by 63 and loops again).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ZeroRun(ulong w) => BitOperations.TrailingZeroCount(w | (1UL << 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftRight(ref N384 x, int t)
    {
        int back = 64 - t;
        x.W0 = (x.W0 >> t) | (x.W1 << back);
        x.W1 = (x.W1 >> t) | (x.W2 << back);
        x.W2 = (x.W2 >> t) | (x.W3 << back);
        x.W3 = (x.W3 >> t) | (x.W4 << back);
        x.W4 = (x.W4 >> t) | (x.W5 << back);
        x.W5 >>= t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftLeft(ref N384 x, int t)
    {
        int back = 64 - t;
        x.W5 = (x.W5 << t) | (x.W4 >> back);
        x.W4 = (x.W4 << t) | (x.W3 >> back);
        x.W3 = (x.W3 << t) | (x.W2 >> back);
        x.W2 = (x.W2 << t) | (x.W1 >> back);
        x.W1 = (x.W1 << t) | (x.W0 >> back);
        x.W0 <<= t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Greater(in N384 a, in N384 b)
    {
        if (a.W5 != b.W5)
        {
            return a.W5 > b.W5;
        }

        if (a.W4 != b.W4)
        {
            return a.W4 > b.W4;
        }

        if (a.W3 != b.W3)
        {
            return a.W3 > b.W3;
        }

        if (a.W2 != b.W2)
        {
            return a.W2 > b.W2;
        }

        if (a.W1 != b.W1)
        {
            return a.W1 > b.W1;
        }

        return a.W0 > b.W0;
    }

    // x = (x - y) / 2 for odd x > y (the difference is even).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SubtractHalve(ref N384 x, in N384 y)
    {
        ulong br = 0;
        ulong d0 = SubBorrow(x.W0, y.W0, ref br);
        ulong d1 = SubBorrow(x.W1, y.W1, ref br);
        ulong d2 = SubBorrow(x.W2, y.W2, ref br);
        ulong d3 = SubBorrow(x.W3, y.W3, ref br);
        ulong d4 = SubBorrow(x.W4, y.W4, ref br);
        ulong d5 = x.W5 - y.W5 - br;
        x.W0 = (d0 >> 1) | (d1 << 63);
        x.W1 = (d1 >> 1) | (d2 << 63);
        x.W2 = (d2 >> 1) | (d3 << 63);
        x.W3 = (d3 >> 1) | (d4 << 63);
        x.W4 = (d4 >> 1) | (d5 << 63);
        x.W5 = d5 >> 1;
    }

    // x += y; the invariant keeps the sum below 2^382.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref N384 x, in N384 y)
    {
        ulong c = 0;
        x.W0 = AddCarry(x.W0, y.W0, ref c);
        x.W1 = AddCarry(x.W1, y.W1, ref c);
        x.W2 = AddCarry(x.W2, y.W2, ref c);
        x.W3 = AddCarry(x.W3, y.W3, ref c);
        x.W4 = AddCarry(x.W4, y.W4, ref c);
        x.W5 = x.W5 + y.W5 + c;
    }
}
