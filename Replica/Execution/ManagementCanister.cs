using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Execution;

/// <summary>
/// The management canister (<c>aaaaa-aa</c>): canister life cycle (<c>provisional_create_canister_with_cycles</c>,
/// <c>install_code</c>, <c>uninstall_code</c>, <c>update_settings</c>, <c>canister_status</c>, <c>start_canister</c>,
/// <c>stop_canister</c>, <c>delete_canister</c>, <c>fetch_canister_logs</c>, <c>raw_rand</c>) and canister snapshots
/// (<c>take_canister_snapshot</c>, <c>load_canister_snapshot</c>, <c>list_canister_snapshots</c>,
/// <c>delete_canister_snapshot</c>), with the IC's Candid interface, controller checks and error texts. Runs inside
/// <see cref="ExecutionState"/> over its <see cref="CanisterTable"/>, so every replica applies the same calls at the
/// same height. Unlike the IC, a canister need not be stopped before a snapshot, and stopping is immediate (calls are
/// executed within their batch, so no call context stays open across batches).
/// </summary>
public sealed partial class ManagementCanister
{
    private readonly CanisterTable _table;

    /// <summary>A management canister over the subnet's canisters.</summary>
    public ManagementCanister(CanisterTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <summary>The canister snapshots (replicated state).</summary>
    public CanisterSnapshotStore Snapshots { get; } = new();

    /// <summary>Every canister's change history, as <c>canister_info</c> reports it (replicated state).</summary>
    public CanisterHistoryStore History { get; } = new();

    /// <summary>The methods an ingress message may call (update calls).</summary>
    public static IReadOnlySet<string> IngressMethods { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "take_canister_snapshot", "load_canister_snapshot", "list_canister_snapshots", "delete_canister_snapshot",
        ProvisionalCreate, "provisional_top_up_canister", "install_code", "uninstall_code", "update_settings", "canister_status",
        "start_canister", "stop_canister", "delete_canister",
    };

    /// <summary>The methods a query to the management canister may call.</summary>
    public static IReadOnlySet<string> QueryMethods { get; } = new HashSet<string>(StringComparer.Ordinal) { "canister_status", "fetch_canister_logs" };

    /// <summary>The methods only canisters may call; ingress gets the IC's IC0406 refusal.</summary>
    public static IReadOnlySet<string> CanisterOnlyMethods { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "create_canister", "raw_rand", "canister_info",
    };

    /// <summary>
    /// A test-only method (PocketIC's <c>set_stable_memory</c>): replaces a wasm canister's stable memory. Only impersonated
    /// calls reach it, which only the PocketIC server's instances execute; everywhere else it is an unknown method.
    /// </summary>
    public const string SetStableMemory = "pocket_ic_set_stable_memory";

    /// <summary>The method whose effective canister id may be any id of the subnet (it names no canister).</summary>
    public const string ProvisionalCreate = "provisional_create_canister_with_cycles";

    /// <summary>
    /// The canister an ingress call (or a query, with <paramref name="query"/>) to <paramref name="method"/> acts on (its
    /// effective canister id: the argument's <c>canister_id</c>; null for <see cref="ProvisionalCreate"/>, which any
    /// id of the subnet routes), or false with the reason when the method or argument is not one ingress may send.
    /// </summary>
    public static bool TryGetEffectiveCanister(string method, ReadOnlySpan<byte> argument, out Principal? canister, out string? error, bool query = false)
    {
        ArgumentNullException.ThrowIfNull(method);
        canister = null;
        if (!query && CanisterOnlyMethods.Contains(method))
        {
            error = OnlyCanisters(method);
            return false;
        }

        if (!(query ? QueryMethods : IngressMethods).Contains(method))
        {
            error = $"Management canister has no method '{method}' callable by ingress {(query ? "queries" : "messages")}";
            return false;
        }

        try
        {
            if (method == ProvisionalCreate)
            {
                CandidArgs.Decode<ProvisionalCreateCanisterArgs>(argument);
                error = null;
                return true;
            }

            canister = CandidArgs.Decode<CanisterIdRecord>(argument).CanisterId.ToPrincipal();
            error = null;
            return true;
        }
        catch (Exception e) when (e is CandidFormatException or FormatException)
        {
            error = $"Error decoding candid: {e.Message}";
            return false;
        }
    }

    /// <summary>
    /// Executes a call from <paramref name="caller"/> at block time <paramref name="timeNanos"/>; state changes only on a
    /// reply. <paramref name="randomness"/> is the message's share of the batch randomness (<c>raw_rand</c>, which only
    /// canisters may call: pass <paramref name="fromCanister"/>). The test-only <see cref="SetStableMemory"/> answers only
    /// with <paramref name="testMethods"/> (an impersonated call).
    /// </summary>
    public CanisterReply Execute(Principal caller, ulong timeNanos, string method, ReadOnlySpan<byte> argument, ReadOnlySpan<byte> randomness = default,
        bool fromCanister = false, bool testMethods = false)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(method);
        try
        {
            if (!fromCanister && CanisterOnlyMethods.Contains(method))
            {
                return CanisterReply.Reject(RejectCode.CanisterReject, OnlyCanisters(method), "IC0406");
            }

            var change = new ChangeMaker(caller, timeNanos, fromCanister);
            return method switch
            {
                "take_canister_snapshot" => Take(caller, timeNanos, CandidArgs.Decode<TakeSnapshotArgs>(argument)),
                "load_canister_snapshot" => Load(change, CandidArgs.Decode<SnapshotIdArgs>(argument)),
                "list_canister_snapshots" => List(caller, CandidArgs.Decode<CanisterIdRecord>(argument)),
                "delete_canister_snapshot" => Delete(caller, CandidArgs.Decode<SnapshotIdArgs>(argument)),
                ProvisionalCreate => Create(change, CandidArgs.Decode<ProvisionalCreateCanisterArgs>(argument)),
                "provisional_top_up_canister" => TopUp(CandidArgs.Decode<TopUpArgs>(argument)),
                "install_code" => InstallCode(change, CandidArgs.Decode<InstallCodeArgs>(argument)),
                "uninstall_code" => UninstallCode(change, CandidArgs.Decode<UninstallCodeArgs>(argument)),
                "update_settings" => UpdateSettings(change, CandidArgs.Decode<UpdateSettingsArgs>(argument)),
                "canister_status" => Status(caller, CandidArgs.Decode<CanisterIdRecord>(argument)),
                "start_canister" => SetRunning(caller, CandidArgs.Decode<CanisterIdRecord>(argument), CanisterRunStatus.Running),
                "stop_canister" => SetRunning(caller, CandidArgs.Decode<CanisterIdRecord>(argument), CanisterRunStatus.Stopped),
                "delete_canister" => DeleteCanister(caller, CandidArgs.Decode<CanisterIdRecord>(argument)),
                "fetch_canister_logs" => FetchLogs(caller, CandidArgs.Decode<CanisterIdRecord>(argument)),
                "create_canister" => Create(change, ToProvisional(CandidArgs.Decode<CreateCanisterArgs>(argument))),
                "raw_rand" => RawRand(argument, randomness),
                "canister_info" => Info(CandidArgs.Decode<CanisterInfoArgs>(argument)),
                SetStableMemory when testMethods && !fromCanister => ReplaceStableMemory(CandidArgs.Decode<SetStableMemoryArgs>(argument)),
                _ => CanisterReply.Reject(RejectCode.DestinationInvalid, $"Management canister has no method '{method}'", "IC0536"),
            };
        }
        catch (Exception e) when (e is CandidFormatException or FormatException)
        {
            return CanisterReply.Reject(RejectCode.CanisterError, $"Error decoding candid: {e.Message}", "IC0503");
        }
    }

