using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InternetIdentity.IdentityCanister;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Anchors;

/// <summary>
/// Issue 16's memory target: fills II with N anchors through its own registration code, measures the canister snapshot
/// and the replica checkpoint (size, time to write and to load), then starts a 4-replica subnet holding them, serves
/// a lookup, a get_anchor_info and a new registration, takes a checkpoint, and starts the subnet again from its data
/// directory. One N per process, so that the peak RSS (VmHWM) is that N's. Prints progress on stderr and one JSON
/// object on stdout (appended to --json when given); <c>chart</c> turns such a file into a table and an SVG.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var anchors = new Option<long>("--anchors") { Description = "how many anchors to register", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<ulong>("--seed") { Description = "seed of the anchors' keys", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = "data directory of the subnet (default: a new temporary one, deleted after)" };
        var network = new Option<bool>("--network") { Description = "also start a 4-replica subnet holding the anchors", DefaultValueFactory = _ => true };
        var replicas = new Option<int>("--replicas") { Description = "replicas of the subnet", DefaultValueFactory = _ => 4 };
        var interval = new Option<long>("--catch-up-interval") { Description = "heights between checkpoints", DefaultValueFactory = _ => 50 };
        var json = new Option<string?>("--json") { Description = "append the result (one JSON line) to this file" };
        var snapshotFile = new Option<string?>("--snapshot") { Description = "where the II snapshot is written for the subnet process (default: a temporary file)" };
        var reuse = new Option<bool>("--reuse-snapshot") { Description = "skip registering when --snapshot exists: start the subnet from it" };
        var root = new RootCommand("anchors: II state of N anchors, its checkpoint curve and a subnet holding it (issue 16)")
        {
            anchors, seed, data, network, replicas, interval, json, snapshotFile, reuse,
        };
        root.SetAction((r, ct) => Run(new Settings(r.GetValue(anchors), r.GetValue(seed), r.GetValue(data), r.GetValue(network), r.GetValue(replicas),
            r.GetValue(interval), r.GetValue(json), r.GetValue(snapshotFile), r.GetValue(reuse)), ct));

        // The subnet runs in a process of its own, so that its peak RSS is the subnet's alone.
        var from = new Option<string>("--snapshot") { Description = "the II snapshot every replica starts from", Required = true };
        var phase = new Option<string>("--phase") { Description = "genesis (a new data directory, II restored from --snapshot) or restart (from --data alone)", Required = true };
        var subnet = new Command("subnet", "start a subnet of --anchors anchors, once; print its figures as JSON")
        {
            anchors, seed, data, replicas, interval, from, phase,
        };
        subnet.SetAction((r, ct) => SubnetRun.MainAsync(new Settings(r.GetValue(anchors), r.GetValue(seed), r.GetValue(data), true, r.GetValue(replicas),
            r.GetValue(interval), null, r.GetValue(from), false), r.GetValue(phase)!, ct));
        root.Subcommands.Add(subnet);

        var input = new Argument<string>("results") { Description = "a file of JSON lines written with --json" };
        var outDir = new Option<string>("--out") { Description = "directory for anchors.svg", DefaultValueFactory = _ => "." };
        var chart = new Command("chart", "print the markdown table of a results file and write anchors.svg") { input, outDir };
        chart.SetAction(r => Charts.Write(r.GetValue(input)!, r.GetValue(outDir)!));
        root.Subcommands.Add(chart);
        return root.Parse(args).Invoke();
    }

    internal sealed record Settings(long Anchors, ulong Seed, string? Data, bool Network, int Replicas, long CatchUpInterval, string? Json,
        string? Snapshot, bool Reuse);

    private static async Task<int> Run(Settings s, CancellationToken ct)
    {
        if (s.Anchors < 1 || s.Replicas < 1 || s.CatchUpInterval < 1)
        {
            Console.Error.WriteLine("error: --anchors, --replicas and --catch-up-interval must be at least 1");
            return 2;
        }

        var result = new Dictionary<string, object?>
        {
            ["anchors"] = s.Anchors,
            ["replicas"] = s.Replicas,
            ["load_average"] = LoadAverage(),
            ["started_utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        };
        string snapshotFile = s.Snapshot ?? Path.Combine(Path.GetTempPath(), $"iinet-anchors-{Environment.ProcessId}.snapshot");
        if (s.Reuse && File.Exists(snapshotFile))
        {
            Log($"reusing {snapshotFile}: no registration");
        }
        else
        {
            File.WriteAllBytes(snapshotFile, MeasureState(s, result));
        }

        try
        {
            if (s.Network)
            {
                await SubnetRun.InChildProcessAsync(s, snapshotFile, result, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            if (s.Snapshot is null)
            {
                File.Delete(snapshotFile);
            }
        }


        Log($"end: {ProcessMemory.Now()}");
        string line = JsonSerializer.Serialize(result);
        Console.WriteLine(line);
        if (s.Json is not null)
        {
            File.AppendAllText(s.Json, line + "\n");
        }

        return 0;
    }

    // Registration, snapshot and checkpoint, in this process (not async: nothing it made outlives it).
    private static byte[] MeasureState(Settings s, Dictionary<string, object?> result)
    {
        ProcessMemory baseline = ProcessMemory.Now(collect: true);
        Log($"start: {baseline}");

        // 1. Registration through II's own code.
        InternetIdentityCanister ii = InternetIdentityCanister.InstallForLocalDevelopment(SubnetCanisters.InternetIdentityId);
        var sw = Stopwatch.StartNew();
        long lastPrinted = 0;
        AnchorFiller.Fill(ii, s.Seed, 0, s.Anchors, done =>
        {
            if (done - lastPrinted >= 100_000 || done == s.Anchors)
            {
                lastPrinted = done;
                Log($"registered {done:N0} anchors in {sw.Elapsed.TotalSeconds:0.0} s");
            }
        });
        result["fill_seconds"] = sw.Elapsed.TotalSeconds;
        result["fill_keys_seconds"] = AnchorFiller.KeySeconds;
        result["fill_register_seconds"] = AnchorFiller.RegisterSeconds;
        Log($"fill: {AnchorFiller.KeySeconds:0.0} s deriving keys and encoding, {AnchorFiller.RegisterSeconds:0.0} s in register");
        ProcessMemory filled = ProcessMemory.Now(collect: true);
        result["state_bytes_per_anchor"] = (filled.GcHeapBytes - baseline.GcHeapBytes) / (double)s.Anchors;
        Log($"filled: {filled}; {result["state_bytes_per_anchor"]:0} B/anchor of managed heap");

        // 2. The canister snapshot and the replica checkpoint holding it.
        sw.Restart();
        byte[] snapshot = ii.Snapshot();
        result["snapshot_bytes"] = snapshot.LongLength;
        result["snapshot_write_seconds"] = sw.Elapsed.TotalSeconds;
        long beforeRestore = ProcessMemory.Now(collect: true).GcHeapBytes;
        sw.Restart();
        InternetIdentityCanister restored = InternetIdentityCanister.Restore(SubnetCanisters.InternetIdentityId, snapshot);
        result["snapshot_read_seconds"] = sw.Elapsed.TotalSeconds;
        result["restored_bytes_per_anchor"] = (ProcessMemory.Now(collect: true).GcHeapBytes - beforeRestore) / (double)s.Anchors;
        GC.KeepAlive(restored);
        Log($"restored state: {result["restored_bytes_per_anchor"]:0} B/anchor of managed heap");
        Log($"snapshot: {snapshot.LongLength:N0} bytes, written in {result["snapshot_write_seconds"]:0.000} s, read in {result["snapshot_read_seconds"]:0.000} s");

        byte[] checkpoint;
        using (var state = new ExecutionState(Canisters(ii), 0))
        {
            sw.Restart();
            checkpoint = ExecutionCheckpoint.Take(state);
            result["checkpoint_bytes"] = checkpoint.LongLength;
            result["checkpoint_write_seconds"] = sw.Elapsed.TotalSeconds;
        }

        using (var fresh = new ExecutionState(Canisters(InternetIdentityCanister.InstallForLocalDevelopment(SubnetCanisters.InternetIdentityId)), 0))
        {
            sw.Restart();
            ExecutionCheckpoint.Restore(fresh, checkpoint);
            result["checkpoint_load_seconds"] = sw.Elapsed.TotalSeconds;
        }

        Log($"checkpoint: {checkpoint.LongLength:N0} bytes, taken in {result["checkpoint_write_seconds"]:0.000} s, loaded in {result["checkpoint_load_seconds"]:0.000} s");
        result["state_peak_rss_bytes"] = ProcessMemory.Now().PeakRssBytes;
        return snapshot;

    }

    /// <summary>The subnet's built-in canisters with <paramref name="ii"/> as II.</summary>
    internal static IReadOnlyList<InstalledCanister> Canisters(InternetIdentityCanister ii) =>
    [
        new InstalledCanister(WhoamiCanister.Id, new WhoamiCanister(), []),
        new InstalledCanister(SubnetCanisters.InternetIdentityId, ii, []),
    ];

    internal static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
