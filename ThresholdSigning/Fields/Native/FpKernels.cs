using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace InternetIdentity.ThresholdSigning.Fields.Native;

/// <summary>
/// The kernels of fp384-x64.S (mulx with adcx/adox carry chains, which the JIT cannot emit): the F_p products and
/// reductions, and the F_p2, F_p6 and compressed-cyclotomic operations built on them, used by <see cref="Fp"/>,
/// <see cref="FpWide"/>, <see cref="Fp2"/>, <see cref="Fp6"/> and <see cref="CompressedCyclotomic"/> on Linux x64 with
/// BMI2 and ADX when they reproduce the managed code on fixed vectors at start; otherwise the managed code runs. Each
/// call takes under a microsecond and never blocks, so it skips the GC transition.
/// </summary>
internal static unsafe class FpKernels
{
    /// <summary>The AppContext switch that keeps the managed kernels (set before first use, for tests and benchmarks).</summary>
    internal const string ManagedSwitch = "InternetIdentity.ThresholdSigning.ManagedFpKernels";

    /// <summary>Whether the native kernels are in use; static readonly, so the JIT folds the branches on it.</summary>
    internal static readonly bool IsNative;

    /// <summary>Whether this machine could run them (Linux x64, BMI2, ADX), whatever the switch says.</summary>
    internal static readonly bool IsSupported;

    private static readonly delegate* unmanaged[SuppressGCTransition]<FpWide*, Fp*, Fp*, void> s_mulWide;
    private static readonly delegate* unmanaged[SuppressGCTransition]<FpWide*, Fp*, void> s_sqrWide;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Fp*, FpWide*, void> s_redc;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Fp*, Fp*, Fp*, void> s_mulMont;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Fp*, Fp*, void> s_sqrMont;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Fp2*, Fp2Wide*, void> s_fp2Redc;
    private static readonly delegate* unmanaged[SuppressGCTransition]<FpWide*, FpWide*, FpWide*, void> s_addWide;
    private static readonly delegate* unmanaged[SuppressGCTransition]<FpWide*, FpWide*, FpWide*, void> s_subWide;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Fp2Wide*, Fp2*, Fp2*, void> s_fp2MulWide;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Fp2Wide*, Fp2*, void> s_fp2SqrWide;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Fp2*, Fp2*, Fp2*, void> s_fp2MulMont;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Fp2*, Fp2*, void> s_fp2SqrMont;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Fp6*, Fp6*, Fp6*, void> s_fp6Mul;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Fp6*, Fp6*, Fp6*, void> s_fp6Add;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Fp6*, Fp6*, Fp6*, void> s_fp6Sub;
    private static readonly delegate* unmanaged[SuppressGCTransition]<CompressedCyclotomic*, CompressedCyclotomic*, void> s_cycloSqr;

    static FpKernels()
    {
        // ADX is CPUID leaf 7, EBX bit 19; .NET exposes no IsSupported flag for it.
        IsSupported = OperatingSystem.IsLinux() && X86Base.X64.IsSupported && Bmi2.X64.IsSupported
            && (X86Base.CpuId(7, 0).Ebx & (1 << 19)) != 0;
        if (!IsSupported || (AppContext.TryGetSwitch(ManagedSwitch, out bool managed) && managed))
        {
            return;
        }

        byte* code = ExecutableCode.TryMap(FpKernelCode.Code);
        if (code == null)
        {
            return;
        }

        s_mulWide = (delegate* unmanaged[SuppressGCTransition]<FpWide*, Fp*, Fp*, void>)(code + FpKernelCode.MulWide);
        s_sqrWide = (delegate* unmanaged[SuppressGCTransition]<FpWide*, Fp*, void>)(code + FpKernelCode.SqrWide);
        s_redc = (delegate* unmanaged[SuppressGCTransition]<Fp*, FpWide*, void>)(code + FpKernelCode.Redc);
        s_mulMont = (delegate* unmanaged[SuppressGCTransition]<Fp*, Fp*, Fp*, void>)(code + FpKernelCode.MulMont);
        s_sqrMont = (delegate* unmanaged[SuppressGCTransition]<Fp*, Fp*, void>)(code + FpKernelCode.SqrMont);
        s_fp2Redc = (delegate* unmanaged[SuppressGCTransition]<Fp2*, Fp2Wide*, void>)(code + FpKernelCode.Fp2Redc);
        s_addWide = (delegate* unmanaged[SuppressGCTransition]<FpWide*, FpWide*, FpWide*, void>)(code + FpKernelCode.AddWide);
        s_subWide = (delegate* unmanaged[SuppressGCTransition]<FpWide*, FpWide*, FpWide*, void>)(code + FpKernelCode.SubWide);
        s_fp2MulWide = (delegate* unmanaged[SuppressGCTransition]<Fp2Wide*, Fp2*, Fp2*, void>)(code + FpKernelCode.Fp2MulWide);
        s_fp2SqrWide = (delegate* unmanaged[SuppressGCTransition]<Fp2Wide*, Fp2*, void>)(code + FpKernelCode.Fp2SqrWide);
        s_fp2MulMont = (delegate* unmanaged[SuppressGCTransition]<Fp2*, Fp2*, Fp2*, void>)(code + FpKernelCode.Fp2MulMont);
        s_fp2SqrMont = (delegate* unmanaged[SuppressGCTransition]<Fp2*, Fp2*, void>)(code + FpKernelCode.Fp2SqrMont);
        s_fp6Mul = (delegate* unmanaged[SuppressGCTransition]<Fp6*, Fp6*, Fp6*, void>)(code + FpKernelCode.Fp6Mul);
        s_fp6Add = (delegate* unmanaged[SuppressGCTransition]<Fp6*, Fp6*, Fp6*, void>)(code + FpKernelCode.Fp6Add);
        s_fp6Sub = (delegate* unmanaged[SuppressGCTransition]<Fp6*, Fp6*, Fp6*, void>)(code + FpKernelCode.Fp6Sub);
        s_cycloSqr = (delegate* unmanaged[SuppressGCTransition]<CompressedCyclotomic*, CompressedCyclotomic*, void>)(code
            + FpKernelCode.CycloSqr);
        IsNative = SelfTest();
    }

