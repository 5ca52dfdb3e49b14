using System.Diagnostics;
using System.Globalization;

namespace InternetIdentity.Cli.Chaos;

/// <summary>
/// A chaos run: starts the network, drives the load, injects the schedule's faults and heals them, waits for every
/// replica to catch up, checks every acknowledged update on every replica, and sums up (recovery per fault, stalls,
/// divergences, crashes). Every replica process is killed when it ends, however it ends.
/// </summary>
internal static class ChaosRun
{
    /// <summary>Runs <paramref name="settings"/>, narrating on <paramref name="log"/>.</summary>
    /// <exception cref="ChaosStartException">the replicas did not certify a first height in time.</exception>
    public static async Task<ChaosSummary> RunAsync(ChaosSettings settings, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(settings.OutDir);
        IReadOnlyList<Fault> faults = settings.Faults();
        log.WriteLine($"chaos: seed {settings.Seed}, {settings.Replicas} replicas ({settings.Byzantine} Byzantine), {settings.Duration.TotalSeconds:0} s at {settings.LoadPerSecond} op/s, in {settings.OutDir}");
        foreach (Fault fault in faults)
        {
            log.WriteLine("  fault " + fault);
        }

        var extra = new Dictionary<int, IReadOnlyList<string>>();
        for (int b = 0; b < settings.ByzantineReplicas.Count; b++)
        {
            extra[settings.ByzantineReplicas[b]] = ["--byzantine", ChaosSettings.ByzantineModes[b % ChaosSettings.ByzantineModes.Count]];
        }

        await using ChaosNetwork network = ChaosNetwork.Start(new ChaosNetworkOptions(settings.OutDir, settings.Replicas, settings.BasePort,
            settings.Launcher, settings.Postgres, extra));
        EventHandler killAll = (_, _) => network.KillAll();
        AppDomain.CurrentDomain.ProcessExit += killAll;
        try
        {
            return await RunOnAsync(network, settings, faults, log, ct).ConfigureAwait(false);
        }
        finally
        {
            AppDomain.CurrentDomain.ProcessExit -= killAll;
        }
    }

