using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Fields.Native;

namespace InternetIdentity.ThresholdSigning.Tests.Fields;

/// <summary>The x86-64 kernels of fp384-x64.S against the managed kernels they replace, limb for limb.</summary>
public class FpKernelsTests
{
    private const int Seed = 20261207;
    private const int Iterations = 3000;

    private static readonly BigInteger P = Fp.Modulus;
    private static readonly BigInteger R = BigInteger.One << 384;

    // Edge values of each input range: the values the managed code accepts go up to these bounds (exclusive).
    private static BigInteger[] Edges(BigInteger bound) =>
        [0, 1, 2, P - 1, P, P + 1, 2 * P - 1, bound - 2, bound - 1, (bound - 1) / 2, R - 1];

    [Test]
    public void IsNative_LinuxX64WithBmi2AndAdx_IsTrue()
    {
        bool capable = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
            && Bmi2.X64.IsSupported && (X86Base.CpuId(7, 0).Ebx & (1 << 19)) != 0;
        Assert.That(FpKernels.IsSupported, Is.EqualTo(capable));
        // Where the CPU can run them the kernels must be on (self-test passed), or every comparison below tests nothing.
        Assume.That(capable, "not Linux x64 with BMI2 and ADX: the managed kernels are the only ones");
        Assert.That(FpKernels.IsNative, Is.True, "the native kernels failed to map or failed their self-test");
    }

    [Test]
    public void MultiplyWide_RandomAndEdgeFactorsBelow2To384_MatchesManaged()
    {
        RequireNative();
        ForPairs(R, R, (a, b) =>
        {
            Fp x = Fp.RawLimbs(a), y = Fp.RawLimbs(b);
            return FpKernels.MultiplyWide(x, y).Equals(FpWide.MultiplyManaged(x, y));
        });
    }

    [Test]
    public void SquareWide_RandomAndEdgeValuesBelow2To384_MatchesManaged()
    {
        RequireNative();
        ForPairs(R, 1, (a, _) =>
        {
            Fp x = Fp.RawLimbs(a);
            return FpKernels.SquareWide(x).Equals(FpWide.SquareManaged(x));
        });
    }

    [Test]
    public void Reduce_RandomAndEdgeValuesBelowPTimes2To384_MatchesManaged()
    {
        RequireNative();
        BigInteger bound = P * R;
        ForPairs(bound, bound, (x, y) =>
        {
            FpWide w = Wide(x), v = Wide(y);
            return FpKernels.Reduce(w).Equals(w.ReduceManaged())
                && FpKernels.Fp2Reduce(new Fp2Wide(w, v)).Equals(new Fp2(w.ReduceManaged(), v.ReduceManaged()));
        }, extra: [P * P, 4 * P * P, 8 * P * P, P * R - 1]);
    }

    [Test]
    public void MultiplyMontgomery_RandomAndEdgeValuesBelowP_MatchesManaged()
    {
        RequireNative();
        ForPairs(P, P, (a, b) =>
        {
            Fp x = Fp.RawLimbs(a), y = Fp.RawLimbs(b);
            return FpKernels.MultiplyMontgomery(x, y).Equals(Fp.MultiplyManaged(x, y))
                && FpKernels.SquareMontgomery(x).Equals(Fp.SquareManaged(x));
        });
    }

    [Test]
    public void AddAndSubtractWide_RandomAndEdgeValuesBelowPTimes2To384_MatchManaged()
    {
        RequireNative();
        BigInteger bound = P * R;
        ForPairs(bound, bound, (a, b) =>
        {
            FpWide x = Wide(a), y = Wide(b);
            return FpKernels.AddWide(x, y).Equals(FpWide.AddManaged(x, y))
                && FpKernels.SubtractWide(x, y).Equals(FpWide.SubtractManaged(x, y));
        });
    }

    [Test]
    public void Fp2MultiplyWide_CoefficientsBelow2P_MatchesManaged()
    {
        RequireNative();
        // Fp2Wide.Multiply also takes unreduced sums (coefficients below 2p), so the whole range is compared.
        var random = new Random(Seed);
        for (int i = 0; i < Iterations; i++)
        {
            BigInteger bound = i % 2 == 0 ? P : 2 * P;
            Fp2 a = Fp2Of(random, bound, i), b = Fp2Of(random, bound, i + 1);
            Assert.That(FpKernels.Fp2MultiplyWide(a, b).Equals(Fp2Wide.MultiplyManaged(a, b)), Is.True,
                $"seed {Seed}, iteration {i}: {a} * {b}");
        }
    }

