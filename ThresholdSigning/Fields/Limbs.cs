using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace InternetIdentity.ThresholdSigning.Fields;

/// <summary>64-bit limb primitives shared by F_p, F_r and the double-width F_p products.</summary>
internal static class Limbs
{
    /// <summary>acc + a·b + carry: returns the low word and leaves the high word in carry.</summary>
    /// <remarks>
    /// Math.BigMul's out parameter makes the JIT spill the low word through the stack on every step; mulx for the
    /// high word plus a plain multiply for the low word keeps both in registers (about 3x faster field multiply).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mac(ulong acc, ulong a, ulong b, ref ulong carry)
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

    /// <summary>
    /// The carry word of t + m·p0 when m = t·(-p^-1) mod 2^64 makes the low word vanish, the first step of a Montgomery
    /// reduction round: the low word of m·p0 is 2^64 - t unless t = 0 (then m = 0), so the carry is the high word plus
    /// one for nonzero t, without forming the low word.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MontgomeryFirstCarry(ulong t, ulong m, ulong p0)
    {
        ulong hi = Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(m, p0) : Math.BigMul(m, p0, out _);
        return hi + (t != 0 ? 1UL : 0UL);
    }

    /// <summary>a + b + carry: returns the sum word and leaves the carry bit in carry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b;
        ulong c1 = s < a ? 1UL : 0UL;
        ulong r = s + carry;
        ulong c2 = r < s ? 1UL : 0UL;
        carry = c1 | c2;
        return r;
    }

    /// <summary>a - b - borrow: returns the difference word and leaves the borrow bit in borrow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubBorrow(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong r = d - borrow;
        ulong b2 = d < borrow ? 1UL : 0UL;
        borrow = b1 | b2;
        return r;
    }
}