    private CanisterReply Take(Principal caller, ulong timeNanos, TakeSnapshotArgs args)
    {
        if (Controlled(caller, args.CanisterId, out InstalledCanister? target, out ICanisterSnapshots? state) is { } refused)
        {
            return refused;
        }

        if (args.ReplaceSnapshot is { } replace && Snapshots.Find(target!.Id, replace) is null)
        {
            return NotFound(target.Id, replace);
        }

        if (args.ReplaceSnapshot is null && Snapshots.Of(target!.Id).Count >= CanisterSnapshotStore.MaxPerCanister)
        {
            return CanisterReply.Reject(RejectCode.CanisterError,
                $"Canister {target.Id} has reached the maximum number of snapshots allowed: {CanisterSnapshotStore.MaxPerCanister}.", "IC0411");
        }

        byte[] bytes = state!.Snapshot();
        if (args.ReplaceSnapshot is { } old)
        {
            Snapshots.Remove(target!.Id, old);
        }

        CanisterSnapshot taken = Snapshots.Add(target!.Id, timeNanos, bytes);
        return CanisterReply.Reply(CandidArgs.Encode(Describe(taken)));
    }

    private CanisterReply Load(ChangeMaker change, SnapshotIdArgs args)
    {
        if (Controlled(change.Caller, args.CanisterId, out InstalledCanister? target, out ICanisterSnapshots? state) is { } refused)
        {
            return refused;
        }

        if (Snapshots.Find(target!.Id, args.SnapshotId) is not { } snapshot)
        {
            return NotFound(target.Id, args.SnapshotId);
        }

        var hosted = target.Canister as HostedCanister;
        ulong before = hosted?.Version ?? 0;
        state!.Restore(snapshot.State); // our own bytes of this canister: a FormatException here is a bug, and the executor traps it
        if (hosted is not null)
        {
            ulong taken = hosted.Version;
            hosted.Version = before + 1; // the version only grows: loading a snapshot is one more change
            History.Record(target.Id, change.Made(hosted.Version, args.SenderCanisterVersion,
                new ChangeDetails.LoadSnapshot(taken, snapshot.Id, snapshot.TakenAtNanos)));
        }

        return CanisterReply.Reply(CandidArgs.Encode());
    }