    [Test]
    public void Fp2MultiplyAndSquare_ReducedCoefficients_MatchManaged()
    {
        RequireNative();
        var random = new Random(Seed);
        for (int i = 0; i < Iterations; i++)
        {
            Fp2 a = Fp2Of(random, P, i), b = Fp2Of(random, P, i + 3);
            string context = $"seed {Seed}, iteration {i}: {a}, {b}";
            Assert.That(FpKernels.Fp2Multiply(a, b).Equals(Fp2.MultiplyManaged(a, b)), Is.True, context);
            Assert.That(FpKernels.Fp2Square(a).Equals(Fp2.SquareManaged(a)), Is.True, context);
            Assert.That(FpKernels.Fp2SquareWide(a).Equals(Fp2Wide.SquareManaged(a)), Is.True, context);
        }
    }

    [Test]
    public void Fp6Arithmetic_ReducedCoefficients_MatchesManagedAndSchoolbook()
    {
        RequireNative();
        var random = new Random(Seed);
        BigInteger rInverse = BigInteger.ModPow(R, P - 2, P);
        for (int i = 0; i < 1000; i++)
        {
            var a = new Fp6(Fp2Of(random, P, i), Fp2Of(random, P, i + 1), Fp2Of(random, P, i + 2));
            var b = new Fp6(Fp2Of(random, P, i + 3), Fp2Of(random, P, i + 4), Fp2Of(random, P, i + 5));
            Fp6 native = FpKernels.Fp6Multiply(a, b);
            string context = $"seed {Seed}, iteration {i}: {a} * {b}";
            Assert.That(native.Equals(Fp6.MultiplyManaged(a, b)), Is.True, context);
            Assert.That(FpKernels.Fp6Add(a, b).Equals(Fp6.AddManaged(a, b)), Is.True, context);
            Assert.That(FpKernels.Fp6Subtract(a, b).Equals(Fp6.SubtractManaged(a, b)), Is.True, context);
            // The limbs are Montgomery forms aR, bR: the reduced product of the integers is (ab)R, so each coefficient
            // is the schoolbook coefficient times R^-1.
            Assert.That(Coefficients(native), Is.EqualTo(Schoolbook(Coefficients(a), Coefficients(b)).Select(c => c * rInverse % P)),
                context);
        }
    }

    [Test]
    public void CyclotomicSquare_ReducedCoefficients_MatchesManaged()
    {
        RequireNative();
        var random = new Random(Seed);
        for (int i = 0; i < 1000; i++)
        {
            var g = new CompressedCyclotomic(Fp2Of(random, P, i), Fp2Of(random, P, i + 1), Fp2Of(random, P, i + 2),
                Fp2Of(random, P, i + 3));
            Assert.That(FpKernels.CyclotomicSquare(g).Equals(CompressedCyclotomic.SquareManaged(g)), Is.True,
                $"seed {Seed}, iteration {i}: {g.G1}, {g.G2}, {g.G3}, {g.G5}");
        }
    }

    [Test]
    public void Operators_NativeOn_AgreeWithBigIntegerArithmetic()
    {
        // The public operators route to the kernels: check them against the definition, not only against each other.
        var random = new Random(Seed);
        BigInteger rInverse = BigInteger.ModPow(R, P - 2, P);
        for (int i = 0; i < 500; i++)
        {
            BigInteger a = RandomBelow(random, P), b = RandomBelow(random, P);
            Fp x = Fp.FromBigInteger(a), y = Fp.FromBigInteger(b);
            Assert.That((x * y).ToBigInteger(), Is.EqualTo(a * b % P), $"seed {Seed}, iteration {i}");
            Assert.That(x.Square().ToBigInteger(), Is.EqualTo(a * a % P), $"seed {Seed}, iteration {i}");
            Assert.That(FpWide.Multiply(Fp.RawLimbs(a), Fp.RawLimbs(b)).Reduce(), Is.EqualTo(Fp.RawLimbs(a * b * rInverse % P)));
        }
    }

