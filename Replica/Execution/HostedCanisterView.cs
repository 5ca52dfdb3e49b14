using InternetIdentity.CanisterRuntime;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.Replica.Execution;

/// <summary>
/// A hosted canister as it was at one height, for queries: the module's state is copied (a snapshot) when the view is
/// taken and instantiated on the first query, so that queries on a certified height never see what later heights
/// executed. Queries on one view run one at a time (a Wasm instance is single-threaded), each returning the instance
/// to the view's state, captured once by the first.
/// </summary>
internal sealed class HostedCanisterView : ICanister
{
    private readonly Lock _gate = new();
    private readonly CanisterEngine _engine;
    private readonly CanisterEnvironment _environment;
    private readonly CanisterModule? _module;
    private byte[]? _state; // until the instance is made from it
    private readonly CanisterReply? _refused;
    private WasmCanister? _instance;

    public HostedCanisterView(HostedCanister canister, CanisterEngine engine, CanisterEnvironment environment)
    {
        _engine = engine;
        _environment = environment;
        _refused = canister.Status == Protocol.Management.CanisterRunStatus.Running ? null : ExecutionState.Refused(canister);
        _refused ??= canister.Wasm is null ? canister.EmptyReject() : null;
        _module = canister.Wasm?.Module;
        _state = canister.Wasm?.Snapshot();
        CertifiedData = canister.CertifiedData.ToArray();
        ModuleHash = canister.ModuleHash.ToArray();
        Metadata = canister.Metadata;
        Exports = canister.Exports;
    }

    public ReadOnlyMemory<byte> CertifiedData { get; }

    public ReadOnlyMemory<byte> ModuleHash { get; }

    public IReadOnlyDictionary<string, CanisterMetadata> Metadata { get; }

    public ExportedMethods Exports { get; }

    /// <summary>Stable memory at the view's height (every page), or null for an empty canister (no module).</summary>
    public byte[]? ReadStableMemory()
    {
        if (_module is null)
        {
            return null;
        }

        lock (_gate)
        {
            return Instance().ReadStableMemory();
        }
    }

    public CanisterReply Update(CallContext context, string method, ReadOnlySpan<byte> argument) =>
        throw new InvalidOperationException("a query view takes no updates");

    public CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_refused is not null)
        {
            return _refused;
        }

        lock (_gate)
        {
            return Instance().Query(context, method, argument);
        }
    }

    // Under _gate: the module instantiated with the view's state on first use.
    private WasmCanister Instance()
    {
        if (_instance is null)
        {
            _instance = WasmCanister.CreateQueryView(_engine, _module!, _environment, _state);
            _state = null; // the instance holds the state now
        }

        return _instance;
    }
}
