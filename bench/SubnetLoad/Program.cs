using System.CommandLine;
using System.Globalization;
using InternetIdentity.Protocol.Envelopes;

using InternetIdentity.TestSupport;

namespace InternetIdentity.SubnetLoad;

/// <summary>
/// Load against a running subnet (issue 6, Performance): update latency and throughput with II's prepare_delegation,
/// query throughput with get_principal, the same on a wasm counter (<c>--wasm-counter</c>), and the time <c>iinet up</c>
/// takes to become ready. Prints a markdown table.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var url = new Option<string?>("--url") { Description = "base URL of a running subnet's replica (e.g. http://127.0.0.1:4943)" };
        var clients = new Option<int>("--clients") { Description = "concurrent update clients", DefaultValueFactory = _ => 32 };
        var queryClients = new Option<int>("--query-clients") { Description = "concurrent query clients", DefaultValueFactory = _ => 64 };
        var seconds = new Option<double>("--seconds") { Description = "length of each concurrent phase", DefaultValueFactory = _ => 15 };
        var latencySeconds = new Option<double>("--latency-seconds") { Description = "length of the one-client latency phase", DefaultValueFactory = _ => 10 };
        var verify = new Option<bool>("--verify-all") { Description = "verify every update certificate's BLS signature (client CPU competes with the subnet)" };
        var iinet = new Option<string?>("--iinet") { Description = "path of the iinet executable (or iinet.dll): also time `iinet up` to ready" };
        var readyRuns = new Option<int>("--ready-runs") { Description = "how many fresh starts to time", DefaultValueFactory = _ => 3 };
        var readyTimeout = new Option<double>("--ready-timeout") { Description = "seconds to wait for the ready line", DefaultValueFactory = _ => 120 };
        var replicas = new Option<int>("--replicas") { Description = "replicas of the timed `iinet up`", DefaultValueFactory = _ => 4 };
        var outDir = new Option<string?>("--out") { Description = "also write figures.json and throughput.svg into this directory" };
        var subnetPid = new Option<int?>("--subnet-pid")
        {
            Description = "process id of the loaded `iinet up`: report its CPU time per completed operation (from /proc/PID/stat)",
        };
        var wasmCounter = new Option<string?>("--wasm-counter")
        {
            Description = "a counter canister's wasm (inc : () -> (nat), get : () -> (nat) query; bench/subnet/counter.mo): deploy it and load it like II",
        };
        var root = new RootCommand("subnet load: latency, throughput and start-up time of a local subnet running Internet Identity")
        {
            url, clients, queryClients, seconds, latencySeconds, verify, iinet, readyRuns, readyTimeout, replicas, outDir, wasmCounter, subnetPid,
        };
        root.SetAction((r, ct) => RunAsync(new Settings(r.GetValue(url), r.GetValue(clients), r.GetValue(queryClients), r.GetValue(seconds),
            r.GetValue(latencySeconds), r.GetValue(verify), r.GetValue(iinet), r.GetValue(readyRuns), r.GetValue(readyTimeout), r.GetValue(replicas),
            r.GetValue(outDir), r.GetValue(wasmCounter), r.GetValue(subnetPid)),
            args, ct));

        var count = new Option<int>("--count") { Description = "how many consecutive ports (`iinet up` takes 2n: HTTP and the replica transport)", DefaultValueFactory = _ => 8 };
        var freePort = new Command("free-port", "print the first of --count consecutive free ports on 127.0.0.1") { count };
        freePort.SetAction(r => Console.WriteLine(FreePorts.FindConsecutive(r.GetValue(count))));
        root.Subcommands.Add(freePort);

        var writeUrl = new Option<string>("--url") { Description = "base URL of a running subnet's replica", Required = true };
        var writeFile = new Option<string>("--file") { Description = "where to write the envelopes (bench/query-load's replay format)", Required = true };
        var writeClients = new Option<int>("--clients") { Description = "anchors (one device key each) whose get_principal is signed", DefaultValueFactory = _ => 64 };
        var perClient = new Option<int>("--per-client") { Description = "envelopes per client", DefaultValueFactory = _ => 1 };
        var distinct = new Option<bool>("--distinct") { Description = "a nonce in every envelope (otherwise none, and the expiry rounded to the minute as agent-js does)" };
        var writeQueries = new Command("write-queries", "register anchors, then write pre-signed get_principal query envelopes for bench/query-load")
        {
            writeUrl, writeFile, writeClients, perClient, distinct,
        };
        writeQueries.SetAction((r, ct) => WriteQueriesAsync(r.GetValue(writeUrl)!, r.GetValue(writeFile)!, r.GetValue(writeClients), r.GetValue(perClient),
            r.GetValue(distinct), ct));
        root.Subcommands.Add(writeQueries);
        return root.Parse(args).Invoke();
    }

    private sealed record Settings(string? Url, int Clients, int QueryClients, double Seconds, double LatencySeconds, bool VerifyAll,
        string? Iinet, int ReadyRuns, double ReadyTimeout, int Replicas, string? Out, string? WasmCounter, int? SubnetPid);

    private static async Task<int> RunAsync(Settings s, string[] args, CancellationToken ct)
    {
        if (s.Url is null && s.Iinet is null)
        {
            Console.Error.WriteLine("error: give --url (load a running subnet), --iinet (time `iinet up`), or both");
            return 2;
        }

        if (s.Clients < 1 || s.QueryClients < 1 || s.Seconds <= 0 || s.LatencySeconds <= 0 || s.ReadyRuns < 1)
        {
            Console.Error.WriteLine("error: --clients, --query-clients, --ready-runs must be at least 1 and durations positive");
            return 2;
        }

        TextWriter log = Console.Error;
        string loadBefore = LoadAverage();
        var rows = new List<(string Measure, string Value, string Target)>();
        var phases = new List<PhaseResult>();
        bool failed = false;
        try
        {
            if (s.Iinet is not null)
            {
                log.WriteLine($"timing `iinet up` to ready ({s.ReadyRuns} fresh start(s)) ...");
                var times = new List<double>();
                for (int i = 0; i < s.ReadyRuns; i++)
                {
                    times.Add(await ReadyTimer.MeasureAsync(s.Iinet, s.Replicas, TimeSpan.FromSeconds(s.ReadyTimeout), log).ConfigureAwait(false));
                }

                times.Sort();
                rows.Add(($"`iinet up` to ready, n = {s.Replicas} (median of {times.Count}; min {times[0] / 1000:0.00} s, max {times[^1] / 1000:0.00} s)",
                    $"{times[times.Count / 2] / 1000:0.00} s", "<= 5 s"));
            }

            if (s.Url is not null)
            {
                failed = !await LoadAsync(s, rows, phases, log, ct).ConfigureAwait(false);
            }
        }
        catch (LoadException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"error: {s.Url} did not answer: {e.Message}");
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine("| measure | value | target |");
        Console.WriteLine("| --- | ---: | --- |");
        foreach ((string measure, string value, string target) in rows)
        {
            Console.WriteLine($"| {measure} | {value} | {target} |");
        }

        Console.WriteLine();
        string loadAfter = LoadAverage();
        Console.WriteLine($"Command: `SubnetLoad {string.Join(' ', args)}`; {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, " +
            $"{Environment.ProcessorCount} cores, load average before {loadBefore}, after {loadAfter}.");
        if (s.Out is not null)
        {
            FigureExport.Write(s.Out, $"SubnetLoad {string.Join(' ', args)}", loadBefore, loadAfter, rows, phases);
            Console.WriteLine($"Figures: {Path.Combine(s.Out, "figures.json")}, chart: {Path.Combine(s.Out, "throughput.svg")}.");
        }

        return failed ? 1 : 0;
    }

    private static async Task<bool> LoadAsync(Settings s, List<(string, string, string)> rows, List<PhaseResult> phases, TextWriter log, CancellationToken ct)
    {
        if (!Uri.TryCreate(s.Url!.TrimEnd('/') + "/", UriKind.Absolute, out Uri? baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new LoadException($"--url: {s.Url} is not an http(s) URL");
        }

        byte[]? counterWasm = s.WasmCounter is null ? null
            : File.Exists(s.WasmCounter) ? await File.ReadAllBytesAsync(s.WasmCounter, ct).ConfigureAwait(false)
            : throw new LoadException($"--wasm-counter: no file {s.WasmCounter}");
        using var ic = new IcHttpClient(baseUrl);
        StatusResponse status = await ic.StatusAsync(ct).ConfigureAwait(false);
        byte[] rootKey = status.RootKey ?? throw new LoadException("/api/v2/status has no root_key");
        log.WriteLine($"{s.Url}: {status.ReplicaHealthStatus}, certified height {status.CertifiedHeight}");

        int needed = Math.Max(s.Clients, s.QueryClients);
        log.WriteLine($"registering {needed} anchors through II's register ...");
        var clients = new List<LoadClient>();
        using (var gate = new SemaphoreSlim(16))
        {
            clients.AddRange(await Task.WhenAll(Enumerable.Range(0, needed).Select(async _ =>
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    return await LoadClient.RegisterAsync(ic, rootKey, ct).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false));
        }

        log.WriteLine($"anchors {clients.Min(c => c.Anchor)}..{clients.Max(c => c.Anchor)}; warm-up: one verified prepare_delegation and get_principal each ...");
        await Task.WhenAll(clients.Select(async c =>
        {
            await c.PrepareDelegationAsync(ic, rootKey, ct).ConfigureAwait(false);
            await c.GetPrincipalAsync(ic, ct).ConfigureAwait(false);
        })).ConfigureAwait(false);

        var cpu = new CpuMeter(s.SubnetPid);
        byte[]? verifyKey = s.VerifyAll ? rootKey : null;
        Func<LoadClient, CancellationToken, Task> update = (c, t) => c.PrepareDelegationAsync(ic, verifyKey, t);

        log.WriteLine($"1 client, prepare_delegation, {s.LatencySeconds} s ...");
        PhaseResult one = await LoadPhases.RunAsync("update, 1 client", clients.Take(1).ToList(), TimeSpan.FromSeconds(s.LatencySeconds), update, cpu, ct)
            .ConfigureAwait(false);
        phases.Add(one);
        rows.Add(("update latency p50, 1 client (prepare_delegation, /api/v3 call to certificate)", Ms(one.Latencies.Percentile(50)), "<= 250 ms"));
        rows.Add(("update latency p99, 1 client", Ms(one.Latencies.Percentile(99)), ""));

        log.WriteLine($"{s.Clients} clients, prepare_delegation, {s.Seconds} s ...");
        PhaseResult many = await LoadPhases.RunAsync($"update, {s.Clients} clients", clients.Take(s.Clients).ToList(), TimeSpan.FromSeconds(s.Seconds), update, cpu, ct)
            .ConfigureAwait(false);
        phases.Add(many);
        rows.Add(($"update latency p50, {s.Clients} clients", Ms(many.Latencies.Percentile(50)), "<= 250 ms"));
        rows.Add(($"update latency p99, {s.Clients} clients", Ms(many.Latencies.Percentile(99)), ""));
        rows.Add(($"updates/s, {s.Clients} clients (prepare_delegation, {many.Latencies.Count} in {many.Seconds:0.0} s)", $"{many.PerSecond:0}", ">= 500"));
        rows.Add(CpuRow($"CPU per update, {s.Clients} clients", many));

        if (counterWasm is not null)
        {
            await LoadCounterAsync(s, ic, counterWasm, clients, rows, phases, cpu, log, ct).ConfigureAwait(false);
        }

        log.WriteLine($"{s.QueryClients} clients, get_principal query, {s.Seconds} s ...");
        PhaseResult queries = await LoadPhases.RunAsync($"query, {s.QueryClients} clients", clients.Take(s.QueryClients).ToList(), TimeSpan.FromSeconds(s.Seconds),
            (c, t) => c.GetPrincipalAsync(ic, t), cpu, ct).ConfigureAwait(false);
        phases.Add(queries);
        rows.Add(($"queries/s, {s.QueryClients} clients (get_principal, signed /api/v2 query; p50 {Ms(queries.Latencies.Percentile(50))})",
            $"{queries.PerSecond:0}", ">= 5,000"));
        rows.Add(CpuRow($"CPU per query, {s.QueryClients} clients", queries));

        bool ok = true;
        foreach (PhaseResult p in phases.Where(p => p.Latencies.Errors > 0))
        {
            Console.Error.WriteLine($"error: {p.Name}: {p.Latencies.Errors} failed request(s); first: {p.Latencies.FirstError}");
            ok = false;
        }

        return ok;
    }

    private static async Task<int> WriteQueriesAsync(string url, string file, int clients, int perClient, bool distinct, CancellationToken ct)
    {
        if (clients < 1 || perClient < 1)
        {
            Console.Error.WriteLine("error: --clients and --per-client must be at least 1");
            return 2;
        }

        using var ic = new IcHttpClient(new Uri(url.TrimEnd('/') + "/"));
        byte[] rootKey = (await ic.StatusAsync(ct).ConfigureAwait(false)).RootKey ?? throw new LoadException("/api/v2/status has no root_key");
        LoadClient[] registered = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => LoadClient.RegisterAsync(ic, rootKey, ct))).ConfigureAwait(false);
        // II sets its salt on the first prepare_delegation; get_principal traps before. Then one query each through the
        // .NET client: the anchors answer get_principal before the replay starts.
        await registered[0].PrepareDelegationAsync(ic, null, ct).ConfigureAwait(false);
        await Task.WhenAll(registered.Select(c => c.GetPrincipalAsync(ic, ct))).ConfigureAwait(false);
        ulong now = (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        List<byte[]> envelopes = QueryEnvelopes.Sign([.. registered.Select(c => (c.Device, c.Anchor))], perClient, distinct, now);
        await using (FileStream output = File.Create(file))
        {
            QueryEnvelopes.Write(output, IiInterface.CanisterId, envelopes);
        }

        Console.Error.WriteLine($"{envelopes.Count:N0} {(distinct ? "distinct" : "repeated (no nonce, expiry rounded to the minute)")} get_principal envelopes " +
            $"of {clients} anchors -> {file} (valid for about 3 minutes)");
        return 0;
    }

    // The same phases on a wasm counter (right after II's update phases, so on a subnet holding as many request statuses).
    private static async Task LoadCounterAsync(Settings s, IcHttpClient ic, byte[] wasm, List<LoadClient> clients, List<(string, string, string)> rows,
        List<PhaseResult> phases, CpuMeter cpu, TextWriter log, CancellationToken ct)
    {
        WasmCounter counter = await WasmCounter.DeployAsync(ic, clients[0].Device, wasm, ct).ConfigureAwait(false);
        log.WriteLine($"wasm counter {counter.CanisterId} installed ({wasm.Length:N0} bytes); warm-up: one inc and get per client ...");
        await Task.WhenAll(clients.Take(s.Clients).Select(async c =>
        {
            await counter.IncAsync(ic, c, ct).ConfigureAwait(false);
            await counter.GetAsync(ic, c, ct).ConfigureAwait(false);
        })).ConfigureAwait(false);

        log.WriteLine($"1 client, wasm counter inc, {s.LatencySeconds} s ...");
        PhaseResult one = await LoadPhases.RunAsync("wasm inc, 1 client", clients.Take(1).ToList(), TimeSpan.FromSeconds(s.LatencySeconds),
            (c, t) => counter.IncAsync(ic, c, t), cpu, ct).ConfigureAwait(false);
        phases.Add(one);
        rows.Add(("wasm counter update latency p50, 1 client (Motoko `inc`, /api/v3 call to certificate)", Ms(one.Latencies.Percentile(50)), "<= 250 ms"));
        rows.Add(("wasm counter update latency p99, 1 client", Ms(one.Latencies.Percentile(99)), ""));

        log.WriteLine($"{s.Clients} clients, wasm counter inc, {s.Seconds} s ...");
        PhaseResult many = await LoadPhases.RunAsync($"wasm inc, {s.Clients} clients", clients.Take(s.Clients).ToList(), TimeSpan.FromSeconds(s.Seconds),
            (c, t) => counter.IncAsync(ic, c, t), cpu, ct).ConfigureAwait(false);
        phases.Add(many);
        rows.Add(($"wasm counter update latency p50, {s.Clients} clients", Ms(many.Latencies.Percentile(50)), "<= 250 ms"));
        rows.Add(($"wasm counter update latency p99, {s.Clients} clients", Ms(many.Latencies.Percentile(99)), ""));
        rows.Add(($"wasm counter updates/s, {s.Clients} clients (inc, {many.Latencies.Count} in {many.Seconds:0.0} s)", $"{many.PerSecond:0}", ""));

        log.WriteLine($"{s.QueryClients} clients, wasm counter get query, {s.Seconds} s ...");
        PhaseResult queries = await LoadPhases.RunAsync($"wasm get, {s.QueryClients} clients", clients.Take(s.QueryClients).ToList(), TimeSpan.FromSeconds(s.Seconds),
            (c, t) => counter.GetAsync(ic, c, t), cpu, ct).ConfigureAwait(false);
        phases.Add(queries);
        rows.Add(($"wasm counter queries/s, {s.QueryClients} clients (get, signed /api/v2 query; p50 {Ms(queries.Latencies.Percentile(50))})",
            $"{queries.PerSecond:0}", ""));
    }

    // Subnet CPU per operation (the figure to compare across runs on a shared machine), with the load tool's beside it.
    private static (string, string, string) CpuRow(string what, PhaseResult p) =>
        ($"{what}: `iinet up` µs (+ load tool µs; subnet {p.Cpu.SubnetSeconds:0.0} s, tool {p.Cpu.LoadSeconds:0.0} s of CPU in {p.Seconds:0.0} s)",
            double.IsNaN(p.SubnetMicros) ? $"n/a (+ {p.LoadMicros:0})" : $"{p.SubnetMicros:0} (+ {p.LoadMicros:0})", "");

    private static string Ms(double millis) => double.IsNaN(millis) ? "n/a" : millis.ToString(millis < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    private static string LoadAverage()
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