    private CanisterReply List(Principal caller, CanisterIdRecord args) =>
        Controlled(caller, args.CanisterId, out InstalledCanister? target, out _) is { } refused
            ? refused
            : CanisterReply.Reply(CandidArgs.Encode(Snapshots.Of(target!.Id).Select(Describe).ToArray()));

    private CanisterReply Delete(Principal caller, SnapshotIdArgs args)
    {
        if (Controlled(caller, args.CanisterId, out InstalledCanister? target, out _) is { } refused)
        {
            return refused;
        }

        return Snapshots.Remove(target!.Id, args.SnapshotId) ? CanisterReply.Reply(CandidArgs.Encode()) : NotFound(target.Id, args.SnapshotId);
    }

    // The IC's checks before a snapshot operation: the canister exists, the caller controls it, and it has state to keep.
    private CanisterReply? Controlled(Principal caller, CandidPrincipal canisterId, out InstalledCanister? target, out ICanisterSnapshots? state)
    {
        state = null;
        if (Controlled(caller, canisterId, out target) is { } refused)
        {
            return refused;
        }

        Principal id = target!.Id;
        state = target.Canister as ICanisterSnapshots;
        return state is null
            ? CanisterReply.Reject(RejectCode.CanisterError, $"Canister {id} keeps no state to snapshot.", "IC0503")
            : null;
    }

    private static string OnlyCanisters(string method) => $"Only canisters can call ic00 method {method}";

    private static CanisterReply NotFound(Principal canister, byte[] snapshotId) =>
        CanisterReply.Reject(RejectCode.DestinationInvalid,
            $"Could not find the snapshot ID {Convert.ToHexStringLower(snapshotId)} for canister {canister}.", "IC0411");

    private static SnapshotRecord Describe(CanisterSnapshot s) => new(s.Id, s.TakenAtNanos, (ulong)s.State.Length);
}
