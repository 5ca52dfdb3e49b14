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
