using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

using InternetIdentity.ThresholdSigning.Fields.Native;

using static InternetIdentity.ThresholdSigning.Fields.Limbs;

namespace InternetIdentity.ThresholdSigning.Fields;

/// <summary>
/// An unreduced 768-bit product of two Montgomery-form F_p elements, for lazy reduction in the F_p6 and F_p12 towers:
/// sums and differences of products are formed at double width and reduced once (Aranha et al., eprint 2010/526).
/// </summary>
/// <remarks>
/// Values are kept in [0, p·2^384), the input range of Montgomery reduction, by doing addition and subtraction modulo
/// p·2^384: a carry or borrow only ever corrects the high half by p. Part of the pairing code; it reads Fp's limbs
/// but leaves Fp itself unchanged.
/// </remarks>
internal readonly struct FpWide
{
    internal readonly ulong L0, L1, L2, L3, L4, L5, H0, H1, H2, H3, H4, H5;

    private const ulong P0 = Fp.P0, P1 = Fp.P1, P2 = Fp.P2, P3 = Fp.P3, P4 = Fp.P4, P5 = Fp.P5;

    // -p^-1 mod 2^64
    private const ulong Inv = 0x89f3fffcfffcfffd;

    /// <summary>Whether the two hold the same twelve words (for the kernel self-test and tests).</summary>
    internal bool Equals(in FpWide other) =>
        ((L0 ^ other.L0) | (L1 ^ other.L1) | (L2 ^ other.L2) | (L3 ^ other.L3) | (L4 ^ other.L4) | (L5 ^ other.L5)
            | (H0 ^ other.H0) | (H1 ^ other.H1) | (H2 ^ other.H2) | (H3 ^ other.H3) | (H4 ^ other.H4) | (H5 ^ other.H5)) == 0;

    private FpWide(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5,
        ulong h0, ulong h1, ulong h2, ulong h3, ulong h4, ulong h5)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3; L4 = l4; L5 = l5;
        H0 = h0; H1 = h1; H2 = h2; H3 = h3; H4 = h4; H5 = h5;
    }

    // One schoolbook row: r[i..i+5] += a_i·b, returning the carry word r[i+6].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Row(ulong ai, in Fp b, ref ulong r0, ref ulong r1, ref ulong r2, ref ulong r3, ref ulong r4,
        ref ulong r5)
    {
        ulong c = 0;
        r0 = Mac(r0, ai, b.L0, ref c);
        r1 = Mac(r1, ai, b.L1, ref c);
        r2 = Mac(r2, ai, b.L2, ref c);
        r3 = Mac(r3, ai, b.L3, ref c);
        r4 = Mac(r4, ai, b.L4, ref c);
        r5 = Mac(r5, ai, b.L5, ref c);
        return c;
    }

    // The kernels below are kept out of line on purpose: each is a fresh inlining root, so its carry helpers are
    // inlined, while callers stay small enough that the JIT's inlining budget is not exhausted (once it is, even
    // AggressiveInlining helpers such as Adc become calls).

    /// <summary>The full 768-bit product a·b (below p^2 for reduced factors, below 4p^2 for unreduced sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FpWide Multiply(in Fp a, in Fp b) =>
        FpKernels.IsNative ? FpKernels.MultiplyWide(a, b) : MultiplyManaged(a, b);

    /// <summary>The full 768-bit product a·b in managed code.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static FpWide MultiplyManaged(in Fp a, in Fp b)
    {
        ulong r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6, r7, r8, r9, r10, r11;
        r6 = Row(a.L0, b, ref r0, ref r1, ref r2, ref r3, ref r4, ref r5);
        r7 = Row(a.L1, b, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6);
        r8 = Row(a.L2, b, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        r9 = Row(a.L3, b, ref r3, ref r4, ref r5, ref r6, ref r7, ref r8);
        r10 = Row(a.L4, b, ref r4, ref r5, ref r6, ref r7, ref r8, ref r9);
        r11 = Row(a.L5, b, ref r5, ref r6, ref r7, ref r8, ref r9, ref r10);
        return new FpWide(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11);
    }

    /// <summary>The full 768-bit square a^2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FpWide Square(in Fp a) => FpKernels.IsNative ? FpKernels.SquareWide(a) : SquareManaged(a);

    /// <summary>
    /// The full 768-bit square a^2 in managed code: the fifteen products a_i·a_j (i &lt; j) once, doubled by a shift,
    /// plus the six diagonal squares; 21 word products instead of 36.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static FpWide SquareManaged(in Fp a)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4, a5 = a.L5;
        ulong c;

        // Off-diagonal products, r1..r10.
        c = 0;
        ulong r1 = Mac(0, a0, a1, ref c);
        ulong r2 = Mac(0, a0, a2, ref c);
        ulong r3 = Mac(0, a0, a3, ref c);
        ulong r4 = Mac(0, a0, a4, ref c);
        ulong r5 = Mac(0, a0, a5, ref c);
        ulong r6 = c;
        c = 0;
        r3 = Mac(r3, a1, a2, ref c);
        r4 = Mac(r4, a1, a3, ref c);
        r5 = Mac(r5, a1, a4, ref c);
        r6 = Mac(r6, a1, a5, ref c);
        ulong r7 = c;
        c = 0;
        r5 = Mac(r5, a2, a3, ref c);
        r6 = Mac(r6, a2, a4, ref c);
        r7 = Mac(r7, a2, a5, ref c);
        ulong r8 = c;
        c = 0;
        r7 = Mac(r7, a3, a4, ref c);
        r8 = Mac(r8, a3, a5, ref c);
        ulong r9 = c;
        c = 0;
        r9 = Mac(r9, a4, a5, ref c);
        ulong r10 = c;

        // Double: the off-diagonal sum is below 2^767, so the shift loses nothing.
        ulong r11 = r10 >> 63;
        r10 = (r10 << 1) | (r9 >> 63);
        r9 = (r9 << 1) | (r8 >> 63);
        r8 = (r8 << 1) | (r7 >> 63);
        r7 = (r7 << 1) | (r6 >> 63);
        r6 = (r6 << 1) | (r5 >> 63);
        r5 = (r5 << 1) | (r4 >> 63);
        r4 = (r4 << 1) | (r3 >> 63);
        r3 = (r3 << 1) | (r2 >> 63);
        r2 = (r2 << 1) | (r1 >> 63);
        r1 <<= 1;

        // Add the diagonal squares a_i^2 at word 2i.
        ulong r0 = 0;
        c = 0;
        AddSquare(a0, ref r0, ref r1, ref c);
        AddSquare(a1, ref r2, ref r3, ref c);
        AddSquare(a2, ref r4, ref r5, ref c);
        AddSquare(a3, ref r6, ref r7, ref c);
        AddSquare(a4, ref r8, ref r9, ref c);
        AddSquare(a5, ref r10, ref r11, ref c);
        return new FpWide(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11);
    }

    // (lo, hi) += ai^2 + carry bit, leaving the carry bit out of hi in carry.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSquare(ulong ai, ref ulong lo, ref ulong hi, ref ulong carry)
    {
        ulong sqHi, sqLo;
        if (Bmi2.X64.IsSupported)
        {
            sqHi = Bmi2.X64.MultiplyNoFlags(ai, ai);
            sqLo = ai * ai;
        }
        else
        {
            sqHi = Math.BigMul(ai, ai, out sqLo);
        }

        lo = AddCarry(lo, sqLo, ref carry);
        hi = AddCarry(hi, sqHi, ref carry);
    }

    /// <summary>Addition modulo p·2^384.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FpWide operator +(in FpWide a, in FpWide b) =>
        FpKernels.IsNative ? FpKernels.AddWide(a, b) : AddManaged(a, b);

    /// <summary>Addition modulo p·2^384 in managed code.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static FpWide AddManaged(in FpWide a, in FpWide b)
    {
        ulong c = 0;
        ulong l0 = AddCarry(a.L0, b.L0, ref c);
        ulong l1 = AddCarry(a.L1, b.L1, ref c);
        ulong l2 = AddCarry(a.L2, b.L2, ref c);
        ulong l3 = AddCarry(a.L3, b.L3, ref c);
        ulong l4 = AddCarry(a.L4, b.L4, ref c);
        ulong l5 = AddCarry(a.L5, b.L5, ref c);
        ulong h0 = AddCarry(a.H0, b.H0, ref c);
        ulong h1 = AddCarry(a.H1, b.H1, ref c);
        ulong h2 = AddCarry(a.H2, b.H2, ref c);
        ulong h3 = AddCarry(a.H3, b.H3, ref c);
        ulong h4 = AddCarry(a.H4, b.H4, ref c);
        ulong h5 = a.H5 + b.H5 + c;

        // Both high halves are below p < 2^381, so their sum fits; subtract p from it when it reaches p.
        ulong br = 0;
        ulong d0 = SubBorrow(h0, P0, ref br);
        ulong d1 = SubBorrow(h1, P1, ref br);
        ulong d2 = SubBorrow(h2, P2, ref br);
        ulong d3 = SubBorrow(h3, P3, ref br);
        ulong d4 = SubBorrow(h4, P4, ref br);
        ulong d5 = SubBorrow(h5, P5, ref br);
        ulong keep = 0UL - br;
        return new FpWide(l0, l1, l2, l3, l4, l5,
            (h0 & keep) | (d0 & ~keep), (h1 & keep) | (d1 & ~keep), (h2 & keep) | (d2 & ~keep),
            (h3 & keep) | (d3 & ~keep), (h4 & keep) | (d4 & ~keep), (h5 & keep) | (d5 & ~keep));
    }

    /// <summary>Subtraction modulo p·2^384.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FpWide operator -(in FpWide a, in FpWide b) =>
        FpKernels.IsNative ? FpKernels.SubtractWide(a, b) : SubtractManaged(a, b);

    /// <summary>Subtraction modulo p·2^384 in managed code.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static FpWide SubtractManaged(in FpWide a, in FpWide b)
    {
        ulong br = 0;
        ulong l0 = SubBorrow(a.L0, b.L0, ref br);
        ulong l1 = SubBorrow(a.L1, b.L1, ref br);
        ulong l2 = SubBorrow(a.L2, b.L2, ref br);
        ulong l3 = SubBorrow(a.L3, b.L3, ref br);
        ulong l4 = SubBorrow(a.L4, b.L4, ref br);
        ulong l5 = SubBorrow(a.L5, b.L5, ref br);
        ulong h0 = SubBorrow(a.H0, b.H0, ref br);
        ulong h1 = SubBorrow(a.H1, b.H1, ref br);
        ulong h2 = SubBorrow(a.H2, b.H2, ref br);
        ulong h3 = SubBorrow(a.H3, b.H3, ref br);
        ulong h4 = SubBorrow(a.H4, b.H4, ref br);
        ulong h5 = SubBorrow(a.H5, b.H5, ref br);

        // On borrow add p·2^384 back (branch-free).
        ulong mask = 0UL - br;
        ulong c = 0;
        h0 = AddCarry(h0, P0 & mask, ref c);
        h1 = AddCarry(h1, P1 & mask, ref c);
        h2 = AddCarry(h2, P2 & mask, ref c);
        h3 = AddCarry(h3, P3 & mask, ref c);
        h4 = AddCarry(h4, P4 & mask, ref c);
        h5 = h5 + (P5 & mask) + c;
        return new FpWide(l0, l1, l2, l3, l4, l5, h0, h1, h2, h3, h4, h5);
    }

    /// <summary>
    /// The integer sum a + b of two reduced elements, below 2p and so not a canonical F_p value: only ever used as a
    /// factor of <see cref="Multiply"/>, whose product then stays below 4p^2 &lt; p·2^384.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp AddUnreduced(in Fp a, in Fp b)
    {
        ulong c = 0;
        ulong s0 = AddCarry(a.L0, b.L0, ref c);
        ulong s1 = AddCarry(a.L1, b.L1, ref c);
        ulong s2 = AddCarry(a.L2, b.L2, ref c);
        ulong s3 = AddCarry(a.L3, b.L3, ref c);
        ulong s4 = AddCarry(a.L4, b.L4, ref c);
        ulong s5 = a.L5 + b.L5 + c;
        return new Fp(s0, s1, s2, s3, s4, s5);
    }

    /// <summary>Exact addition for a caller that knows the sum stays below p·2^384 (no modular correction).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FpWide AddExact(in FpWide a, in FpWide b)
    {
        ulong c = 0;
        ulong l0 = AddCarry(a.L0, b.L0, ref c);
        ulong l1 = AddCarry(a.L1, b.L1, ref c);
        ulong l2 = AddCarry(a.L2, b.L2, ref c);
        ulong l3 = AddCarry(a.L3, b.L3, ref c);
        ulong l4 = AddCarry(a.L4, b.L4, ref c);
        ulong l5 = AddCarry(a.L5, b.L5, ref c);
        ulong h0 = AddCarry(a.H0, b.H0, ref c);
        ulong h1 = AddCarry(a.H1, b.H1, ref c);
        ulong h2 = AddCarry(a.H2, b.H2, ref c);
        ulong h3 = AddCarry(a.H3, b.H3, ref c);
        ulong h4 = AddCarry(a.H4, b.H4, ref c);
        ulong h5 = a.H5 + b.H5 + c;
        return new FpWide(l0, l1, l2, l3, l4, l5, h0, h1, h2, h3, h4, h5);
    }

    /// <summary>
    /// Exact subtraction a - b for a caller that knows a ≥ b as integers (no modular correction), such as the
    /// Karatsuba middle term (a0 + a1)(b0 + b1) - a0·b0 - a1·b1 = a0·b1 + a1·b0.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FpWide SubtractExact(in FpWide a, in FpWide b)
    {
        ulong br = 0;
        ulong l0 = SubBorrow(a.L0, b.L0, ref br);
        ulong l1 = SubBorrow(a.L1, b.L1, ref br);
        ulong l2 = SubBorrow(a.L2, b.L2, ref br);
        ulong l3 = SubBorrow(a.L3, b.L3, ref br);
        ulong l4 = SubBorrow(a.L4, b.L4, ref br);
        ulong l5 = SubBorrow(a.L5, b.L5, ref br);
        ulong h0 = SubBorrow(a.H0, b.H0, ref br);
        ulong h1 = SubBorrow(a.H1, b.H1, ref br);
        ulong h2 = SubBorrow(a.H2, b.H2, ref br);
        ulong h3 = SubBorrow(a.H3, b.H3, ref br);
        ulong h4 = SubBorrow(a.H4, b.H4, ref br);
        ulong h5 = SubBorrow(a.H5, b.H5, ref br);
        return new FpWide(l0, l1, l2, l3, l4, l5, h0, h1, h2, h3, h4, h5);
    }

    /// <summary>
    /// Exact a - b - c for a caller that knows a ≥ b + c as integers (the Karatsuba middle term (a0 + a1)(b0 + b1) -
    /// a0·b0 - a1·b1): one pass with the two borrow chains interleaved, which costs little more than one subtraction.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FpWide SubtractExact(in FpWide a, in FpWide b, in FpWide c)
    {
        ulong bb = 0, bc = 0;
        ulong l0 = SubBorrow(SubBorrow(a.L0, b.L0, ref bb), c.L0, ref bc);
        ulong l1 = SubBorrow(SubBorrow(a.L1, b.L1, ref bb), c.L1, ref bc);
        ulong l2 = SubBorrow(SubBorrow(a.L2, b.L2, ref bb), c.L2, ref bc);
        ulong l3 = SubBorrow(SubBorrow(a.L3, b.L3, ref bb), c.L3, ref bc);
        ulong l4 = SubBorrow(SubBorrow(a.L4, b.L4, ref bb), c.L4, ref bc);
        ulong l5 = SubBorrow(SubBorrow(a.L5, b.L5, ref bb), c.L5, ref bc);
        ulong h0 = SubBorrow(SubBorrow(a.H0, b.H0, ref bb), c.H0, ref bc);
        ulong h1 = SubBorrow(SubBorrow(a.H1, b.H1, ref bb), c.H1, ref bc);
        ulong h2 = SubBorrow(SubBorrow(a.H2, b.H2, ref bb), c.H2, ref bc);
        ulong h3 = SubBorrow(SubBorrow(a.H3, b.H3, ref bb), c.H3, ref bc);
        ulong h4 = SubBorrow(SubBorrow(a.H4, b.H4, ref bb), c.H4, ref bc);
        ulong h5 = a.H5 - b.H5 - bb - c.H5 - bc;
        return new FpWide(l0, l1, l2, l3, l4, l5, h0, h1, h2, h3, h4, h5);
    }

    // p^2 and 2p^2, little-endian words: multiples of p that keep signed sums of products non-negative.
    private const ulong S0 = 0x26aa00001c718e39, S1 = 0x7ced6b1d76382eab, S2 = 0x162c338362113cfd,
        S3 = 0x66bf91ed3e71b743, S4 = 0x292e85a87091a049, S5 = 0x1d68619c86185c7b, S6 = 0xf53149330978ef01,
        S7 = 0x50a62cfd16ddca6e, S8 = 0x66e59e49349e8bd0, S9 = 0xe2dc90e50e7046b4, S10 = 0x4bd278eaa22f25e9,
        S11 = 0x02a437a4b8c35fc7;

    private const ulong D0 = 0x4d54000038e31c72, D1 = 0xf9dad63aec705d56, D2 = 0x2c586706c42279fa,
        D3 = 0xcd7f23da7ce36e86, D4 = 0x525d0b50e1234092, D5 = 0x3ad0c3390c30b8f6, D6 = 0xea62926612f1de02,
        D7 = 0xa14c59fa2dbb94dd, D8 = 0xcdcb3c92693d17a0, D9 = 0xc5b921ca1ce08d68, D10 = 0x97a4f1d5445e4bd3,
        D11 = 0x05486f497186bf8e;

    // The three-operand forms below run two or three carry chains interleaved in one pass: about the cost of one
    // two-operand operation, and none of them needs the conditional correction of the modular forms.

    /// <summary>Exact a + b + c for a caller that knows the sum stays below p·2^384.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FpWide AddExact(in FpWide a, in FpWide b, in FpWide c)
    {
        ulong cb = 0, cc = 0;
        ulong l0 = AddCarry(AddCarry(a.L0, b.L0, ref cb), c.L0, ref cc);
        ulong l1 = AddCarry(AddCarry(a.L1, b.L1, ref cb), c.L1, ref cc);
        ulong l2 = AddCarry(AddCarry(a.L2, b.L2, ref cb), c.L2, ref cc);
        ulong l3 = AddCarry(AddCarry(a.L3, b.L3, ref cb), c.L3, ref cc);
        ulong l4 = AddCarry(AddCarry(a.L4, b.L4, ref cb), c.L4, ref cc);
        ulong l5 = AddCarry(AddCarry(a.L5, b.L5, ref cb), c.L5, ref cc);
        ulong h0 = AddCarry(AddCarry(a.H0, b.H0, ref cb), c.H0, ref cc);
        ulong h1 = AddCarry(AddCarry(a.H1, b.H1, ref cb), c.H1, ref cc);
        ulong h2 = AddCarry(AddCarry(a.H2, b.H2, ref cb), c.H2, ref cc);
        ulong h3 = AddCarry(AddCarry(a.H3, b.H3, ref cb), c.H3, ref cc);
        ulong h4 = AddCarry(AddCarry(a.H4, b.H4, ref cb), c.H4, ref cc);
        ulong h5 = a.H5 + b.H5 + cb + c.H5 + cc;
        return new FpWide(l0, l1, l2, l3, l4, l5, h0, h1, h2, h3, h4, h5);
    }

    /// <summary>
    /// a + b - c + p^2, congruent to a + b - c modulo p, for c below p^2 (so the result is non-negative) and a + b
    /// + p^2 below p·2^384.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FpWide AddSubtractBiased(in FpWide a, in FpWide b, in FpWide c)
    {
        ulong cb = 0, cs = 0, br = 0;
        ulong l0 = SubBorrow(AddCarry(AddCarry(a.L0, b.L0, ref cb), S0, ref cs), c.L0, ref br);
        ulong l1 = SubBorrow(AddCarry(AddCarry(a.L1, b.L1, ref cb), S1, ref cs), c.L1, ref br);
        ulong l2 = SubBorrow(AddCarry(AddCarry(a.L2, b.L2, ref cb), S2, ref cs), c.L2, ref br);
        ulong l3 = SubBorrow(AddCarry(AddCarry(a.L3, b.L3, ref cb), S3, ref cs), c.L3, ref br);
        ulong l4 = SubBorrow(AddCarry(AddCarry(a.L4, b.L4, ref cb), S4, ref cs), c.L4, ref br);
        ulong l5 = SubBorrow(AddCarry(AddCarry(a.L5, b.L5, ref cb), S5, ref cs), c.L5, ref br);
        ulong h0 = SubBorrow(AddCarry(AddCarry(a.H0, b.H0, ref cb), S6, ref cs), c.H0, ref br);
        ulong h1 = SubBorrow(AddCarry(AddCarry(a.H1, b.H1, ref cb), S7, ref cs), c.H1, ref br);
        ulong h2 = SubBorrow(AddCarry(AddCarry(a.H2, b.H2, ref cb), S8, ref cs), c.H2, ref br);
        ulong h3 = SubBorrow(AddCarry(AddCarry(a.H3, b.H3, ref cb), S9, ref cs), c.H3, ref br);
        ulong h4 = SubBorrow(AddCarry(AddCarry(a.H4, b.H4, ref cb), S10, ref cs), c.H4, ref br);
        ulong h5 = a.H5 + b.H5 + cb + S11 + cs - c.H5 - br;
        return new FpWide(l0, l1, l2, l3, l4, l5, h0, h1, h2, h3, h4, h5);
    }

    /// <summary>
    /// a - b - c + 2p^2, congruent to a - b - c modulo p, for b and c below p^2 (so the result is non-negative) and
    /// a + 2p^2 below p·2^384.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FpWide SubtractBiased(in FpWide a, in FpWide b, in FpWide c)
    {
        ulong cd = 0, bb = 0, bc = 0;
        ulong l0 = SubBorrow(SubBorrow(AddCarry(a.L0, D0, ref cd), b.L0, ref bb), c.L0, ref bc);
        ulong l1 = SubBorrow(SubBorrow(AddCarry(a.L1, D1, ref cd), b.L1, ref bb), c.L1, ref bc);
        ulong l2 = SubBorrow(SubBorrow(AddCarry(a.L2, D2, ref cd), b.L2, ref bb), c.L2, ref bc);
        ulong l3 = SubBorrow(SubBorrow(AddCarry(a.L3, D3, ref cd), b.L3, ref bb), c.L3, ref bc);
        ulong l4 = SubBorrow(SubBorrow(AddCarry(a.L4, D4, ref cd), b.L4, ref bb), c.L4, ref bc);
        ulong l5 = SubBorrow(SubBorrow(AddCarry(a.L5, D5, ref cd), b.L5, ref bb), c.L5, ref bc);
        ulong h0 = SubBorrow(SubBorrow(AddCarry(a.H0, D6, ref cd), b.H0, ref bb), c.H0, ref bc);
        ulong h1 = SubBorrow(SubBorrow(AddCarry(a.H1, D7, ref cd), b.H1, ref bb), c.H1, ref bc);
        ulong h2 = SubBorrow(SubBorrow(AddCarry(a.H2, D8, ref cd), b.H2, ref bb), c.H2, ref bc);
        ulong h3 = SubBorrow(SubBorrow(AddCarry(a.H3, D9, ref cd), b.H3, ref bb), c.H3, ref bc);
        ulong h4 = SubBorrow(SubBorrow(AddCarry(a.H4, D10, ref cd), b.H4, ref bb), c.H4, ref bc);
        ulong h5 = a.H5 + D11 + cd - b.H5 - bb - c.H5 - bc;
        return new FpWide(l0, l1, l2, l3, l4, l5, h0, h1, h2, h3, h4, h5);
    }

    // One Montgomery reduction round: adds m·p at the word position of t0 (m chosen to clear t0), folding the carry
    // into t6 with the carry bit of the previous round.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReduceRound(ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4, ref ulong t5,
        ref ulong t6, ref ulong bit)
    {
        ulong m = t0 * Inv;
        ulong c = MontgomeryFirstCarry(t0, m, P0);
        t1 = Mac(t1, m, P1, ref c);
        t2 = Mac(t2, m, P2, ref c);
        t3 = Mac(t3, m, P3, ref c);
        t4 = Mac(t4, m, P4, ref c);
        t5 = Mac(t5, m, P5, ref c);
        ulong carry = bit;
        t6 = AddCarry(t6, c, ref carry);
        bit = carry;
    }

    /// <summary>Montgomery reduction: the F_p element this·2^-384 mod p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fp Reduce() => FpKernels.IsNative ? FpKernels.Reduce(this) : ReduceManaged();

    /// <summary>Montgomery reduction in managed code.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal Fp ReduceManaged()
    {
        ulong t0 = L0, t1 = L1, t2 = L2, t3 = L3, t4 = L4, t5 = L5;
        ulong t6 = H0, t7 = H1, t8 = H2, t9 = H3, t10 = H4, t11 = H5;
        ulong bit = 0;
        ReduceRound(ref t0, ref t1, ref t2, ref t3, ref t4, ref t5, ref t6, ref bit);
        ReduceRound(ref t1, ref t2, ref t3, ref t4, ref t5, ref t6, ref t7, ref bit);
        ReduceRound(ref t2, ref t3, ref t4, ref t5, ref t6, ref t7, ref t8, ref bit);
        ReduceRound(ref t3, ref t4, ref t5, ref t6, ref t7, ref t8, ref t9, ref bit);
        ReduceRound(ref t4, ref t5, ref t6, ref t7, ref t8, ref t9, ref t10, ref bit);
        ReduceRound(ref t5, ref t6, ref t7, ref t8, ref t9, ref t10, ref t11, ref bit);

        // The value is (t6..t11) below 2p < 2^382, so the final carry bit is zero; subtract p once if needed.
        ulong br = 0;
        ulong d0 = SubBorrow(t6, P0, ref br);
        ulong d1 = SubBorrow(t7, P1, ref br);
        ulong d2 = SubBorrow(t8, P2, ref br);
        ulong d3 = SubBorrow(t9, P3, ref br);
        ulong d4 = SubBorrow(t10, P4, ref br);
        ulong d5 = SubBorrow(t11, P5, ref br);
        ulong keep = 0UL - br;
        return new Fp(
            (t6 & keep) | (d0 & ~keep), (t7 & keep) | (d1 & ~keep), (t8 & keep) | (d2 & ~keep),
            (t9 & keep) | (d3 & ~keep), (t10 & keep) | (d4 & ~keep), (t11 & keep) | (d5 & ~keep));
    }
}

