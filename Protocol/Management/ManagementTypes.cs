using System.Numerics;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;

namespace InternetIdentity.Protocol.Management;

// The Candid types of the IC management canister (aaaaa-aa) that canister life-cycle calls use, as the interface
// specification's ic.did spells them (field names in snake_case through the mapping).

/// <summary>The management canister's <c>log_visibility</c> variant.</summary>
[CandidVariant]
public abstract record LogVisibility
{
    /// <summary>Only controllers may fetch the logs (the default).</summary>
    public sealed record Controllers : LogVisibility;

    /// <summary>Anyone may fetch the logs.</summary>
    public sealed record Public : LogVisibility;

    /// <summary>Controllers and the listed principals may fetch the logs.</summary>
    /// <param name="Value">The principals allowed besides the controllers.</param>
    public sealed record AllowedViewers(CandidPrincipal[] Value) : LogVisibility;
}

/// <summary>An <c>environment_variable</c> record.</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Value">Its value.</param>
public sealed record EnvironmentVariable(string Name, string Value);

/// <summary>The <c>canister_settings</c> record: every field optional, null leaves a setting as it is.</summary>
/// <param name="Controllers">The controllers.</param>
/// <param name="ComputeAllocation">Compute allocation in percent.</param>
/// <param name="MemoryAllocation">Memory allocation in bytes.</param>
/// <param name="FreezingThreshold">Freezing threshold in seconds.</param>
/// <param name="ReservedCyclesLimit">Reserved cycles limit.</param>
/// <param name="LogVisibility">Who may fetch the logs.</param>
/// <param name="WasmMemoryLimit">Wasm heap limit in bytes.</param>
/// <param name="WasmMemoryThreshold">Wasm heap threshold in bytes.</param>
/// <param name="EnvironmentVariables">The canister's environment variables.</param>
public sealed record CanisterSettings(
    CandidPrincipal[]? Controllers = null,
    [property: CandidNat] BigInteger? ComputeAllocation = null,
    [property: CandidNat] BigInteger? MemoryAllocation = null,
    [property: CandidNat] BigInteger? FreezingThreshold = null,
    [property: CandidNat] BigInteger? ReservedCyclesLimit = null,
    LogVisibility? LogVisibility = null,
    [property: CandidNat] BigInteger? WasmMemoryLimit = null,
    [property: CandidNat] BigInteger? WasmMemoryThreshold = null,
    EnvironmentVariable[]? EnvironmentVariables = null);

/// <summary>The <c>definite_canister_settings</c> record that <c>canister_status</c> returns.</summary>
/// <param name="Controllers">The controllers.</param>
/// <param name="ComputeAllocation">Compute allocation in percent.</param>
/// <param name="MemoryAllocation">Memory allocation in bytes.</param>
/// <param name="FreezingThreshold">Freezing threshold in seconds.</param>
/// <param name="ReservedCyclesLimit">Reserved cycles limit.</param>
/// <param name="LogVisibility">Who may fetch the logs.</param>
/// <param name="WasmMemoryLimit">Wasm heap limit in bytes.</param>
/// <param name="WasmMemoryThreshold">Wasm heap threshold in bytes.</param>
/// <param name="EnvironmentVariables">The canister's environment variables.</param>
public sealed record DefiniteCanisterSettings(
    CandidPrincipal[] Controllers,
    [property: CandidNat] BigInteger ComputeAllocation,
    [property: CandidNat] BigInteger MemoryAllocation,
    [property: CandidNat] BigInteger FreezingThreshold,
    [property: CandidNat] BigInteger ReservedCyclesLimit,
    LogVisibility LogVisibility,
    [property: CandidNat] BigInteger WasmMemoryLimit,
    [property: CandidNat] BigInteger WasmMemoryThreshold,
    EnvironmentVariable[] EnvironmentVariables);

