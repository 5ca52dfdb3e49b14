using InternetIdentity.CanisterRuntime.Execution;
using InternetIdentity.CanisterRuntime.SystemApi;
using InternetIdentity.CanisterRuntime.Wasm;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.CanisterRuntime;

/// <summary>
/// A wasm canister: a module's Wasmtime instance behind the IC System API, with its stable memory, certified data,
/// timer, cycles, call contexts, callbacks and logs. Every entry point is transactional: a trap or instruction-limit
/// overrun rolls heap, globals and stable memory back and answers with a reject (code 5); a query's changes are always
/// discarded. Not thread-safe: the host runs one message at a time per canister.
/// </summary>
public sealed partial class WasmCanister : ICanister, ICanisterSnapshots, IDisposable
{
    private readonly CanisterEngine _engine;
    private readonly CanisterEnvironment _environment;
    private readonly string _id;
    private CanisterState _state;
    private WasmInstance _instance;

    // A query view's state never changes: the image every query returns to is captured once, by the first query,
    // rather than the whole heap per query (set only by CreateQueryView).
    private bool _queryView;
    private Image? _queryImage;

    private WasmCanister(CanisterEngine engine, CanisterModule module, CanisterEnvironment environment, CanisterState state)
    {
        _engine = engine;
        _environment = environment;
        _id = Principal.FromBytes(environment.CanisterId.Span).ToString();
        _state = state;
        _instance = new WasmInstance(engine, module);
    }

    /// <summary>
    /// Creates the canister with <paramref name="module"/> instantiated but not yet initialised: call
    /// <see cref="Install"/> next (or <see cref="Restore"/> to load a snapshot).
    /// </summary>
    public static WasmCanister Create(CanisterEngine engine, CanisterModule module, CanisterEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(environment);
        return new WasmCanister(engine, module, environment, new CanisterState());
    }

    /// <summary>
    /// A canister at one fixed state, for queries only (a replica's view of one height): <paramref name="snapshot"/>
    /// (from <see cref="Snapshot"/>) restored into a new instance. Queries on it return to the state they found without
    /// capturing it per query; anything that would change its state throws InvalidOperationException.
    /// </summary>
    /// <exception cref="FormatException">the snapshot is malformed.</exception>
    public static WasmCanister CreateQueryView(CanisterEngine engine, CanisterModule module, CanisterEnvironment environment, ReadOnlySpan<byte> snapshot)
    {
        WasmCanister view = Create(engine, module, environment);
        try
        {
            view.Restore(snapshot);
        }
        catch
        {
            view.Dispose();
            throw;
        }

        view._queryView = true;
        return view;
    }

    /// <summary>Whether this is a query view (<see cref="CreateQueryView"/>), whose state never changes.</summary>
    public bool IsQueryView => _queryView;

    /// <summary>The installed module.</summary>
    public CanisterModule Module => _instance.Module;

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> CertifiedData => _state.CertifiedData;

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> ModuleHash => Module.ModuleHash;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, CanisterMetadata> Metadata => Module.Metadata;

    /// <inheritdoc/>
    public ExportedMethods Exports => Module.Exports;

    /// <summary>The canister's log records, oldest first (<c>fetch_canister_logs</c>).</summary>
    public IReadOnlyList<CanisterLogRecord> Logs => _state.Logs;

    /// <summary>The global timer in nanoseconds since 1970, 0 when not set.</summary>
    public ulong GlobalTimer => _state.GlobalTimer;

    /// <summary>
    /// The canister version (<c>ic0.canister_version</c>): +1 for each install, upgrade and successful execution; the host
    /// sets it to carry it across a reinstall and to count settings changes.
    /// </summary>
    public ulong Version { get => _state.Version; set => Changing()._state.Version = value; }

    /// <summary>The cycle balance; the host sets it (creation, deposits) and the canister spends it.</summary>
    public UInt128 CyclesBalance { get => _state.CyclesBalance; set => Changing()._state.CyclesBalance = value; }

