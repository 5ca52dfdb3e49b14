using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Benchmarks;

/// <summary>
/// A proposal for Fp.cs, measured against the current multiply: the same CIOS algorithm, but the 64x64→128 product
/// takes its high word from <c>Bmi2.X64.MultiplyNoFlags(a, b)</c> and its low word from <c>a * b</c>.
/// <c>Math.BigMul(a, b, out lo)</c> is lowered by the .NET 10 JIT to a mulx whose low word goes through a stack slot
/// (the out parameter is address-exposed), which gives every Mac a store/load round trip and the whole multiply a
/// ~700-byte zero-initialised frame. Only <see cref="Mac"/> differs from Fp.cs.
/// </summary>
public class FpMultiplyProposal
{
    private const ulong P0 = 0xb9feffffffffaaab, P1 = 0x1eabfffeb153ffff, P2 = 0x6730d2a0f6b0f624,
        P3 = 0x64774b84f38512bf, P4 = 0x4b1ba7b6434bacd7, P5 = 0x1a0111ea397fe69a;

    private const ulong Inv = 0x89f3fffcfffcfffd;

    private Fp _a, _b;

    [GlobalSetup]
    public void Setup()
    {
        _a = Fp.FromBigInteger(BigInteger.Pow(7919, 97));
        _b = Fp.FromBigInteger(BigInteger.Pow(7907, 89));
        Fp x = _a;
        for (int i = 0; i < 1000; i++)
        {
            if (Multiply(x, _b) != x * _b)
            {
                throw new InvalidOperationException("proposed multiply disagrees with Fp");
            }

            x = x * _b + _a;
        }
    }

    [Benchmark(Baseline = true)]
    public Fp Current() => _a * _b;

    [Benchmark]
    public Fp Proposed() => Multiply(_a, _b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mac(ulong acc, ulong a, ulong b, ref ulong carry)
    {
        ulong hi, lo;
        if (Bmi2.X64.IsSupported)
        {
            hi = Bmi2.X64.MultiplyNoFlags(a, b);
            lo = a * b;
        }
        else
        {
            hi = Math.BigMul(a, b, out lo);
        }

        lo += acc;
        hi += lo < acc ? 1UL : 0UL;
        lo += carry;
        hi += lo < carry ? 1UL : 0UL;
        carry = hi;
        return lo;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ulong ai, ulong b0, ulong b1, ulong b2, ulong b3, ulong b4, ulong b5,
        ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4, ref ulong t5)
    {
        ulong c = 0;
        t0 = Mac(t0, ai, b0, ref c);
        t1 = Mac(t1, ai, b1, ref c);
        t2 = Mac(t2, ai, b2, ref c);
        t3 = Mac(t3, ai, b3, ref c);
        t4 = Mac(t4, ai, b4, ref c);
        t5 = Mac(t5, ai, b5, ref c);
        ulong c2 = c;
        ulong m = t0 * Inv;
        c = 0;
        _ = Mac(t0, m, P0, ref c);
        t0 = Mac(t1, m, P1, ref c);
        t1 = Mac(t2, m, P2, ref c);
        t2 = Mac(t3, m, P3, ref c);
        t3 = Mac(t4, m, P4, ref c);
        t4 = Mac(t5, m, P5, ref c);
        t5 = c2 + c;
    }

    private static Fp Multiply(in Fp a, in Fp b)
    {
        ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3, b4 = b.L4, b5 = b.L5;
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0;
        Round(a.L0, b0, b1, b2, b3, b4, b5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        Round(a.L1, b0, b1, b2, b3, b4, b5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        Round(a.L2, b0, b1, b2, b3, b4, b5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        Round(a.L3, b0, b1, b2, b3, b4, b5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        Round(a.L4, b0, b1, b2, b3, b4, b5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        Round(a.L5, b0, b1, b2, b3, b4, b5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);

        // Conditional subtraction of p, branch-free.
        ulong br = 0;
        ulong d0 = Sbb(t0, P0, ref br), d1 = Sbb(t1, P1, ref br), d2 = Sbb(t2, P2, ref br);
        ulong d3 = Sbb(t3, P3, ref br), d4 = Sbb(t4, P4, ref br), d5 = Sbb(t5, P5, ref br);
        ulong keep = 0UL - br;
        return new Fp(
            (t0 & keep) | (d0 & ~keep), (t1 & keep) | (d1 & ~keep), (t2 & keep) | (d2 & ~keep),
            (t3 & keep) | (d3 & ~keep), (t4 & keep) | (d4 & ~keep), (t5 & keep) | (d5 & ~keep));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Sbb(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong r = d - borrow;
        ulong b2 = d < borrow ? 1UL : 0UL;
        borrow = b1 | b2;
        return r;
    }
}
