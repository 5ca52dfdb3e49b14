using System.Diagnostics;
using System.Globalization;

namespace InternetIdentity.CanisterRuntime.Benchmarks;

/// <summary>
/// <c>--probe [runs]</c>: stopwatch timings of each <see cref="LoopCanister"/> method (after a warm-up), minimum and
/// median over the runs, and instructions per second from each. Quicker than BenchmarkDotNet, and the minimum is
/// the figure least disturbed on a shared, loaded machine.
/// </summary>
internal static class Probe
{
    public static void Run(int runs)
    {
        using var canister = new LoopCanister();
        Console.WriteLine($"| method | instructions | min | median | Minstr/s (min) | Minstr/s (median) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach ((string method, bool query) in LoopCanister.Methods)
        {
            ulong instructions = canister.Run(method, query); // warm-up: compiles nothing more, touches the pages
            var times = new List<double>();
            for (int i = 0; i < runs; i++)
            {
                long start = Stopwatch.GetTimestamp();
                canister.Run(method, query);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            times.Sort();
            double min = times[0];
            double median = times[times.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(query ? "query" : "update")} {method} | {instructions:N0} | {min:0.###} ms | {median:0.###} ms | {instructions / min / 1e3:N0} | {instructions / median / 1e3:N0} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{runs} runs each; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
    }
}