    /// <summary>The 768-bit product a·b (<see cref="FpWide.Multiply"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FpWide MultiplyWide(in Fp a, in Fp b) => Call(s_mulWide, a, b);

    /// <summary>The 768-bit square a^2 (<see cref="FpWide.Square"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FpWide SquareWide(in Fp a) => Call(s_sqrWide, a);

    /// <summary>Montgomery reduction of x &lt; p·2^384 (<see cref="FpWide.Reduce"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp Reduce(in FpWide x) => Call(s_redc, x);

    /// <summary>Montgomery product of a, b &lt; p (<see cref="Fp.op_Multiply"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp MultiplyMontgomery(in Fp a, in Fp b) => Call(s_mulMont, a, b);

    /// <summary>Montgomery square of a &lt; p (<see cref="Fp.Square"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp SquareMontgomery(in Fp a) => Call(s_sqrMont, a);

    /// <summary>Montgomery reduction of both parts (<see cref="Fp2Wide.Reduce"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp2 Fp2Reduce(in Fp2Wide x) => Call(s_fp2Redc, x);

    /// <summary>a + b modulo p·2^384 (<see cref="FpWide.op_Addition"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FpWide AddWide(in FpWide a, in FpWide b) => Call(s_addWide, a, b);

    /// <summary>a - b modulo p·2^384 (<see cref="FpWide.op_Subtraction"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static FpWide SubtractWide(in FpWide a, in FpWide b) => Call(s_subWide, a, b);

    /// <summary>The double-width Karatsuba product (<see cref="Fp2Wide.Multiply"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp2Wide Fp2MultiplyWide(in Fp2 a, in Fp2 b) => Call(s_fp2MulWide, a, b);

    /// <summary>The double-width complex square (<see cref="Fp2Wide.Square"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp2Wide Fp2SquareWide(in Fp2 a) => Call(s_fp2SqrWide, a);

    /// <summary>The reduced F_p2 product of reduced factors (<see cref="Fp2.op_Multiply(in Fp2, in Fp2)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp2 Fp2Multiply(in Fp2 a, in Fp2 b) => Call(s_fp2MulMont, a, b);

    /// <summary>The reduced F_p2 square of a reduced element (<see cref="Fp2.Square"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp2 Fp2Square(in Fp2 a) => Call(s_fp2SqrMont, a);

    /// <summary>The F_p6 product (<see cref="Fp6.op_Multiply(in Fp6, in Fp6)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp6 Fp6Multiply(in Fp6 a, in Fp6 b) => Call(s_fp6Mul, a, b);

    /// <summary>The F_p6 sum (<see cref="Fp6.op_Addition"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp6 Fp6Add(in Fp6 a, in Fp6 b) => Call(s_fp6Add, a, b);

    /// <summary>The F_p6 difference (<see cref="Fp6.op_Subtraction(in Fp6, in Fp6)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp6 Fp6Subtract(in Fp6 a, in Fp6 b) => Call(s_fp6Sub, a, b);