    /// <summary>The controllers' principal bytes (<c>ic0.is_controller</c>); set by the host.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Controllers
    {
        get => [.. _state.Controllers.Select(c => (ReadOnlyMemory<byte>)c)];
        set => Changing()._state.Controllers = [.. value.Select(c => c.ToArray())];
    }

    /// <summary>The status <c>ic0.canister_status</c> reports; set by the host (start/stop).</summary>
    public CanisterStatus Status { get => _state.Status; set => Changing()._state.Status = value; }

    /// <summary>The canister's environment variables (<c>ic0.env_var_*</c>); set by the host.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables
    {
        get => _state.EnvironmentVariables;
        set => Changing()._state.EnvironmentVariables = new SortedDictionary<string, string>(value.ToDictionary(), StringComparer.Ordinal);
    }

    /// <summary>The Wasm heap's size in bytes.</summary>
    public long WasmMemoryBytes => _instance.HeapBytes;

    /// <summary>Stable memory's size in bytes.</summary>
    public ulong StableMemoryBytes => _state.Stable.SizeBytes;

    /// <summary>
    /// Stable memory's whole contents (every page), as PocketIC's <c>get_stable_memory</c> answers it; throws
    /// InvalidOperationException when it is larger than one array holds.
    /// </summary>
    public byte[] ReadStableMemory()
    {
        ulong size = _state.Stable.SizeBytes;
        if (size > (ulong)Array.MaxLength)
        {
            throw new InvalidOperationException($"stable memory of {size} bytes is more than one read returns ({Array.MaxLength} bytes)");
        }

        byte[] contents = new byte[size];
        _state.Stable.Read(0, contents);
        return contents;
    }

    /// <summary>
    /// Clears stable memory and sets its size to the 64 KiB pages that hold <paramref name="sizeBytes"/> (PocketIC's
    /// <c>set_stable_memory</c>, then <see cref="WriteStableMemory"/>); throws ArgumentException beyond the limit.
    /// </summary>
    public void ClearStableMemory(ulong sizeBytes)
    {
        if (sizeBytes > Limits.StableMemoryBytes)
        {
            throw new ArgumentException($"{sizeBytes} bytes exceed the stable memory limit of {Limits.StableMemoryBytes} bytes", nameof(sizeBytes));
        }

        Changing()._state.Stable.Clear(sizeBytes);
    }

    /// <summary>Writes <paramref name="data"/> into stable memory at <paramref name="offset"/>; throws ArgumentException out of bounds.</summary>
    public void WriteStableMemory(ulong offset, ReadOnlySpan<byte> data)
    {
        if (!_state.Stable.InBounds(offset, (ulong)data.Length))
        {
            throw new ArgumentException($"{data.Length} bytes at offset {offset} lie outside stable memory of {_state.Stable.SizeBytes} bytes", nameof(data));
        }

        Changing()._state.Stable.Write(offset, data);
    }

    /// <summary>Call contexts still open (waiting on responses to their calls).</summary>
    public int OpenCallContexts => _state.CallContexts.Count;

    private CanisterLimits Limits => _engine.Limits;

    /// <summary>
    /// Runs the module's start function, then <c>canister_init</c> with the argument (install and reinstall). On an
    /// error the canister is unusable and the host discards it.
    /// </summary>
    public ExecutionResult Install(ReadOnlyMemory<byte> caller, ulong timeNanos, ReadOnlySpan<byte> argument)
    {
        Changing();
        ExecutionResult result = RunStartAndInit(caller.ToArray(), timeNanos, argument.ToArray(), "canister_init");
        if (result.Error is null)
        {
            _state.Version++;
        }

        return result;
    }