/// <summary>An unreduced F_p2 product (c0 + c1·u at double width), for lazy reduction.</summary>
internal readonly struct Fp2Wide
{
    internal readonly FpWide C0, C1;

    internal Fp2Wide(in FpWide c0, in FpWide c1)
    {
        C0 = c0;
        C1 = c1;
    }

    /// <summary>Whether both parts hold the same words (for the kernel self-test and tests).</summary>
    internal bool Equals(in Fp2Wide other) => C0.Equals(other.C0) && C1.Equals(other.C1);

    /// <summary>
    /// Karatsuba product: three double-width products, no reduction. The u-part a0·b1 + a1·b0 is exact (below 2p^2 for
    /// reduced inputs, 8p^2 for coefficients below 2p); the real part a0·b0 - a1·b1 is taken modulo p·2^384.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2Wide Multiply(in Fp2 a, in Fp2 b) =>
        FpKernels.IsNative ? FpKernels.Fp2MultiplyWide(a, b) : MultiplyManaged(a, b);

    /// <summary>The Karatsuba product in managed code (see <see cref="Multiply"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Fp2Wide MultiplyManaged(in Fp2 a, in Fp2 b)
    {
        FpWide t0 = FpWide.MultiplyManaged(a.C0, b.C0);
        FpWide t1 = FpWide.MultiplyManaged(a.C1, b.C1);
        // The sums are left unreduced (below 2p), so s - t0 - t1 = a0·b1 + a1·b0 holds over the integers: it is
        // non-negative and below 2p^2, and the subtractions need no modular correction.
        FpWide s = FpWide.MultiplyManaged(FpWide.AddUnreduced(a.C0, a.C1), FpWide.AddUnreduced(b.C0, b.C1));
        return new Fp2Wide(FpWide.SubtractManaged(t0, t1), FpWide.SubtractExact(s, t0, t1));
    }

    /// <summary>
    /// ξ·a·b from the three Karatsuba products: with t0 = a0·b0, t1 = a1·b1 and s = (a0 + a1)(b0 + b1),
    /// ξ·a·b = (2t0 - s) + (s - 2t1)·u, the doublings folded into the factors; two subtractions in all.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Fp2Wide MultiplyByNonresidue(in Fp2 a, in Fp2 b)
    {
        FpWide t0Twice = FpWide.Multiply(a.C0.Double(), b.C0);
        FpWide t1Twice = FpWide.Multiply(a.C1.Double(), b.C1);
        FpWide s = FpWide.Multiply(FpWide.AddUnreduced(a.C0, a.C1), FpWide.AddUnreduced(b.C0, b.C1));
        return new Fp2Wide(t0Twice - s, s - t1Twice);
    }

    /// <summary>
    /// a + ξ·b for a and b whose parts are below p^2 (such as squares): (a0 + b0 - b1 + p^2) + (a1 + b0 + b1)·u, both
    /// exact and below 3p^2.
    /// </summary>
    public static Fp2Wide AddMulByNonresidue(in Fp2Wide a, in Fp2Wide b) =>
        new(FpWide.AddSubtractBiased(a.C0, b.C0, b.C1), FpWide.AddExact(a.C1, b.C0, b.C1));

    /// <summary>s - a - b for parts below p^2 (such as squares), each part biased by 2p^2 to stay non-negative.</summary>
    public static Fp2Wide SubtractBiased(in Fp2Wide s, in Fp2Wide a, in Fp2Wide b) =>
        new(FpWide.SubtractBiased(s.C0, a.C0, b.C0), FpWide.SubtractBiased(s.C1, a.C1, b.C1));

    /// <summary>Complex squaring: (a0 + a1)(a0 - a1) + 2·a0·a1·u, two double-width products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2Wide Square(in Fp2 a) => FpKernels.IsNative ? FpKernels.Fp2SquareWide(a) : SquareManaged(a);

    /// <summary>Complex squaring in managed code.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Fp2Wide SquareManaged(in Fp2 a) =>
        new(FpWide.MultiplyManaged(a.C0 + a.C1, a.C0 - a.C1), FpWide.MultiplyManaged(a.C0.Double(), a.C1));

    /// <summary>
    /// The product (a0 + a1)·(b0 + b1) with the sums left unreduced (coefficients below 2p), so that the u-part is the
    /// exact integer sum of the four cross products: below 8p^2, and the real part below p·2^384 as usual.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Fp2Wide MultiplyUnreducedSums(in Fp2 a0, in Fp2 a1, in Fp2 b0, in Fp2 b1) => Multiply(
        new Fp2(FpWide.AddUnreduced(a0.C0, a1.C0), FpWide.AddUnreduced(a0.C1, a1.C1)),
        new Fp2(FpWide.AddUnreduced(b0.C0, b1.C0), FpWide.AddUnreduced(b0.C1, b1.C1)));

    /// <summary>The product (a0 + a1)·b with the sum left unreduced (see <see cref="MultiplyUnreducedSums"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Fp2Wide MultiplyUnreducedSum(in Fp2 a0, in Fp2 a1, in Fp2 b) =>
        Multiply(new Fp2(FpWide.AddUnreduced(a0.C0, a1.C0), FpWide.AddUnreduced(a0.C1, a1.C1)), b);

    /// <summary>The product (a0 + a1)·(b0 + b1), with the sums inlined here rather than in the caller.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Fp2Wide MultiplySums(in Fp2 a0, in Fp2 a1, in Fp2 b0, in Fp2 b1) => Multiply(a0 + a1, b0 + b1);

    /// <summary>The product (a0 + a1)·b, with the sum inlined here rather than in the caller.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Fp2Wide MultiplySum(in Fp2 a0, in Fp2 a1, in Fp2 b) => Multiply(a0 + a1, b);

    /// <summary>The square (a0 + a1)^2, with the sum inlined here rather than in the caller.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Fp2Wide SquareSum(in Fp2 a0, in Fp2 a1) => Square(a0 + a1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2Wide operator +(in Fp2Wide a, in Fp2Wide b) => new(a.C0 + b.C0, a.C1 + b.C1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2Wide operator -(in Fp2Wide a, in Fp2Wide b) => new(a.C0 - b.C0, a.C1 - b.C1);

    /// <summary>Multiplication by ξ = u + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fp2Wide MulByNonresidue() => new(C0 - C1, C0 + C1);

    /// <summary>The reduced product a·b: an F_p2 multiplication with two reductions instead of three.</summary>
    public static Fp2 MultiplyReduced(in Fp2 a, in Fp2 b) => Multiply(a, b).Reduce();

    /// <summary>The reduced square of a.</summary>
    public static Fp2 SquareReduced(in Fp2 a) => Square(a).Reduce();

    /// <summary>The reduced product of an F_p2 element and an F_p element.</summary>
    public static Fp2 MultiplyReduced(in Fp2 a, in Fp b) => new(FpWide.Multiply(a.C0, b).Reduce(), FpWide.Multiply(a.C1, b).Reduce());

    /// <summary>Montgomery reduction of both coefficients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fp2 Reduce() => FpKernels.IsNative ? FpKernels.Fp2Reduce(this) : new(C0.ReduceManaged(), C1.ReduceManaged());
}
