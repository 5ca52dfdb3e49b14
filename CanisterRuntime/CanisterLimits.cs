namespace InternetIdentity.CanisterRuntime;

/// <summary>
/// Execution limits, IC-like by default. Instructions are counted as Wasmtime fuel (one unit per Wasm operator, plus
/// a fixed charge per System API call and per byte it copies), a deterministic stand-in for the IC's instrumentation.
/// </summary>
public sealed record CanisterLimits
{
    /// <summary>Instructions per update message, callback, heartbeat or timer (the IC allows 40B; 20B here).</summary>
    public ulong UpdateInstructions { get; init; } = 20_000_000_000;

    /// <summary>Instructions per query (the IC's 5B).</summary>
    public ulong QueryInstructions { get; init; } = 5_000_000_000;

    /// <summary>Instructions for install, reinstall and upgrade, start and init hooks together (the IC's 300B).</summary>
    public ulong InstallInstructions { get; init; } = 300_000_000_000;

    /// <summary>Instructions for <c>canister_inspect_message</c> (the IC's 200M).</summary>
    public ulong InspectMessageInstructions { get; init; } = 200_000_000;

    /// <summary>The largest the Wasm heap may grow, in bytes (4 GiB, the wasm32 maximum).</summary>
    public long WasmMemoryBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>The largest stable memory, in bytes (the IC's 500 GiB; pages are stored sparsely).</summary>
    public ulong StableMemoryBytes { get; init; } = 500UL * 1024 * 1024 * 1024;

    /// <summary>The most bytes of a reply (the IC's 2 MiB inter-canister payload limit plus its allowance).</summary>
    public int MaxReplyBytes { get; init; } = 2 * 1024 * 1024 + 256 * 1024;

    /// <summary>The most bytes of log records kept (older records are dropped first).</summary>
    public int LogBytes { get; init; } = 64 * 1024;

    /// <summary>The Wasm stack, in bytes (the IC has 5 MiB; Wasmtime caps it below its 2 MiB async stack).</summary>
    public int WasmStackBytes { get; init; } = 1024 * 1024;

    /// <summary>IC defaults.</summary>
    public static CanisterLimits Default { get; } = new();
}