    /// <summary>
    /// Upgrades to <paramref name="module"/>: <c>canister_pre_upgrade</c> here, then a new canister with the same
    /// stable memory (and, when <paramref name="keepMainMemory"/>, the same heap, as Motoko's enhanced orthogonal
    /// persistence requires) runs its start function and <c>canister_post_upgrade</c>. Returns the new canister, or
    /// null with the error in <paramref name="result"/>; this canister is then as before. On success the host disposes
    /// this one.
    /// </summary>
    public WasmCanister? Upgrade(CanisterModule module, ReadOnlyMemory<byte> caller, ulong timeNanos, ReadOnlySpan<byte> argument, bool keepMainMemory, out ExecutionResult result)
    {
        ArgumentNullException.ThrowIfNull(module);
        Changing();
        if (!keepMainMemory && Module.UsesEnhancedOrthogonalPersistence)
        {
            result = Failed(new ExecutionError("IC0504",
                "Missing upgrade option: Enhanced orthogonal persistence requires the `wasm_memory_persistence` upgrade option.", ""));
            return null;
        }

        if (keepMainMemory && !module.UsesEnhancedOrthogonalPersistence)
        {
            result = Failed(new ExecutionError("IC0504",
                "Invalid upgrade option: The `wasm_memory_persistence: opt Keep` upgrade option requires that the new canister module supports enhanced orthogonal persistence.", ""));
            return null;
        }

        Image image = Capture();
        ulong used = 0;
        if (Module.SystemMethods.Contains("canister_pre_upgrade"))
        {
            MessageExecution pre = NewExecution(ApiType.PreUpgrade, timeNanos, Limits.InstallInstructions);
            pre.Caller = caller.ToArray();
            used = Run(pre, "canister_pre_upgrade");
            if (pre.Error is not null)
            {
                Rollback(image, pre);
                result = Failed(pre.Error, used);
                return null;
            }
        }

        CanisterState state = _state.Capture();
        state.GlobalTimer = 0;
        state.CallContexts.Clear();
        state.Callbacks.Clear();
        var upgraded = new WasmCanister(_engine, module, _environment, state);
        if (keepMainMemory)
        {
            upgraded._instance.GrowTo(_instance.HeapBytes);
            upgraded._instance.RestoreHeap(_instance.CaptureHeap());
        }

        result = upgraded.RunStartAndInit(caller.ToArray(), timeNanos, argument.ToArray(), "canister_post_upgrade", used);
        if (result.Error is not null)
        {
            upgraded.Dispose();
            Rollback(image, null);
            return null;
        }

        upgraded._state.Version++;
        return upgraded;
    }

    /// <summary>
    /// Executes an update call (ingress or from a canister) in a new call context. A query method runs in replicated
    /// query mode with its changes discarded. The result carries the response if the context got one, and the calls
    /// the canister made; their responses come back through <see cref="ExecuteResponse"/>.
    /// </summary>
    public ExecutionResult ExecuteUpdate(IncomingCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Changing();
        if (!Exports.Updates.Contains(call.Method))
        {
            return Exports.Queries.Contains(call.Method) && !Module.CompositeQueries.Contains(call.Method)
                ? ExecuteQuery(call, null, replicated: true)
                : Failed(null, 0, CanisterReply.NoSuchMethod(call.Method, false, Principal.FromBytes(_environment.CanisterId.Span)));
        }

        Image image = Capture();
        var context = new CallContextState(_state.NextCallContextId++, call.Caller.ToArray(), true, call.DeadlineNanos) { CyclesAvailable = call.Cycles };
        _state.CallContexts[context.Id] = context;
        MessageExecution e = NewExecution(ApiType.Update, call.TimeNanos, Limits.UpdateInstructions, context, call.Argument.ToArray());
        ulong used = Run(e, "canister_update " + call.Method);
        if (e.Error is not null)
        {
            Rollback(image, e);
            _state.NextCallContextId = context.Id + 1;
            return new ExecutionResult(context.Id, e.Error.ToReply(_id), [], used, e.Error) { RefundedCycles = call.Cycles };
        }

        return Commit(e, context, used);
    }

