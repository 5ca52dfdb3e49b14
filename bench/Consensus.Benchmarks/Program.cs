using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using InternetIdentity.Consensus.Simulation;

namespace InternetIdentity.Consensus.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "figures")
        {
            Figures.Run(args.Skip(1).ToArray());
            return;
        }
        if (args.Length > 0 && args[0] == "allocs")
        {
            using var l = new AllocListener();
            Figures.Run(args.Skip(1).ToArray());
            AllocListener.Dump();
            return;
        }
        if (args.Length > 0 && args[0] == "fingerprint")
        {
            Fingerprint.Run(args.Skip(1).ToArray());
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}

/// <summary>One-shot figures for bench/README.md: heights per wall second, latency in message delays, traffic per height.</summary>
internal static class Figures
{
    /// <summary>User plus system time of the calling thread, from /proc (Linux), so other processes' load does not count.</summary>
    private static double ThreadCpuSeconds()
    {
        const string path = "/proc/thread-self/stat";
        if (!File.Exists(path))
        {
            return double.NaN;
        }
        string stat = File.ReadAllText(path);
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public static void Run(string[] args)
    {
        int[] sizes = args.Length > 0 ? [.. args[0].Split(',').Select(int.Parse)] : [4, 13];
        long heights = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        long ingress = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 40;
        // Warm-up heights before each measured run: the JIT recompiles hot methods in tiers (unoptimized, instrumented,
        // optimized) over the first seconds, so a short warm-up measures mostly unoptimized code.
        long warmUp = args.Length > 3 ? long.Parse(args[3], CultureInfo.InvariantCulture) : heights;
        Console.WriteLine("| n | heights | wall s | process CPU s | thread CPU s | heights/s (wall) | heights/s (thread CPU) | latency p50 ms | p50 in message delays | messages/height | bytes/height |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (int n in sizes)
        {
            // warm-up (another seed, same network), then the measured run
            Simulator.Run(new SimulationOptions
            {
                Replicas = n, Faulty = 0, Faults = FaultClass.None, Heights = warmUp, Seed = 99, IngressIntervalMs = ingress,
                Network = new NetworkModel { DropProbability = 0, DuplicateProbability = 0, TailProbability = 0 },
            });
            var options = new SimulationOptions
            {
                Replicas = n, Faulty = 0, Faults = FaultClass.None, Heights = heights, Seed = 1, IngressIntervalMs = ingress,
                Network = new NetworkModel { DropProbability = 0, DuplicateProbability = 0, TailProbability = 0 },
            };
            double thread0 = ThreadCpuSeconds();
            TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            long alloc0 = GC.GetAllocatedBytesForCurrentThread();
            int gc0 = GC.CollectionCount(0), gc1 = GC.CollectionCount(1), gc2 = GC.CollectionCount(2);
            TimeSpan pause0 = GC.GetTotalPauseDuration();
            var clock = Stopwatch.StartNew();
            SimulationResult r = Simulator.Run(options);
            clock.Stop();
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            double thread = ThreadCpuSeconds() - thread0;
            Console.Error.WriteLine($"n={n}: {(GC.GetAllocatedBytesForCurrentThread() - alloc0) / Math.Max(1, r.HeightsFinalized)} bytes allocated per height, {GC.CollectionCount(0) - gc0} gen0 / {GC.CollectionCount(1) - gc1} gen1 / {GC.CollectionCount(2) - gc2} gen2 collections, GC pauses {(GC.GetTotalPauseDuration() - pause0).TotalSeconds:F2} s, {r.Steps / Math.Max(1, r.HeightsFinalized)} steps per height");
            long[] lat = [.. r.FinalizationLatenciesMs.Order()];
            long p50 = lat.Length == 0 ? 0 : lat[lat.Length / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {n} | {r.HeightsFinalized} | {clock.Elapsed.TotalSeconds:F2} | {cpu:F2} | {thread:F2} | {r.HeightsFinalized / clock.Elapsed.TotalSeconds:F0} | {r.HeightsFinalized / thread:F0} | {p50} | {p50 / r.MeanMessageDelayMs:F2} | {(double)r.Messages / r.HeightsFinalized:F1} | {r.Bytes / r.HeightsFinalized} |"));
            if (r.Violation is not null)
            {
                Console.WriteLine($"VIOLATION: {r.Violation}");
            }
        }
    }
}
