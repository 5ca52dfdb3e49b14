using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using InternetIdentity.Consensus.Simulation;

namespace InternetIdentity.Consensus.Benchmarks;

/// <summary>
/// `fingerprint FILE`: runs fixed seeds (honest and every fault class) and writes each run's full trace and results, so
/// that an optimization can be shown not to change what the simulator does by diffing the file before and after.
/// </summary>
internal static class Fingerprint
{
    public static void Run(string[] args)
    {
        string path = args.Length > 0 ? args[0] : "fingerprint.txt";
        using var output = new StreamWriter(path);
        var runs = new List<(string Name, SimulationOptions Options)>();
        foreach (int n in new[] { 4, 13 })
        {
            runs.Add(($"honest n={n}", new SimulationOptions
            {
                Replicas = n, Faulty = 0, Faults = FaultClass.None, Heights = 300, Seed = 1,
                Network = new NetworkModel { DropProbability = 0, DuplicateProbability = 0, TailProbability = 0 },
            }));
        }
        foreach (FaultClass c in new[] { FaultClass.Crash, FaultClass.Byzantine, FaultClass.Partition, FaultClass.Mixed })
        {
            foreach ((int n, int f) in new[] { (4, 1), (7, 2) })
            {
                for (ulong seed = 1; seed <= 4; seed++)
                {
                    runs.Add(($"{c} n={n} f={f} seed={seed}", new SimulationOptions { Replicas = n, Faulty = f, Faults = c, Heights = 40, Seed = seed }));
                }
            }
        }
        runs.Add(("colluding n=4 f=2 seed=1", new SimulationOptions { Replicas = 4, Faulty = 2, Faults = FaultClass.Byzantine, Collude = true, Heights = 40, Seed = 1 }));
        foreach ((string name, SimulationOptions o) in runs)
        {
            output.WriteLine($"== {name}");
            SimulationResult r = Simulator.Run(o with { TraceSink = output.WriteLine });
            string hashes = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(",", r.FinalizedHashes))))[..16];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"result: violation={r.Violation ?? "none"} heights={r.HeightsFinalized} chain={hashes} latencies={string.Join(",", r.FinalizationLatenciesMs)} delay={r.MeanMessageDelayMs:R} messages={r.Messages} bytes={r.Bytes} steps={r.Steps} time={r.VirtualTimeMs} ingress={r.IngressExecuted} catchups={r.CatchUpsApplied}"));
            Console.WriteLine($"{name}: {r.Violation ?? "ok"}, {r.HeightsFinalized} heights, {r.Steps} steps");
        }
    }
}