    /// <summary>
    /// Runs the reply or reject callback of an outgoing call with its response, in the call context that made it. If
    /// the callback traps its changes roll back and its cleanup closure (if any) runs; a context left with nothing
    /// outstanding and no response answers its caller with the error.
    /// </summary>
    /// <exception cref="ArgumentException">no such callback is pending.</exception>
    public ExecutionResult ExecuteResponse(ulong callbackId, CallResponse response, ulong timeNanos)
    {
        ArgumentNullException.ThrowIfNull(response);
        Changing();
        if (!_state.Callbacks.Remove(callbackId, out CallbackState? callback))
        {
            throw new ArgumentException($"no callback {callbackId} is pending", nameof(callbackId));
        }

        CallContextState context = _state.CallContexts[callback.CallContextId];
        context.OutstandingCallbacks--;
        _state.CyclesBalance += response.RefundedCycles;
        Image image = Capture();
        bool replied = response.Reply is CanisterReply.Replied;
        var rejected = response.Reply as CanisterReply.Rejected;
        MessageExecution e = NewExecution(replied ? ApiType.ReplyCallback : ApiType.RejectCallback, timeNanos, Limits.UpdateInstructions,
            context, replied ? ((CanisterReply.Replied)response.Reply).Candid.ToArray() : null, rejected is null ? 0 : (int)rejected.Code, rejected?.Message, response.RefundedCycles);
        ulong used = RunClosure(e, replied ? callback.ReplyFun : callback.RejectFun, replied ? callback.ReplyEnv : callback.RejectEnv);
        if (e.Error is null)
        {
            return Commit(e, context, used);
        }

        ExecutionError error = e.Error;
        Rollback(image, e);
        context = _state.CallContexts[callback.CallContextId];
        if (callback.CleanupFun is ulong cleanupFun)
        {
            MessageExecution cleanup = NewExecution(ApiType.Cleanup, timeNanos, Limits.UpdateInstructions, context, null, e.RejectCode, null, 0);
            used += RunClosure(cleanup, cleanupFun, callback.CleanupEnv);
            if (cleanup.Error is not null)
            {
                Rollback(image, cleanup);
                context = _state.CallContexts[callback.CallContextId];
                error = error with { Description = $"{error.Description}\n\ncall_on_cleanup also failed:\n\n{cleanup.Error.Description}" };
            }
        }

        return Close(context, error.ToReply(_id), used, error);
    }

    /// <summary>
    /// Runs a query (non-replicated unless <paramref name="replicated"/>), with the state's certificate when given;
    /// whatever it changes is discarded.
    /// </summary>
    public ExecutionResult ExecuteQuery(IncomingCall call, ReadOnlyMemory<byte>? certificate, bool replicated = false)
    {
        ArgumentNullException.ThrowIfNull(call);
        string? export = Module.CompositeQueries.Contains(call.Method) ? "canister_composite_query " + call.Method
            : Exports.Queries.Contains(call.Method) ? "canister_query " + call.Method
            : Exports.Updates.Contains(call.Method) ? "canister_update " + call.Method
            : null;
        if (export is null)
        {
            return Failed(null, 0, CanisterReply.NoSuchMethod(call.Method, true, Principal.FromBytes(_environment.CanisterId.Span)));
        }

        Image image = _queryView ? _queryImage ??= Capture() : Capture();
        var context = new CallContextState(0, call.Caller.ToArray(), true, 0) { CyclesAvailable = call.Cycles };
        ApiType type = export.StartsWith("canister_composite_query ", StringComparison.Ordinal) ? ApiType.CompositeQuery
            : replicated ? ApiType.ReplicatedQuery : ApiType.NonReplicatedQuery;
        MessageExecution e = NewExecution(type, call.TimeNanos, Limits.QueryInstructions, context, call.Argument.ToArray());
        e.Certificate = replicated ? null : certificate?.ToArray();
        e.Replicated = replicated;
        ulong used = Run(e, export);
        Discard(image);
        CanisterReply response = e.Error?.ToReply(_id) ?? e.Response ?? ExecutionError.DidNotReply().ToReply(_id);
        return new ExecutionResult(0, response, [], used, e.Error);
    }

