using System.Diagnostics;
using System.Globalization;
using InternetIdentity.CanisterRuntime.Execution;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.CanisterRuntime.Benchmarks;

/// <summary>
/// <c>--query-probe WASM METHOD [UPDATE]</c>: installs a canister module (no init argument), then times one query method
/// called 2,000 times on the canister and on a query view of it (<see cref="WasmCanister.CreateQueryView"/>, as a replica's
/// view of a height answers queries), and an update method 2,000 times: minimum, median and mean, and the heap's size.
/// </summary>
internal static class QueryProbe
{
    public static void Run(string wasmPath, string method, string? update)
    {
        using var engine = new CanisterEngine();
        if (!engine.TryLoadModule(File.ReadAllBytes(wasmPath), out CanisterModule? module, out WasmValidationError? error))
        {
            throw new InvalidOperationException($"{wasmPath} does not load: {error!.Message}");
        }

        byte[] caller = Principal.SelfAuthenticating([0x30, 0x2a, 1, 2, 3]).ToArray();
        var environment = new CanisterEnvironment { CanisterId = Principal.CanisterId(7).ToArray(), SubnetId = Principal.CanisterId(99).ToArray() };
        using WasmCanister canister = WasmCanister.Create(engine, module!, environment);
        ExecutionResult installed = canister.Install(caller, 1_700_000_000_000_000_000, CandidEncoder.Encode([], []));
        if (installed.Error is not null)
        {
            throw new InvalidOperationException("the canister does not install: " + installed.Error.Description);
        }

        using WasmCanister view = WasmCanister.CreateQueryView(engine, module!, environment, canister.Snapshot());
        Measure("canister", canister, method, caller);
        if (update is not null)
        {
            Measure("canister", canister, update, caller, asUpdate: true);
        }

        Measure("query view", view, method, caller);
    }

    private static void Measure(string what, WasmCanister canister, string method, byte[] caller, bool asUpdate = false)
    {
        int runs = 2000;
        byte[] arg = CandidEncoder.Encode([], []);
        var times = new List<double>();
        for (int i = 0; i < runs + 100; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var call = new IncomingCall(caller, method, arg, 1_700_000_000_000_000_000);
            ExecutionResult r = asUpdate ? canister.ExecuteUpdate(call) : canister.ExecuteQuery(call, null);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (r.Response is not Protocol.Canister.CanisterReply.Replied)
            {
                throw new InvalidOperationException($"{method} did not reply: {r.Response} {r.Error?.Description}");
            }

            if (i >= 100)
            {
                times.Add(ms); // after 100 warm-up calls
            }
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}, {(asUpdate ? "update" : "query")} {method}: min {times[0]:0.000} ms, median {times[times.Count / 2]:0.000} ms, mean {times.Average():0.000} ms over {runs}; " +
            $"heap {canister.WasmMemoryBytes / 1024:N0} KiB; gen0/1/2 collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}; " +
            $"load average {File.ReadAllText("/proc/loadavg").Trim()}"));
    }
}