/// <summary>The argument of <c>provisional_create_canister_with_cycles</c>.</summary>
/// <param name="Amount">The cycles to create it with (null: the replica's default).</param>
/// <param name="Settings">Its settings (null: the caller controls it, defaults otherwise).</param>
/// <param name="SpecifiedId">The id wanted, if any.</param>
/// <param name="SenderCanisterVersion">The calling canister's version (kept in the canister history's origin).</param>
public sealed record ProvisionalCreateCanisterArgs(
    [property: CandidNat] BigInteger? Amount = null,
    CanisterSettings? Settings = null,
    CandidPrincipal? SpecifiedId = null,
    ulong? SenderCanisterVersion = null);

/// <summary>The argument of <c>create_canister</c> (from canisters).</summary>
/// <param name="Settings">Its settings.</param>
/// <param name="SenderCanisterVersion">The calling canister's version (kept in the canister history's origin).</param>
public sealed record CreateCanisterArgs(CanisterSettings? Settings = null, ulong? SenderCanisterVersion = null);

/// <summary>The result of canister creation: <c>record { canister_id : principal }</c>.</summary>
/// <param name="CanisterId">The new canister.</param>
public sealed record CanisterIdRecord(CandidPrincipal CanisterId);

/// <summary><c>wasm_memory_persistence</c> of an upgrade: keep the heap (enhanced orthogonal persistence) or replace it.</summary>
public enum WasmMemoryPersistence
{
    /// <summary>Keep the Wasm heap.</summary>
    Keep,

    /// <summary>Start with a fresh heap.</summary>
    Replace,
}

/// <summary>The options of an upgrade.</summary>
/// <param name="SkipPreUpgrade">Do not run <c>canister_pre_upgrade</c>.</param>
/// <param name="WasmMemoryPersistence">Keep or replace the heap.</param>
public sealed record UpgradeOptions(bool? SkipPreUpgrade = null, WasmMemoryPersistence? WasmMemoryPersistence = null);

/// <summary>The <c>canister_install_mode</c> variant.</summary>
[CandidVariant]
public abstract record CanisterInstallMode
{
    /// <summary>Install code into an empty canister.</summary>
    public sealed record Install : CanisterInstallMode;

    /// <summary>Replace the code and all state.</summary>
    public sealed record Reinstall : CanisterInstallMode;

    /// <summary>Upgrade, keeping stable memory (and with <c>keep</c>, the heap).</summary>
    /// <param name="Value">The upgrade options, if any.</param>
    public sealed record Upgrade(UpgradeOptions? Value = null) : CanisterInstallMode;
}

/// <summary>The argument of <c>install_code</c>.</summary>
/// <param name="Mode">Install, reinstall or upgrade.</param>
/// <param name="CanisterId">The canister.</param>
/// <param name="WasmModule">The module, raw or gzip-compressed.</param>
/// <param name="Arg">The argument of <c>canister_init</c> / <c>canister_post_upgrade</c>.</param>
/// <param name="SenderCanisterVersion">The calling canister's version (kept in the canister history's origin).</param>
public sealed record InstallCodeArgs(CanisterInstallMode Mode, CandidPrincipal CanisterId, byte[] WasmModule, byte[] Arg, ulong? SenderCanisterVersion = null);

/// <summary>The argument of <c>uninstall_code</c>.</summary>
/// <param name="CanisterId">The canister.</param>
/// <param name="SenderCanisterVersion">The calling canister's version (kept in the canister history's origin).</param>
public sealed record UninstallCodeArgs(CandidPrincipal CanisterId, ulong? SenderCanisterVersion = null);

/// <summary>The argument of <c>update_settings</c>.</summary>
/// <param name="CanisterId">The canister.</param>
/// <param name="Settings">The settings to change.</param>
/// <param name="SenderCanisterVersion">The calling canister's version (kept in the canister history's origin).</param>
public sealed record UpdateSettingsArgs(CandidPrincipal CanisterId, CanisterSettings Settings, ulong? SenderCanisterVersion = null);

/// <summary>A canister's run status in <c>canister_status</c>.</summary>
public enum CanisterRunStatus
{
    /// <summary>Running.</summary>
    Running,

