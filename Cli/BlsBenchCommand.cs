using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InternetIdentity.ThresholdSigning;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Pairing;
using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.Cli;

/// <summary>
/// `iinet bls bench`: times the operations on this machine and prints one JSON object per line in the format of the
/// peer script bench/bls-peers/bench.mjs, so the figures can be compared as ratios from one run.
/// </summary>
internal static class BlsBenchCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "time spent on each operation", DefaultValueFactory = _ => 1.5 };
        var cmd = new Command("bench", "time hash_to_g1, sign, verify, pairing and combine_13_of_9; print JSON lines") { seconds };
        cmd.SetAction(r =>
        {
            double s = r.GetValue(seconds);
            if (s <= 0 || s > 600)
            {
                throw new CliInputException("--seconds must be in (0, 600]");
            }

            Run(TimeSpan.FromSeconds(s), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error);
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static void Run(TimeSpan perOperation, TextWriter output, TextWriter progress)
    {
        byte[][] msgs = Enumerable.Range(0, 64).Select(i => SHA256.HashData(Encoding.ASCII.GetBytes($"ic-state-root {i}"))).ToArray();
        using SecretKey sk = SecretKey.FromSeed(RandomNumberGenerator.GetBytes(32));
        PublicKey pk = sk.PublicKey;
        Signature[] sigs = msgs.Select(m => sk.Sign(m)).ToArray();

        Dealing dealing = Dealing.Create(0, 9, 13, RandomNumberGenerator.GetBytes(32));
        var thresholdKey = new ThresholdPublicKey(dealing.Commitments);
        SignatureShare[] shares = Enumerable.Range(0, 13).Select(i => dealing.ShareFor((uint)i).Sign(msgs[0])).ToArray();

        G1Affine p = G1Projective.Generator.ToAffine();
        G2Affine q = G2Projective.Generator.ToAffine();

        Measure("hash_to_g1", perOperation, output, progress, i => HashToG1.Hash(msgs[i % 64]));
        Measure("sign", perOperation, output, progress, i => sk.Sign(msgs[i % 64]));
        Measure("verify", perOperation, output, progress, i => Bls.Verify(pk, msgs[i % 64], sigs[i % 64]));
        Measure("pairing", perOperation, output, progress, _ => OptimalAte.Pair(p, q));
        Measure("combine_13_of_9", perOperation, output, progress, i =>
            thresholdKey.TryCombine(shares.Skip(i % 5).Take(9).ToList(), out _, out _));
    }

    private static void Measure(string op, TimeSpan budget, TextWriter output, TextWriter progress, Action<int> action)
    {
        progress.WriteLine($"bench: {op} ...");
        for (int i = 0; i < 3; i++)
        {
            action(i);
        }

        int n = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < budget)
        {
            action(n++);
        }

        double us = watch.Elapsed.TotalMicroseconds / n;
        output.WriteLine(JsonSerializer.Serialize(new { impl = "iinet", op, us_per_op = Math.Round(us, 2), n }));
    }
}
