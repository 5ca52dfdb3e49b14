using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace InternetIdentity.CanisterRuntime.Benchmarks;

/// <summary>
/// One message of <see cref="LoopCanister"/> per invocation, through <see cref="WasmCanister"/> as the replica runs it
/// (fuel counting, rollback image for updates, reply). The extra column divides the message's instructions (counted
/// once in the host process: they are deterministic) by the mean time.
/// </summary>
[Config(typeof(Config))]
public class LoopBenchmarks
{
    private LoopCanister _canister = null!;

    [GlobalSetup]
    public void Setup() => _canister = new LoopCanister();

    [GlobalCleanup]
    public void Cleanup() => _canister.Dispose();

    [Benchmark(Description = "update loop_10m")]
    public ulong UpdateLoop10M() => _canister.Run("loop_10m", query: false);

    [Benchmark(Description = "query loop_10m_query")]
    public ulong QueryLoop10M() => _canister.Run("loop_10m_query", query: true);

    [Benchmark(Description = "update loop_1k")]
    public ulong UpdateLoop1K() => _canister.Run("loop_1k", query: false);

    [Benchmark(Description = "update store_8mib")]
    public ulong UpdateStore8MiB() => _canister.Run("store_8mib", query: false);

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new InstructionsColumn(), new InstructionsPerSecondColumn());
    }

    // The canister method each benchmark calls, by the benchmark's own method name.
    private static readonly Dictionary<string, (string Method, bool Query)> s_calls = new()
    {
        [nameof(UpdateLoop10M)] = ("loop_10m", false),
        [nameof(QueryLoop10M)] = ("loop_10m_query", true),
        [nameof(UpdateLoop1K)] = ("loop_1k", false),
        [nameof(UpdateStore8MiB)] = ("store_8mib", false),
    };

    private static readonly Lazy<Dictionary<string, ulong>> s_instructions = new(() =>
    {
        using var canister = new LoopCanister();
        return s_calls.ToDictionary(c => c.Key, c => canister.Run(c.Value.Method, c.Value.Query));
    });

    private static ulong InstructionsOf(BenchmarkCase benchmark) => s_instructions.Value[benchmark.Descriptor.WorkloadMethod.Name];

    private sealed class InstructionsColumn : IColumn
    {
        public string Id => nameof(InstructionsColumn);
        public string ColumnName => "Instructions";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "instructions of one message (Wasmtime fuel, one per Wasm operator)";
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => InstructionsOf(benchmarkCase).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }

    private sealed class InstructionsPerSecondColumn : IColumn
    {
        public string Id => nameof(InstructionsPerSecondColumn);
        public string ColumnName => "Minstr/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 1;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "millions of instructions per second (instructions / mean)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            summary[benchmarkCase]?.ResultStatistics is { } stats
                ? (InstructionsOf(benchmarkCase) / stats.Mean * 1e3).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
                : "n/a";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}