    /// <summary>Stopping (waiting for open call contexts).</summary>
    Stopping,

    /// <summary>Stopped.</summary>
    Stopped,
}

/// <summary>The <c>memory_metrics</c> of <c>canister_status</c>.</summary>
/// <param name="WasmMemorySize">Heap bytes.</param>
/// <param name="StableMemorySize">Stable memory bytes.</param>
/// <param name="GlobalMemorySize">Globals bytes.</param>
/// <param name="WasmBinarySize">Module bytes.</param>
/// <param name="CustomSectionsSize">Metadata bytes.</param>
/// <param name="CanisterHistorySize">History bytes.</param>
/// <param name="WasmChunkStoreSize">Chunk store bytes.</param>
/// <param name="SnapshotsSize">Snapshot bytes.</param>
public sealed record MemoryMetrics(
    [property: CandidNat] BigInteger WasmMemorySize,
    [property: CandidNat] BigInteger StableMemorySize,
    [property: CandidNat] BigInteger GlobalMemorySize,
    [property: CandidNat] BigInteger WasmBinarySize,
    [property: CandidNat] BigInteger CustomSectionsSize,
    [property: CandidNat] BigInteger CanisterHistorySize,
    [property: CandidNat] BigInteger WasmChunkStoreSize,
    [property: CandidNat] BigInteger SnapshotsSize);

/// <summary>The <c>query_stats</c> of <c>canister_status</c>.</summary>
/// <param name="NumCallsTotal">Queries answered.</param>
/// <param name="NumInstructionsTotal">Instructions they used.</param>
/// <param name="RequestPayloadBytesTotal">Request bytes.</param>
/// <param name="ResponsePayloadBytesTotal">Response bytes.</param>
public sealed record QueryStats(
    [property: CandidNat] BigInteger NumCallsTotal,
    [property: CandidNat] BigInteger NumInstructionsTotal,
    [property: CandidNat] BigInteger RequestPayloadBytesTotal,
    [property: CandidNat] BigInteger ResponsePayloadBytesTotal);

/// <summary>The result of <c>canister_status</c>.</summary>
/// <param name="Status">Running, stopping or stopped.</param>
/// <param name="ReadyForMigration">Whether the canister may migrate (never here).</param>
/// <param name="Version">The canister version.</param>
/// <param name="Settings">Its settings.</param>
/// <param name="ModuleHash">The SHA-256 of its module, null when empty.</param>
/// <param name="MemorySize">Total memory bytes.</param>
/// <param name="MemoryMetrics">The memory by kind.</param>
/// <param name="Cycles">The cycle balance.</param>
/// <param name="ReservedCycles">Reserved cycles.</param>
/// <param name="IdleCyclesBurnedPerDay">Idle burn (0: nothing is charged here).</param>
/// <param name="QueryStats">Query statistics.</param>
public sealed record CanisterStatusResult(
    CanisterRunStatus Status,
    bool ReadyForMigration,
    ulong Version,
    DefiniteCanisterSettings Settings,
    byte[]? ModuleHash,
    [property: CandidNat] BigInteger MemorySize,
    MemoryMetrics MemoryMetrics,
    [property: CandidNat] BigInteger Cycles,
    [property: CandidNat] BigInteger ReservedCycles,
    [property: CandidNat] BigInteger IdleCyclesBurnedPerDay,
    QueryStats QueryStats);

/// <summary>A <c>canister_log_record</c>.</summary>
/// <param name="Idx">The record's index.</param>
/// <param name="TimestampNanos">When it was written.</param>
/// <param name="Content">The bytes printed.</param>
public sealed record CanisterLogEntry(ulong Idx, ulong TimestampNanos, byte[] Content);

/// <summary>The result of <c>fetch_canister_logs</c>.</summary>
/// <param name="CanisterLogRecords">The records, oldest first.</param>
public sealed record FetchCanisterLogsResult(CanisterLogEntry[] CanisterLogRecords);