    /// <summary>
    /// Runs <c>canister_heartbeat</c> or <c>canister_global_timer</c> (the timer is cleared first, as on the IC). Does
    /// nothing when the module does not export it.
    /// </summary>
    public ExecutionResult ExecuteSystemTask(SystemTask task, ulong timeNanos)
    {
        Changing();
        string export = task == SystemTask.Heartbeat ? "canister_heartbeat" : "canister_global_timer";
        if (task == SystemTask.GlobalTimer)
        {
            _state.GlobalTimer = 0;
        }

        if (!Module.SystemMethods.Contains(export))
        {
            return new ExecutionResult(0, null, [], 0, null);
        }

        Image image = Capture();
        var context = new CallContextState(_state.NextCallContextId++, [], false, 0);
        _state.CallContexts[context.Id] = context;
        MessageExecution e = NewExecution(ApiType.SystemTask, timeNanos, Limits.UpdateInstructions, context, null);
        ulong used = Run(e, export);
        if (e.Error is not null)
        {
            Rollback(image, e);
            _state.NextCallContextId = context.Id + 1;
            return new ExecutionResult(context.Id, null, [], used, e.Error);
        }

        return Commit(e, context, used);
    }

    /// <summary>
    /// Runs <c>canister_inspect_message</c> for an ingress update (changes discarded). True when the canister accepts
    /// it (or exports no inspect hook); false with the error when it traps or does not call <c>ic0.accept_message</c>.
    /// </summary>
    public bool InspectMessage(IncomingCall call, out ExecutionError? error)
    {
        ArgumentNullException.ThrowIfNull(call);
        error = null;
        if (!Module.SystemMethods.Contains("canister_inspect_message"))
        {
            return true;
        }

        Image image = Capture();
        MessageExecution e = NewExecution(ApiType.InspectMessage, call.TimeNanos, Limits.InspectMessageInstructions, null, call.Argument.ToArray());
        e.MethodName = call.Method;
        e.Caller = call.Caller.ToArray();
        Run(e, "canister_inspect_message");
        Discard(image);
        error = e.Error ?? (e.Accepted ? null : new ExecutionError("IC0406", "Canister rejected the message", ""));
        return error is null;
    }

    /// <inheritdoc/>
    public CanisterReply Update(CallContext context, string method, ReadOnlySpan<byte> argument)
    {
        ArgumentNullException.ThrowIfNull(context);
        ExecutionResult result = ExecuteUpdate(new IncomingCall(context.Caller, method, argument.ToArray(), context.TimeNanos));
        return result.Response ?? CanisterReply.Reject(RejectCode.CanisterError,
            $"Error from Canister {_id}: Canister is waiting on inter-canister calls; a host that delivers them runs it through ExecuteUpdate",
            "IC0506");
    }

    /// <inheritdoc/>
    public CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteQuery(new IncomingCall(context.Caller, method, argument.ToArray(), context.TimeNanos), context.Certificate).Response!;
    }

    /// <inheritdoc/>
    public void Dispose() => _instance.Dispose();

    // Before anything that changes the state: a query view's never does.
    private WasmCanister Changing() => _queryView
        ? throw new InvalidOperationException($"canister {_id}: a query view's state does not change")
        : this;

    private ExecutionResult RunStartAndInit(byte[] caller, ulong timeNanos, byte[] argument, string hook, ulong usedBefore = 0)
    {
        ulong used = usedBefore;
        if (Module.Info.StartFunction is not null)
        {
            MessageExecution start = NewExecution(ApiType.Start, timeNanos, Limits.InstallInstructions - used);
            used += Run(start, WasmInstrumentation.StartExport);
            if (start.Error is not null)
            {
                return Failed(start.Error, used);
            }
        }

        if (Module.SystemMethods.Contains(hook))
        {
            MessageExecution init = NewExecution(ApiType.Init, timeNanos, Limits.InstallInstructions - used, null, argument);
            init.Caller = caller;
            used += Run(init, hook);
            if (init.Error is not null)
            {
                return Failed(init.Error, used);
            }
        }

        return new ExecutionResult(0, CanisterReply.Reply(Protocol.Candid.CandidEncoder.Encode([], [])), [], used, null);
    }

    private ExecutionResult Failed(ExecutionError? error, ulong used = 0, CanisterReply? reply = null) =>
        new(0, reply ?? error!.ToReply(_id), [], used, error);
}