    [Test]
    public void GeneratedCode_AssembledFromSource_MatchesCommittedBytes()
    {
        string root = RepositoryRoot();
        foreach (string tool in new[] { "as", "objcopy", "objdump", "nm" })
        {
            if (!OnPath(tool))
            {
                Assert.Ignore($"{tool} (binutils) is not installed, so fp384-x64.S cannot be assembled here");
            }
        }

        string output = Path.Combine(Path.GetTempPath(), $"FpKernelCode-{Guid.NewGuid():N}.cs");
        try
        {
            var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "assemble-fp-kernels.sh"), output])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using Process process = Process.Start(start)!;
            string errors = process.StandardError.ReadToEnd();
            Assert.That(process.WaitForExit(TimeSpan.FromMinutes(1)), Is.True, "the assembler script did not finish in a minute");
            Assert.That(process.ExitCode, Is.Zero, errors);
            string committed = File.ReadAllText(Path.Combine(root, "ThresholdSigning", "Fields", "Native", "FpKernelCode.cs"));
            Assert.That(File.ReadAllText(output), Is.EqualTo(committed),
                "FpKernelCode.cs is stale: run bash scripts/assemble-fp-kernels.sh and commit the result");
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static void RequireNative() =>
        Assume.That(FpKernels.IsNative, "the native kernels are not in use on this machine (see IsNative_LinuxX64WithBmi2AndAdx_IsTrue)");

    // Every edge pair, then random pairs below the bounds; a failure names the seed and the inputs.
    private static void ForPairs(BigInteger boundA, BigInteger boundB, Func<BigInteger, BigInteger, bool> agrees,
        BigInteger[]? extra = null)
    {
        BigInteger[] edgesA = [.. Edges(boundA).Concat(extra ?? []).Where(v => v < boundA)];
        BigInteger[] edgesB = [.. Edges(boundB).Where(v => v < boundB)];
        foreach (BigInteger a in edgesA)
        {
            foreach (BigInteger b in edgesB)
            {
                Assert.That(agrees(a, b), Is.True, $"edge values a = {a:x}, b = {b:x}");
            }
        }

        var random = new Random(Seed);
        for (int i = 0; i < Iterations; i++)
        {
            BigInteger a = RandomBelow(random, boundA), b = RandomBelow(random, boundB);
            Assert.That(agrees(a, b), Is.True, $"seed {Seed}, iteration {i}: a = {a:x}, b = {b:x}");
        }
    }

    private static BigInteger[] Coefficients(in Fp6 x) =>
        [.. new[] { x.C0.C0, x.C0.C1, x.C1.C0, x.C1.C1, x.C2.C0, x.C2.C1 }.Select(Raw)];

    private static BigInteger Raw(Fp x) => new(MemoryMarshal.AsBytes(new ReadOnlySpan<Fp>(in x)), isUnsigned: true);

    // (a0 + a1·v + a2·v^2)(b0 + b1·v + b2·v^2) with v^3 = ξ = u + 1 and u^2 = -1, coefficients mod p.
    private static BigInteger[] Schoolbook(BigInteger[] a, BigInteger[] b)
    {
        (BigInteger, BigInteger) Mul(int i, int j) =>
            (a[2 * i] * b[2 * j] - a[2 * i + 1] * b[2 * j + 1], a[2 * i] * b[2 * j + 1] + a[2 * i + 1] * b[2 * j]);
        (BigInteger, BigInteger) Add((BigInteger, BigInteger) x, (BigInteger, BigInteger) y) => (x.Item1 + y.Item1, x.Item2 + y.Item2);
        (BigInteger, BigInteger) Xi((BigInteger, BigInteger) x) => (x.Item1 - x.Item2, x.Item1 + x.Item2);
        (BigInteger, BigInteger) c0 = Add(Mul(0, 0), Xi(Add(Mul(1, 2), Mul(2, 1))));
        (BigInteger, BigInteger) c1 = Add(Add(Mul(0, 1), Mul(1, 0)), Xi(Mul(2, 2)));
        (BigInteger, BigInteger) c2 = Add(Add(Mul(0, 2), Mul(1, 1)), Mul(2, 0));
        return [.. new[] { c0.Item1, c0.Item2, c1.Item1, c1.Item2, c2.Item1, c2.Item2 }.Select(c => (c % P + P) % P)];
    }

    private static Fp2 Fp2Of(Random random, BigInteger bound, int i)
    {
        BigInteger[] edges = [.. Edges(bound).Where(v => v < bound)];
        BigInteger c0 = i % 7 == 0 ? edges[i / 7 % edges.Length] : RandomBelow(random, bound);
        BigInteger c1 = i % 5 == 0 ? edges[i / 5 % edges.Length] : RandomBelow(random, bound);
        return new Fp2(Fp.RawLimbs(c0), Fp.RawLimbs(c1));
    }

    // Uniform below the bound; one value in eight has its top words set to all ones, where the carries are.
    private static BigInteger RandomBelow(Random random, BigInteger bound)
    {
        byte[] bytes = new byte[bound.GetByteCount(isUnsigned: true) + 8];
        random.NextBytes(bytes);
        if (random.Next(8) == 0)
        {
            bytes.AsSpan(bytes.Length / 2).Fill(0xff);
        }

        return new BigInteger(bytes, isUnsigned: true) % bound;
    }

    private static FpWide Wide(BigInteger x)
    {
        byte[] bytes = new byte[96];
        x.TryWriteBytes(bytes, out _, isUnsigned: true);
        return MemoryMarshal.Read<FpWide>(bytes);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "assemble-fp-kernels.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("scripts/assemble-fp-kernels.sh not found above " + AppContext.BaseDirectory);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));
}