    private static async Task<ChaosSummary> RunOnAsync(ChaosNetwork network, ChaosSettings settings, IReadOnlyList<Fault> faults, TextWriter log,
        CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        IReadOnlyList<int> late = await network.WaitUntilCertifiedAsync(1, settings.StartTimeout, ct).ConfigureAwait(false);
        if (late.Count > 0)
        {
            throw new ChaosStartException($"replica(s) {string.Join(", ", late)} certified no height within {settings.StartTimeout.TotalSeconds:0} s:\n"
                + string.Join("\n", late.Select(i => $"--- replica {i} ({network.Nodes[i].LogPath}) ---\n{network.Nodes[i].Tail}")));
        }

        log.WriteLine($"chaos: every replica certified a height after {started.Elapsed.TotalSeconds:0.0} s; load and faults start");
        var clock = Stopwatch.StartNew();
        var monitor = new ProgressMonitor(network.Urls, network.RootKeyDer, clock, TimeSpan.FromMilliseconds(500));
        monitor.Start();
        using var load = new LoadDriver(network.Urls, network.RootKeyDer, settings.LoadPerSecond, settings.Seed);
        DateTimeOffset firstCall = DateTimeOffset.UtcNow;
        Task loading = load.RunAsync(settings.Duration, ct);
        var outcomes = new List<FaultOutcome>();
        var stalls = new List<string>();
        ChaosChecker.Result check;
        try
        {
            foreach (Fault fault in faults)
            {
                await Until(clock, fault.At, ct).ConfigureAwait(false);
                double injected = clock.Elapsed.TotalSeconds;
                log.WriteLine($"chaos: {injected,6:0.0} s inject {fault}");
                await InjectAsync(network, fault, ct).ConfigureAwait(false);
                if (fault.Kind == FaultKind.Clock
                    && await network.WaitUntilCertifiedAsync(1, settings.StallBound, ct, fault.Targets).ConfigureAwait(false) is { Count: > 0 } slow)
                {
                    log.WriteLine($"chaos: replica(s) {string.Join(",", slow)} with a skewed clock certified nothing within {settings.StallBound.TotalSeconds:0} s");
                }

                // A fault lasts its duration from when it took effect: a clean stop or a skewed replica's start can take
                // longer than the schedule's slot on a loaded machine, and healing at once would skip the fault.
                TimeSpan effective = clock.Elapsed;
                await Until(clock, fault.HealAt > effective + fault.Duration ? fault.HealAt : effective + fault.Duration, ct).ConfigureAwait(false);
                ulong height = monitor.LatestHeights().Max();
                await HealAsync(network, fault, ct).ConfigureAwait(false);
                double healed = clock.Elapsed.TotalSeconds;
                log.WriteLine($"chaos: {healed,6:0.0} s healed {Fault.Name(fault.Kind)} (subnet at height {height})");
                outcomes.Add(new FaultOutcome(fault, injected, healed, height, null));
            }

            await loading.ConfigureAwait(false);
            ulong end = monitor.LatestHeights().Max();
            log.WriteLine($"chaos: {clock.Elapsed.TotalSeconds,6:0.0} s load done ({load.Acknowledged.Values.Sum()} acknowledged); waiting for every replica to reach height {end}");
            IReadOnlyList<int> behind = await network.WaitUntilCertifiedAsync(end, settings.StallBound, ct).ConfigureAwait(false);
            if (behind.Count > 0)
            {
                stalls.Add($"replica(s) {string.Join(", ", behind)} did not reach height {end} within {settings.StallBound.TotalSeconds:0} s after the load ended");
            }

            // A replica's recovery shows in the samples taken after its heal; give the last ones a moment to land.
            await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }
        finally
        {
            await monitor.DisposeAsync().ConfigureAwait(false);
        }

        IReadOnlyList<HeightSample> samples = monitor.Samples;
        outcomes = [.. outcomes.Select(o => o with { RecoverySeconds = Recovery(samples, o, settings.StallBound) })];
        foreach (FaultOutcome o in outcomes.Where(o => o.RecoverySeconds is null))
        {
            stalls.Add($"replica(s) {string.Join(",", o.Fault.Targets)} did not reach height {o.HeightAtHeal} within {settings.StallBound.TotalSeconds:0} s of healing {o.Fault}");
        }

        int tolerated = Math.Max(0, ((settings.Replicas - 1) / 3) - settings.Byzantine);
        if (faults.All(f => f.Targets.Count <= tolerated) && LongestStall(samples) is { } gap && gap.Seconds > settings.StallBound.TotalSeconds)
        {
            stalls.Add($"the subnet certified nothing new for {gap.Seconds:0.0} s from {gap.From:0.0} s although no more than f replicas were faulty");
        }

        log.WriteLine($"chaos: checking {load.Anchors.Count} anchors ({load.Acknowledged.Values.Sum()} acknowledged operations) on every replica ...");
        check = await ChaosChecker.CheckAsync(network.Urls, network.RootKeyDer, load.Anchors, TimeSpan.FromMinutes(3.5), firstCall, ct).ConfigureAwait(false);
        var exits = new List<string>();
        foreach (ChaosNode node in network.Nodes.Where(n => !n.Running && !settings.ByzantineReplicas.Contains(n.Index)))
        {
            exits.Add($"replica {node.Index} exited on its own with code {node.ExitCode} (log {node.LogPath}): {node.Tail.Split('\n').LastOrDefault()}");
        }

        IReadOnlyList<int?> codes = await network.StopAsync().ConfigureAwait(false);
        for (int i = 0; i < codes.Count; i++)
        {
            if (codes[i] is int code && code != 0 && network.Nodes[i].Running is false && !settings.ByzantineReplicas.Contains(i)
                && !exits.Any(e => e.StartsWith($"replica {i} ", StringComparison.Ordinal)))
            {
                exits.Add($"replica {i} exited with code {code} when stopped (log {network.Nodes[i].LogPath}): {network.Nodes[i].Tail.Split('\n').LastOrDefault()}");
            }
        }

        return new ChaosSummary
        {
            Settings = settings,
            Faults = outcomes,
            Acknowledged = new Dictionary<string, int>(load.Acknowledged),
            Unacknowledged = new Dictionary<string, int>(load.Failed),
            Check = check,
            Divergences = monitor.Divergences,
            RootsCompared = monitor.RootsCompared,
            Stalls = stalls,
            UnexpectedExits = exits,
            Samples = samples,
            Proxies = (network.RefusedConnections, network.UnidentifiedConnections),
            LoadErrors = load.Errors,
        };
    }

