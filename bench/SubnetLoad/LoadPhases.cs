using System.Diagnostics;

namespace InternetIdentity.SubnetLoad;

/// <summary>A measured phase: how many operations finished, in how long, with which latencies.</summary>
internal sealed record PhaseResult(string Name, int Clients, LatencyRecorder Latencies, double Seconds, CpuSpent Cpu)
{
    public double PerSecond => Latencies.Count / Seconds;

    /// <summary>Subnet CPU microseconds per completed operation.</summary>
    public double SubnetMicros => Cpu.SubnetMicrosPer(Latencies.Count);

    /// <summary>Load-tool CPU microseconds per completed operation.</summary>
    public double LoadMicros => Cpu.LoadMicrosPer(Latencies.Count);
}

/// <summary>Runs closed-loop clients for a fixed time: each client issues its next request as soon as the last one returns.</summary>
internal static class LoadPhases
{
    public static async Task<PhaseResult> RunAsync(string name, IReadOnlyList<LoadClient> clients, TimeSpan duration,
        Func<LoadClient, CancellationToken, Task> operation, CpuMeter cpu, CancellationToken ct)
    {
        CpuSample cpuStart = cpu.Sample();
        var recorder = new LatencyRecorder();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var clock = Stopwatch.StartNew();
        stop.CancelAfter(duration);
        Task[] loops = [.. clients.Select(c => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    // Never cancel a request in flight: a phase ends when its last requests return.
                    await operation(c, ct).ConfigureAwait(false);
                    recorder.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds, clock.Elapsed.TotalSeconds);
                }
                catch (Exception e) when (e is LoadException or HttpRequestException or TaskCanceledException
                    or Protocol.Cbor.CborFormatException or Protocol.Candid.CandidFormatException or InvalidCastException)
                {
                    if (ct.IsCancellationRequested)
                    {
                        return;
                    }

                    recorder.Error($"{e.GetType().Name}: {e.Message}");
                }
            }
        }, CancellationToken.None))];
        await Task.WhenAll(loops).ConfigureAwait(false);
        double seconds = clock.Elapsed.TotalSeconds;
        return new PhaseResult(name, clients.Count, recorder, seconds, CpuSpent.Between(cpuStart, cpu.Sample()));
    }
}
