using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.IdentityCanister;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Persistence;

namespace InternetIdentity.Anchors;

/// <summary>
/// A subnet holding the anchors: started once from the filled state (every replica restores II from the snapshot),
/// then again from its SQLite data directory alone (every replica loads its newest checkpoint). Each start is timed to
/// ready and then serves a <c>lookup</c> query, a signed <c>get_anchor_info</c> update and a new registration, and
/// takes one checkpoint.
/// </summary>
internal static class SubnetRun
{
    private const ulong FirstAnchor = 10_000;

    /// <summary>
    /// Runs <c>subnet</c> in a child process of this tool (so that its VmHWM is the subnet's alone), passing its
    /// progress through, and adds the figures it prints to <paramref name="result"/>.
    /// </summary>
    public static async Task InChildProcessAsync(Program.Settings s, string snapshotFile, Dictionary<string, object?> result, CancellationToken ct)
    {
        // The restart runs in a second process, from the data directory the first left: its peak RSS is its own, not
        // on top of the heap the first subnet left committed.
        string dir = s.Data ?? Path.Combine(Path.GetTempPath(), "iinet-anchors-" + Environment.ProcessId);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        try
        {
            await ChildAsync(s, snapshotFile, dir, "genesis", result, ct).ConfigureAwait(false);
            await ChildAsync(s, snapshotFile, dir, "restart", result, ct).ConfigureAwait(false);
            result["peak_rss_bytes"] = Math.Max(PeakOf(result, "genesis"), PeakOf(result, "restart")); // the subnet's, whichever start
            result["data_dir_bytes"] = new DirectoryInfo(dir).EnumerateFiles().Sum(f => f.Length);
        }
        finally
        {
            if (s.Data is null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static long PeakOf(Dictionary<string, object?> result, string phase) =>
        result[phase + "_process_peak_rss_bytes"] is System.Text.Json.JsonElement e ? e.GetInt64() : 0;

    private static async Task ChildAsync(Program.Settings s, string snapshotFile, string dir, string phase, Dictionary<string, object?> result, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SubnetRun).Assembly.Location);
        }

        foreach (string a in (string[])["subnet", "--snapshot", snapshotFile, "--anchors", $"{s.Anchors}", "--seed", $"{s.Seed}", "--replicas", $"{s.Replicas}",
            "--catch-up-interval", $"{s.CatchUpInterval}", "--data", dir, "--phase", phase])
        {
            start.ArgumentList.Add(a);
        }

        using Process child = Process.Start(start)!;
        string output = await child.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
        await child.WaitForExitAsync(ct).ConfigureAwait(false);
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"the {phase} subnet process exited with {child.ExitCode}");
        }

        // The last line is the figures (Akka may write its own lines to stdout before it).
        string figures = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"the {phase} subnet process printed no figures");
        foreach (var (key, value) in System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(figures)!)
        {
            result[key] = value;
        }
    }

    /// <summary>
    /// The <c>subnet</c> command: one start (<paramref name="phase"/> <c>genesis</c>: a new data directory, every replica
    /// restores II from the snapshot; <c>restart</c>: from the data directory alone), prints the figures as one JSON line.
    /// </summary>
    public static async Task<int> MainAsync(Program.Settings s, string phase, CancellationToken ct)
    {
        if (s.Data is null || phase is not ("genesis" or "restart"))
        {
            Console.Error.WriteLine("error: subnet needs --data and --phase genesis or restart");
            return 2;
        }

        var result = new Dictionary<string, object?>();
        // The same subnet in both processes (ids and keys from the seed): the restart finds its journals and checkpoints
        // under the subnet's id.
        IReadOnlyList<GenesisConfig> configs = GenesisBuilder.Create(s.Replicas, "127.0.0.1", 0, new Random((int)s.Seed).NextBytes);
        ReplicaStorage storage = ReplicaStorage.Sqlite(s.Data);
        if (phase == "genesis")
        {
            // In a box that the start empties: an async method's locals live as long as it does.
            var snapshot = new StrongBox<byte[]?>(await File.ReadAllBytesAsync(s.Snapshot!, ct).ConfigureAwait(false));
            await StartServeCheckpointAsync(phase, s, configs, storage, () =>
            {
                // Each replica holds its own copy of the state, as on separate machines.
                InternetIdentityCanister ii = InternetIdentityCanister.Restore(SubnetCanisters.InternetIdentityId, snapshot.Value!);
                return Program.Canisters(ii);
            }, s.Anchors, result, ct, onStarted: () => snapshot.Value = null).ConfigureAwait(false);
        }
        else
        {
            await StartServeCheckpointAsync(phase, s, configs, storage,
                () => Program.Canisters(InternetIdentityCanister.InstallForLocalDevelopment(SubnetCanisters.InternetIdentityId)),
                s.Anchors + 1, result, ct).ConfigureAwait(false);
        }

        ProcessMemory end = ProcessMemory.Now();
        result[phase + "_process_peak_rss_bytes"] = end.PeakRssBytes;
        result[phase + "_load_average"] = Program.LoadAverage();
        Program.Log($"{phase} subnet process end: {end}");
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(result));
        return 0;
    }

    private static async Task StartServeCheckpointAsync(string phase, Program.Settings s, IReadOnlyList<GenesisConfig> configs, ReplicaStorage storage,
        Func<IReadOnlyList<Replica.Execution.InstalledCanister>> canisters, long anchorsHeld, Dictionary<string, object?> result, CancellationToken ct,
        Action? onStarted = null)
    {
        Program.Log($"{phase}: starting {s.Replicas} replicas holding {anchorsHeld:N0} anchors ...");
        var sw = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(20)); // a loaded 2-core machine needs minutes at a million anchors
        LocalSubnet subnet = await LocalSubnet.StartAsync(configs, canisters, TimeProvider.System, IPAddress.Loopback, 0, cancellationToken: timeout.Token,
            replicaOptions: o => o with
            {
                Storage = storage,
                Consensus = ReplicaConsensus.DefaultParameters with { CatchUpInterval = s.CatchUpInterval },
            }).ConfigureAwait(false);
        onStarted?.Invoke();
        try
        {
            await subnet.WaitUntilCertifiedAsync(timeout.Token).ConfigureAwait(false);
            result[phase + "_ready_seconds"] = sw.Elapsed.TotalSeconds;
            Program.Log($"{phase}: ready in {sw.Elapsed.TotalSeconds:0.00} s; {ProcessMemory.Now()}");

            // A restart certifies its restored height first and then replays the journaled heights, whose times are
            // the first run's: until every replica is back within a minute of the clock, the certified /time lags by
            // more than the agent's certificate freshness (5 min) allows, and nothing it reads verifies.
            while (subnet.Replicas.Any(r => r.Latest is not { } l
                       || (long)l.TimeNanos < (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100 - 60_000_000_000L))
            {
                await Task.Delay(200, timeout.Token).ConfigureAwait(false);
            }

            result[phase + "_caught_up_seconds"] = sw.Elapsed.TotalSeconds;
            Program.Log($"{phase}: certified time within a minute of the clock on every replica after {sw.Elapsed.TotalSeconds:0.00} s");

            using var agent = new HttpAgent(new HttpAgentOptions { Host = subnet.Url, RootKey = configs[0].RootKeyDer });
            var anonymous = new InternetIdentityClient(agent, SubnetCanisters.InternetIdentityId);

            // lookup of the newest registered anchor: on a restart, answered once the checkpoint is loaded.
            long last = s.Anchors - 1;
            Ed25519Identity lastKey = AnchorFiller.KeyOf(s.Seed, last);
            while (true)
            {
                DeviceData[] devices = await anonymous.LookupAsync(FirstAnchor + (ulong)last, timeout.Token).ConfigureAwait(false);
                if (devices.Length == 1 && devices[0].Pubkey.AsSpan().SequenceEqual(lastKey.PublicKeyDer))
                {
                    break;
                }

                if (devices.Length != 0)
                {
                    throw new InvalidOperationException($"lookup of anchor {FirstAnchor + (ulong)last} gave another device");
                }

                await Task.Delay(50, timeout.Token).ConfigureAwait(false);
            }

            result[phase + "_serving_seconds"] = sw.Elapsed.TotalSeconds;
            Program.Log($"{phase}: lookup served after {sw.Elapsed.TotalSeconds:0.00} s");

            // get_anchor_info, signed by a device of an anchor in the middle.
            long middle = s.Anchors / 2;
            var signed = new InternetIdentityClient(agent.WithIdentity(AnchorFiller.KeyOf(s.Seed, middle)), SubnetCanisters.InternetIdentityId);
            var call = Stopwatch.StartNew();
            IdentityAnchorInfo info = await signed.GetAnchorInfoAsync(FirstAnchor + (ulong)middle, timeout.Token).ConfigureAwait(false);
            if (info.Devices.Count != 1)
            {
                throw new InvalidOperationException($"get_anchor_info of anchor {FirstAnchor + (ulong)middle}: {info.Devices.Count} devices");
            }

            result[phase + "_get_anchor_info_seconds"] = call.Elapsed.TotalSeconds;

            // A new registration, certified (v2 flow: start, then finish; the captcha is off as in II's local builds).
            var checkpoints = HookCheckpoints(subnet);
            long[] catchUpsBefore = [.. subnet.Hosts.Select(CatchUpHeight)];
            call.Restart();
            var newcomer = new InternetIdentityClient(agent.WithIdentity(Ed25519Identity.Generate()), SubnetCanisters.InternetIdentityId);
            ulong number = await newcomer.RegisterAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
            result[phase + "_register_seconds"] = call.Elapsed.TotalSeconds;
            Program.Log($"{phase}: get_anchor_info in {result[phase + "_get_anchor_info_seconds"]:0.000} s, anchor {number} registered in {call.Elapsed.TotalSeconds:0.000} s");

            // The next checkpoint on every replica (taken at a multiple of the catch-up interval).
            (long Bytes, TimeSpan Elapsed)[] taken = await Task.WhenAll(checkpoints).WaitAsync(timeout.Token).ConfigureAwait(false);
            result[phase + "_checkpoint_bytes"] = taken.Max(t => t.Bytes);
            result[phase + "_checkpoint_seconds"] = taken.Max(t => t.Elapsed.TotalSeconds);
            ProcessMemory m = ProcessMemory.Now();
            result[phase + "_peak_rss_bytes"] = m.PeakRssBytes;
            Program.Log($"{phase}: checkpoint of {taken.Max(t => t.Bytes):N0} bytes taken and stored in {taken.Max(t => t.Elapsed.TotalSeconds):0.000} s (slowest replica); {m}");

            // The restart must find that checkpoint's catch-up package in every replica's journal. A replica stopped
            // before it made the package replays its finalized blocks from genesis, and the restart's genesis is an
            // empty II (the anchors came from the snapshot): its state diverges and it halts.
            await CatchUpPackagesJournaledAsync(subnet, catchUpsBefore, timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await subnet.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static long CatchUpHeight(ReplicaHost host) => host.Metrics.Consensus?.CatchUpHeight ?? 0;

    // Waits until every replica has made a catch-up package above its height before, then certified a height after it:
    // consensus persists the package before its next step, so the package is in the journal.
    private static async Task CatchUpPackagesJournaledAsync(LocalSubnet subnet, long[] before, CancellationToken ct)
    {
        for (int i = 0; i < subnet.Hosts.Count; i++)
        {
            ReplicaHost host = subnet.Hosts[i];
            while (CatchUpHeight(host) <= before[i])
            {
                await host.Node.WaitForCertificationAsync(host.Node.Latest?.Height ?? 0, ct).ConfigureAwait(false);
            }

            await host.Node.WaitForCertificationAsync(host.Node.Latest?.Height ?? 0, ct).ConfigureAwait(false);
        }

        Program.Log($"catch-up packages journaled at heights {string.Join(", ", subnet.Hosts.Select(CatchUpHeight))}");
    }

    // The next checkpoint each replica stores from now on (its size and how long taking and storing it took).
    private static Task<(long, TimeSpan)>[] HookCheckpoints(LocalSubnet subnet) => [.. subnet.Hosts.Select(h =>
    {
        CheckpointStateSync sync = h.Checkpoints ?? throw new InvalidOperationException("the replicas do not persist");
        var next = new TaskCompletionSource<(long, TimeSpan)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<long, TimeSpan>? before = sync.Stored;
        sync.Stored = (bytes, elapsed) =>
        {
            before?.Invoke(bytes, elapsed);
            next.TrySetResult((bytes, elapsed));
        };
        return next.Task;
    })];
}
