using System.CommandLine;
using InternetIdentity.Consensus.Crypto;
using System.Diagnostics;
using System.Globalization;
using InternetIdentity.Consensus.Simulation;

namespace InternetIdentity.Cli;

/// <summary>`iinet simulate ...`: the deterministic consensus simulator with fault injection.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var replicas = new Option<int>("--replicas") { Description = "Replicas n (tolerates f = (n-1)/3 faults)", DefaultValueFactory = _ => 4 };
        var faulty = new Option<int?>("--faulty") { Description = "Faulty replicas (default f; above f Byzantine ones collude and the invariants break)" };
        var faults = new Option<string>("--faults") { Description = "Fault class: crash|byzantine|partition|mixed|none", DefaultValueFactory = _ => "mixed" };
        var seeds = new Option<int>("--seeds") { Description = "How many seeds to run", DefaultValueFactory = _ => 1 };
        var firstSeed = new Option<ulong>("--first-seed") { Description = "First seed (default 1)", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong?>("--seed") { Description = "Run exactly this one seed" };
        var heights = new Option<long>("--heights") { Description = "Heights every honest replica must finalize", DefaultValueFactory = _ => 50 };
        var realCrypto = new Option<bool>("--real-crypto") { Description = "Use threshold BLS12-381 and Ed25519 instead of the stand-in" };
        var trace = new Option<bool>("--trace") { Description = "Print every simulated event to stderr" };
        var cmd = new Command("simulate", "Run ICC-lite on a simulated subnet with faults, checking the invariants after every step");
        foreach (Option o in new Option[] { replicas, faulty, faults, seeds, firstSeed, seed, heights, realCrypto, trace })
        {
            cmd.Options.Add(o);
        }
        cmd.SetAction(parse =>
        {
            int n = parse.GetValue(replicas);
            int f = (n - 1) / 3;
            int bad = parse.GetValue(faulty) ?? f;
            string? error = n < 1 || n > 100 ? "--replicas must be between 1 and 100"
                : bad < 0 || bad >= n ? "--faulty must be between 0 and replicas-1"
                : !TryParseFaults(parse.GetValue(faults), out _) ? "--faults must be crash, byzantine, partition, mixed or none"
                : parse.GetValue(seeds) < 1 ? "--seeds must be at least 1"
                : parse.GetValue(heights) < 1 ? "--heights must be at least 1"
                : parse.GetValue(seed) is not null && parse.GetResult(seeds) is { Implicit: false } ? "use either --seed or --seeds, not both"
                : null;
            if (error is not null)
            {
                Console.Error.WriteLine($"iinet simulate: {error}");
                return 2;
            }
            TryParseFaults(parse.GetValue(faults), out FaultClass faultClass);
            ulong first = parse.GetValue(seed) ?? parse.GetValue(firstSeed);
            int count = parse.GetValue(seed) is null ? parse.GetValue(seeds) : 1;
            var options = new SimulationOptions
            {
                Replicas = n,
                Faulty = bad,
                Faults = faultClass,
                Heights = parse.GetValue(heights),
                Collude = bad > f, // beyond f, Byzantine replicas coordinate to split the honest ones
                TraceSink = parse.GetValue(trace) ? Console.Error.WriteLine : null,
            };
            if (parse.GetValue(realCrypto))
            {
                // Threshold BLS12-381 and Ed25519, keyed from the seed so a run still replays exactly.
                options = options with { CryptoFactory = (replicaCount, seedBytes) => RealCrypto.CreateSubnet(replicaCount, seedBytes) };
            }
            if (bad > f)
            {
                Console.Error.WriteLine($"iinet simulate: {bad} faulty replicas exceed f = {f}; violations are expected");
            }
            return Run(options, first, count, Console.Out, Console.Error);
        });
        return cmd;
    }

    private static bool TryParseFaults(string? text, out FaultClass result) =>
        Enum.TryParse(text, ignoreCase: true, out result) && !int.TryParse(text, out _);

    /// <summary>Runs seeds first..first+count-1; progress to <paramref name="err"/>, summary to <paramref name="output"/>.</summary>
    internal static int Run(SimulationOptions template, ulong first, int count, TextWriter output, TextWriter err)
    {
        var results = new List<SimulationResult>();
        var clock = Stopwatch.StartNew();
        for (int k = 0; k < count; k++)
        {
            ulong s = first + (ulong)k;
            SimulationResult r = Simulator.Run(template with { Seed = s });
            results.Add(r);
            err.WriteLine($"seed {s} ({k + 1}/{count}): {(r.Violation is null ? "ok" : "VIOLATION")}, finalized {r.HeightsFinalized}, {r.Steps} steps, {r.CatchUpsApplied} catch-ups");
            if (r.Violation is not null)
            {
                output.WriteLine($"violation with seed {s}: {r.Violation}");
                output.WriteLine($"replay: iinet simulate --replicas {template.Replicas} --faulty {template.Faulty} --faults {template.Faults.ToString().ToLowerInvariant()} --heights {template.Heights} --seed {s}");
                foreach (string line in r.Trace.TakeLast(25))
                {
                    output.WriteLine("  " + line);
                }
            }
        }
        clock.Stop();
        long heights = results.Sum(r => r.HeightsFinalized);
        err.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{heights} heights in {clock.Elapsed.TotalSeconds:F2} s wall time ({heights / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} heights/s)"));
        WriteSummary(template, results, output);
        return results.Any(r => r.Violation is not null) ? 1 : 0;
    }

    private static void WriteSummary(SimulationOptions o, List<SimulationResult> results, TextWriter output)
    {
        long[] latencies = [.. results.SelectMany(r => r.FinalizationLatenciesMs).Order()];
        long heights = results.Sum(r => r.HeightsFinalized);
        long messages = results.Sum(r => r.Messages);
        long bytes = results.Sum(r => r.Bytes);
        int violations = results.Count(r => r.Violation is not null);
        string config = $"n={o.Replicas} faulty={o.Faulty} {o.Faults.ToString().ToLowerInvariant()}";
        output.WriteLine("| configuration | seeds | heights finalized | latency p50 (ms) | latency p99 (ms) | messages/height | bytes/height | violations |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {config} | {results.Count} | {heights} | {Percentile(latencies, 0.50)} | {Percentile(latencies, 0.99)} | {(heights == 0 ? 0 : (double)messages / heights):F1} | {(heights == 0 ? 0 : bytes / heights)} | {violations} |"));
    }

    private static long Percentile(long[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1 < 0 ? 0 : (int)Math.Ceiling(q * sorted.Length) - 1)];
}
