namespace InternetIdentity.CanisterRuntime.Execution;

/// <summary>An open call context: who called, what they attached, whether it was answered, what it still waits for.</summary>
internal sealed record CallContextState(ulong Id, byte[] Caller, bool ExpectsResponse, ulong DeadlineNanos)
{
    public UInt128 CyclesAvailable { get; set; }

    public bool Responded { get; set; }

    public int OutstandingCallbacks { get; set; }

    public ulong Instructions { get; set; }
}

/// <summary>A registered callback of an outgoing call: reply/reject/cleanup closures (table index and environment).</summary>
internal sealed record CallbackState(ulong Id, ulong CallContextId, ulong ReplyFun, ulong ReplyEnv, ulong RejectFun, ulong RejectEnv, ulong? CleanupFun, ulong CleanupEnv);

/// <summary>
/// Everything about a canister beside its Wasm instance: stable memory, certified data, timer, version, cycles,
/// controllers, status, call contexts, callbacks and logs. Copied whole for a rollback image.
/// </summary>
internal sealed class CanisterState
{
    public StableMemory Stable { get; private set; } = new();

    public byte[] CertifiedData { get; set; } = [];

    public ulong GlobalTimer { get; set; }

    public ulong Version { get; set; }

    public UInt128 CyclesBalance { get; set; }

    public List<byte[]> Controllers { get; set; } = [];

    public CanisterStatus Status { get; set; } = CanisterStatus.Running;

    public SortedDictionary<string, string> EnvironmentVariables { get; set; } = new(StringComparer.Ordinal);

    public SortedDictionary<ulong, CallContextState> CallContexts { get; private set; } = [];

    public SortedDictionary<ulong, CallbackState> Callbacks { get; private set; } = [];

    public ulong NextCallContextId { get; set; } = 1;

    public ulong NextCallbackId { get; set; } = 1;

    public List<CanisterLogRecord> Logs { get; private set; } = [];

    public ulong NextLogIndex { get; set; }

    public CanisterState Capture() => new()
    {
        Stable = Stable.Capture(),
        CertifiedData = CertifiedData,
        GlobalTimer = GlobalTimer,
        Version = Version,
        CyclesBalance = CyclesBalance,
        Controllers = [.. Controllers],
        Status = Status,
        EnvironmentVariables = new(EnvironmentVariables, StringComparer.Ordinal),
        CallContexts = new(CallContexts.ToDictionary(c => c.Key, c => c.Value with { })),
        Callbacks = new(Callbacks),
        NextCallContextId = NextCallContextId,
        NextCallbackId = NextCallbackId,
        Logs = [.. Logs],
        NextLogIndex = NextLogIndex,
    };

    public void RestoreFrom(CanisterState image, bool keepLogs)
    {
        Stable.RestoreFrom(image.Stable);
        CertifiedData = image.CertifiedData;
        GlobalTimer = image.GlobalTimer;
        Version = image.Version;
        CyclesBalance = image.CyclesBalance;
        Controllers = [.. image.Controllers];
        Status = image.Status;
        EnvironmentVariables = new(image.EnvironmentVariables, StringComparer.Ordinal);
        CallContexts = new(image.CallContexts.ToDictionary(c => c.Key, c => c.Value with { }));
        Callbacks = new(image.Callbacks);
        NextCallContextId = image.NextCallContextId;
        NextCallbackId = image.NextCallbackId;
        if (!keepLogs)
        {
            Logs = [.. image.Logs];
            NextLogIndex = image.NextLogIndex;
        }
    }

    public void AppendLog(ulong time, byte[] content, int maxBytes)
    {
        Logs.Add(new CanisterLogRecord(NextLogIndex++, time, content));
        long total = Logs.Sum(l => (long)l.Content.Length);
        while (total > maxBytes && Logs.Count > 0)
        {
            total -= Logs[0].Content.Length;
            Logs.RemoveAt(0);
        }
    }
}