/// <summary>The argument of <c>canister_info</c> (callable by canisters only).</summary>
/// <param name="CanisterId">The canister asked about.</param>
/// <param name="NumRequestedChanges">How many of its most recent changes to return (null: none).</param>
public sealed record CanisterInfoArgs(CandidPrincipal CanisterId, ulong? NumRequestedChanges = null);

/// <summary>The <c>change_origin</c> variant: who made a change to a canister.</summary>
[CandidVariant]
public abstract record ChangeOrigin
{
    /// <summary>A user (an ingress message).</summary>
    /// <param name="UserId">The user's principal.</param>
    public sealed record FromUser(CandidPrincipal UserId) : ChangeOrigin;

    /// <summary>A canister (an inter-canister call).</summary>
    /// <param name="CanisterId">The calling canister.</param>
    /// <param name="CanisterVersion">Its version as it declared it (<c>sender_canister_version</c>), if it did.</param>
    public sealed record FromCanister(CandidPrincipal CanisterId, ulong? CanisterVersion) : ChangeOrigin;
}

/// <summary>The <c>mode</c> of a code deployment in a canister's history.</summary>
public enum CodeDeploymentMode
{
    /// <summary>Installed into an empty canister.</summary>
    Install,

    /// <summary>Reinstalled (state wiped).</summary>
    Reinstall,

    /// <summary>Upgraded.</summary>
    Upgrade,
}

/// <summary>The <c>change_details</c> variant: what changed.</summary>
[CandidVariant]
public abstract record ChangeDetails
{
    /// <summary>The canister was created.</summary>
    /// <param name="Controllers">Its controllers at creation.</param>
    /// <param name="EnvironmentVariablesHash">The hash of its environment variables (null: none were given).</param>
    public sealed record Creation(CandidPrincipal[] Controllers, byte[]? EnvironmentVariablesHash = null) : ChangeDetails;

    /// <summary>Its code was uninstalled.</summary>
    public sealed record CodeUninstall : ChangeDetails;

    /// <summary>Code was installed, reinstalled or upgraded.</summary>
    /// <param name="Mode">How.</param>
    /// <param name="ModuleHash">The SHA-256 of the module deployed.</param>
    public sealed record CodeDeployment(CodeDeploymentMode Mode, byte[] ModuleHash) : ChangeDetails;

    /// <summary>Its controllers were replaced.</summary>
    /// <param name="Controllers">The new controllers.</param>
    public sealed record ControllersChange(CandidPrincipal[] Controllers) : ChangeDetails;

    /// <summary>A snapshot of it was loaded.</summary>
    /// <param name="CanisterVersion">The canister's version when the snapshot was taken.</param>
    /// <param name="SnapshotId">The snapshot.</param>
    /// <param name="TakenAtTimestamp">When it was taken.</param>
    public sealed record LoadSnapshot(ulong CanisterVersion, byte[] SnapshotId, ulong TakenAtTimestamp) : ChangeDetails;
}

/// <summary>A <c>change</c> record of a canister's history.</summary>
/// <param name="TimestampNanos">The block time of the change.</param>
/// <param name="CanisterVersion">The canister's version after the change.</param>
/// <param name="Origin">Who made it.</param>
/// <param name="Details">What changed.</param>
public sealed record CanisterChange(ulong TimestampNanos, ulong CanisterVersion, ChangeOrigin Origin, ChangeDetails Details);

/// <summary>The result of <c>canister_info</c>.</summary>
/// <param name="TotalNumChanges">How many changes the canister has had since creation.</param>
/// <param name="RecentChanges">The most recent changes asked for, oldest first.</param>
/// <param name="ModuleHash">The SHA-256 of its module, null when empty.</param>
/// <param name="Controllers">Its controllers.</param>
public sealed record CanisterInfoResult(ulong TotalNumChanges, CanisterChange[] RecentChanges, byte[]? ModuleHash, CandidPrincipal[] Controllers);