    /// <summary>Injects a fault.</summary>
    public static async Task InjectAsync(ChaosNetwork network, Fault fault, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Kind == FaultKind.Partition)
        {
            network.Partition([.. fault.Targets]);
            return;
        }

        await Task.WhenAll(fault.Targets.Select(async i =>
        {
            ChaosNode node = network.Nodes[i];
            switch (fault.Kind)
            {
                case FaultKind.Kill:
                    await node.KillAsync().ConfigureAwait(false);
                    break;
                case FaultKind.Pause:
                    node.Pause();
                    break;
                case FaultKind.Restart:
                    await node.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                    break;
                case FaultKind.Wipe:
                    await node.KillAsync().ConfigureAwait(false);
                    if (node.Postgres is null)
                    {
                        node.WipeData();
                    }

                    break;
                case FaultKind.Clock:
                    await node.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                    node.Start(clockOffsetMs: fault.ClockOffsetMs);
                    break;
            }
        })).WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Heals a fault.</summary>
    public static async Task HealAsync(ChaosNetwork network, Fault fault, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Kind == FaultKind.Partition)
        {
            network.Partition(null);
            return;
        }

        await Task.WhenAll(fault.Targets.Select(async i =>
        {
            ChaosNode node = network.Nodes[i];
            switch (fault.Kind)
            {
                case FaultKind.Pause:
                    node.Continue();
                    break;
                case FaultKind.Clock:
                    await node.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                    node.Start();
                    break;
                default:
                    if (!node.Running)
                    {
                        node.Start(reset: fault.Kind == FaultKind.Wipe && node.Postgres is not null);
                    }

                    break;
            }
        })).WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Seconds from a fault's heal until each of its replicas reported a certified height at least the subnet's height at
    /// the heal; null when that did not happen within <paramref name="bound"/>.
    /// </summary>
    public static double? Recovery(IReadOnlyList<HeightSample> samples, FaultOutcome outcome, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(outcome);
        var pending = new HashSet<int>(outcome.Fault.Targets);
        foreach (HeightSample s in samples.Where(s => s.Seconds >= outcome.HealedAt && s.Seconds <= outcome.HealedAt + bound.TotalSeconds).OrderBy(s => s.Seconds))
        {
            if (s.Height is ulong h && h >= outcome.HeightAtHeal && pending.Remove(s.Replica) && pending.Count == 0)
            {
                return Math.Round(s.Seconds - outcome.HealedAt, 2);
            }
        }

        return null;
    }

    // The longest time the subnet's highest certified height stood still.
    private static (double From, double Seconds)? LongestStall(IReadOnlyList<HeightSample> samples)
    {
        ulong best = 0;
        double since = samples.Count > 0 ? samples[0].Seconds : 0;
        (double From, double Seconds)? longest = null;
        foreach (HeightSample s in samples.OrderBy(s => s.Seconds))
        {
            if (s.Height is ulong h && h > best)
            {
                best = h;
                since = s.Seconds;
            }
            else if (longest is null || s.Seconds - since > longest.Value.Seconds)
            {
                longest = (since, s.Seconds - since);
            }
        }

        return longest;
    }

    private static async Task Until(Stopwatch clock, TimeSpan at, CancellationToken ct)
    {
        TimeSpan wait = at - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct).ConfigureAwait(false);
        }
    }

    /// <summary>For messages: seconds with one decimal.</summary>
    public static string Seconds(double s) => s.ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>The network of a chaos run did not come up.</summary>
internal sealed class ChaosStartException(string message) : Exception(message);
