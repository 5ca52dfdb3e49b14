using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Pairing;
using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.ThresholdSigning.Benchmarks;

/// <summary>
/// Stopwatch probes (`-- --probe [seconds]`): the building blocks of a verification, one JSON line each with wall and
/// process CPU time per operation, quicker than BenchmarkDotNet for seeing where the time goes on a shared machine.
/// An optional third argument keeps only the operations whose names contain it (`-- --probe 10 final_exp` under perf).
/// </summary>
internal static class Probe
{
    public static void Run(double seconds, string? only)
    {
        Fp Value(int seed) => Fp.FromBigInteger(BigInteger.Pow(7919 + seed, 97) % Fp.Modulus);
        Fp2 Value2(int seed) => new(Value(seed), Value(seed + 1));
        Fp6 Value6(int seed) => new(Value2(seed), Value2(seed + 2), Value2(seed + 4));
        Fp a = Value(1), b = Value(2);
        Fp2 a2 = Value2(3), b2 = Value2(5);
        var f = new Fp12(Value6(10), Value6(20));
        var g = new Fp12(Value6(30), Value6(40));
        Fp12 easy = f.Conjugate() * f.Invert();
        Fp12 cyclotomic = easy.FrobeniusMap(2) * easy;
        CompressedCyclotomic compressed = CompressedCyclotomic.From(cyclotomic);

        byte[] msg = SHA256.HashData("ic-state-root"u8);
        using SecretKey sk = SecretKey.FromSeed(SHA256.HashData("probe key"u8));
        PublicKey pk = sk.PublicKey;
        Signature sig = sk.Sign(msg);
        G1Affine p = G1Projective.Generator.ToAffine();
        G2Affine q = G2Projective.Generator.ToAffine();
        G2Prepared qp = G2Prepared.FromAffine(q);
        (G1Affine, G2Prepared)[] one = [(p, qp)];
        (G1Affine, G2Prepared)[] two = [(p, qp), (p.Negate(), qp)];
        Fp12 miller = OptimalAte.MillerLoop(one);

        (ThresholdPublicKey Key, List<SignatureShare> Shares) Shares(int t, int n)
        {
            Dealing dealing = Dealing.Create(0, t, n, SHA256.HashData("probe dealing"u8));
            var shares = Enumerable.Range(0, t).Select(i => dealing.ShareFor((uint)(n - 1 - i)).Sign(msg)).ToList();
            return (new ThresholdPublicKey(dealing.Commitments), shares);
        }

        var (key3, shares3) = Shares(3, 4);
        var (key9, shares9) = Shares(9, 13);
        var budget = TimeSpan.FromSeconds(seconds);
        void Measure(string op, TimeSpan budget, Action action)
        {
            if (only is null || op.Contains(only, StringComparison.Ordinal))
            {
                MeasureOne(op, budget, action);
            }
        }

        Measure("fp_mul", budget, () => a = a * b);
        Measure("fp_square", budget, () => a = a.Square());
        FpWide wa = FpWide.Multiply(a, b), wb = FpWide.Multiply(b, b);
        Measure("fp_wide_mul", budget, () => wa = FpWide.Multiply(a, b));
        Measure("fp_wide_reduce", budget, () => a = wa.Reduce());
        Measure("fp_wide_sub", budget, () => wa = wa - wb);
        Measure("fp_wide_sub_exact", budget, () => wa = FpWide.SubtractExact(wa, wb));
        Measure("fp2_mul_lazy", budget, () => a2 = Fp2Wide.MultiplyReduced(a2, b2));
        Measure("fp2_mul", budget, () => a2 = a2 * b2);
        Measure("fp2_square", budget, () => a2 = a2.Square());
        Measure("fp12_mul", budget, () => f = f * g);
        Measure("fp12_square", budget, () => f = f.Square());
        Measure("fp12_cyclotomic_square", budget, () => cyclotomic = cyclotomic.CyclotomicSquare());
        Measure("fp_invert_vartime", budget, () => a = a.InvertVartime());
        Measure("compressed_square", budget, () => compressed = compressed.Square());
        Measure("exp_by_x_granger_scott", budget, () => cyclotomic.CyclotomicExpByXMagnitude());
        Measure("exp_by_x_karabina", budget, () => cyclotomic.CyclotomicExpByXMagnitudeCompressed());
        Measure("miller_loop_1", budget, () => OptimalAte.MillerLoop(one));
        Measure("miller_loop_2", budget, () => OptimalAte.MillerLoop(two));
        Measure("final_exponentiation", budget, () => OptimalAte.FinalExponentiation(miller));
        Measure("g2_prepare", budget, () => G2Prepared.FromAffine(q));
        Measure("pairing", budget, () => OptimalAte.Pair(p, q));
        Measure("hash_to_g1", budget, () => HashToG1.Hash(msg));
        Measure("sign", budget, () => sk.Sign(msg));
        Measure("verify", budget, () => Bls.Verify(pk, msg, sig));
        Measure("combine_4_of_3", budget, () => key3.TryCombine(shares3, out _, out _));
        Measure("combine_13_of_9", budget, () => key9.TryCombine(shares9, out _, out _));
    }

    private static void MeasureOne(string op, TimeSpan budget, Action action)
    {
        for (int i = 0; i < 3; i++)
        {
            action();
        }

        int n = 0;
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < budget)
        {
            for (int i = 0; i < 16; i++)
            {
                action();
            }

            n += 16;
        }

        double wall = watch.Elapsed.TotalMicroseconds / n;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds / n;
        Console.WriteLine(JsonSerializer.Serialize(new { impl = "iinet", op, us_per_op = Math.Round(wall, 3), cpu_us_per_op = Math.Round(cpu, 3), n }));
    }
}