    /// <summary>The compressed cyclotomic square (<see cref="CompressedCyclotomic.Square"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static CompressedCyclotomic CyclotomicSquare(in CompressedCyclotomic g) => Call(s_cycloSqr, g);

    // The operands are pinned: an `in` argument may be a field of a heap object.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TR Call<TR, TA>(delegate* unmanaged[SuppressGCTransition]<TR*, TA*, void> kernel, in TA a)
        where TR : unmanaged
        where TA : unmanaged
    {
        Unsafe.SkipInit(out TR r);
        fixed (TA* pa = &a)
        {
            kernel(&r, pa);
        }

        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TR Call<TR, TA, TB>(delegate* unmanaged[SuppressGCTransition]<TR*, TA*, TB*, void> kernel, in TA a, in TB b)
        where TR : unmanaged
        where TA : unmanaged
        where TB : unmanaged
    {
        Unsafe.SkipInit(out TR r);
        fixed (TA* pa = &a)
        fixed (TB* pb = &b)
        {
            kernel(&r, pa, pb);
        }

        return r;
    }

    // Code that maps and runs but computes something else (a wrong offset, a CPU that misreports ADX) must not be used.
    // Only constants and the managed kernels here: this runs inside Fp's own static initialisation.
    private static bool SelfTest()
    {
        ReadOnlySpan<Fp> vectors =
        [
            new Fp(0, 0, 0, 0, 0, 0),
            new Fp(1, 0, 0, 0, 0, 0),
            new Fp(Fp.P0 - 1, Fp.P1, Fp.P2, Fp.P3, Fp.P4, Fp.P5),
            new Fp(0x0123456789abcdef, 0xfedcba9876543210, 0x0f1e2d3c4b5a6978, 0x8796a5b4c3d2e1f0, 0xdeadbeefcafef00d,
                0x1234567890abcdef),
            new Fp(0xffffffffffffffff, 0x8000000000000001, 0x7fffffffffffffff, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa,
                0x19fedcba98765432),
        ];
        foreach (Fp a in vectors)
        {
            foreach (Fp b in vectors)
            {
                FpWide wide = FpWide.MultiplyManaged(a, b);
                if (!MultiplyWide(a, b).Equals(wide) || !Reduce(wide).Equals(wide.ReduceManaged())
                    || !MultiplyMontgomery(a, b).Equals(Fp.MultiplyManaged(a, b)))
                {
                    return false;
                }
            }

            if (!SquareWide(a).Equals(FpWide.SquareManaged(a)) || !SquareMontgomery(a).Equals(Fp.SquareManaged(a)))
            {
                return false;
            }
        }

        for (int i = 0; i + 3 < vectors.Length * vectors.Length; i++)
        {
            var x = new Fp2(vectors[i % vectors.Length], vectors[(i / vectors.Length) % vectors.Length]);
            var y = new Fp2(vectors[(i + 1) % vectors.Length], vectors[(i + 3) % vectors.Length]);
            Fp2Wide product = Fp2Wide.MultiplyManaged(x, y);
            if (!Fp2MultiplyWide(x, y).Equals(product)
                || !Fp2Reduce(product).Equals(new Fp2(product.C0.ReduceManaged(), product.C1.ReduceManaged())) || !Fp2SquareWide(x).Equals(Fp2Wide.SquareManaged(x))
                || !Fp2Multiply(x, y).Equals(Fp2.MultiplyManaged(x, y)) || !Fp2Square(x).Equals(Fp2.SquareManaged(x))
                || !AddWide(product.C0, product.C1).Equals(FpWide.AddManaged(product.C0, product.C1))
                || !SubtractWide(product.C0, product.C1).Equals(FpWide.SubtractManaged(product.C0, product.C1)))
            {
                return false;
            }

            var u = new Fp6(x, y, new Fp2(vectors[i % 3], vectors[(i + 2) % vectors.Length]));
            var v = new Fp6(y, new Fp2(vectors[(i + 4) % vectors.Length], vectors[i % 2]), x);
            var g = new CompressedCyclotomic(x, y, u.C2, v.C1);
            if (!Fp6Multiply(u, v).Equals(Fp6.MultiplyManaged(u, v)) || !Fp6Add(u, v).Equals(Fp6.AddManaged(u, v))
                || !Fp6Subtract(u, v).Equals(Fp6.SubtractManaged(u, v))
                || !CyclotomicSquare(g).Equals(CompressedCyclotomic.SquareManaged(g)))
            {
                return false;
            }
        }

        return true;
    }
}
