using InternetIdentity.CanisterRuntime.Execution;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.CanisterRuntime;

/// <summary>A message to a canister as the host delivers it: caller, method, argument, time and attached cycles.</summary>
/// <param name="Caller">The caller's principal bytes.</param>
/// <param name="Method">The method name.</param>
/// <param name="Argument">The Candid argument bytes.</param>
/// <param name="TimeNanos">The block time (for queries, the state's time), nanoseconds since 1970-01-01 UTC.</param>
/// <param name="Cycles">Cycles attached to the call (0 for ingress).</param>
/// <param name="DeadlineNanos">The deadline of a best-effort call, 0 for guaranteed-response calls and ingress.</param>
public sealed record IncomingCall(ReadOnlyMemory<byte> Caller, string Method, ReadOnlyMemory<byte> Argument, ulong TimeNanos, UInt128 Cycles = default, ulong DeadlineNanos = 0);

/// <summary>An inter-canister call the canister made (<c>ic0.call_perform</c>), for the host to deliver.</summary>
/// <param name="CallbackId">The id to hand back with the response to <see cref="WasmCanister.ExecuteResponse"/>.</param>
/// <param name="CallContextId">The call context it belongs to.</param>
/// <param name="Callee">The callee's principal bytes.</param>
/// <param name="Method">The method name.</param>
/// <param name="Argument">The argument bytes.</param>
/// <param name="Cycles">Cycles sent with it (already taken from the balance).</param>
/// <param name="TimeoutSeconds">For a best-effort call (<c>call_with_best_effort_response</c>), its timeout; null otherwise.</param>
public sealed record OutgoingCall(ulong CallbackId, ulong CallContextId, ReadOnlyMemory<byte> Callee, string Method, ReadOnlyMemory<byte> Argument, UInt128 Cycles, uint? TimeoutSeconds);

/// <summary>The response to an outgoing call, as the host hands it back: a reply or a reject, with the cycles refunded.</summary>
/// <param name="Reply">The reply, or a reject with its code and message.</param>
/// <param name="RefundedCycles">Cycles returned to the caller.</param>
public sealed record CallResponse(CanisterReply Reply, UInt128 RefundedCycles = default);

/// <summary>What one execution produced.</summary>
/// <param name="CallContextId">The call context the execution ran in (0 for install, upgrade and queries).</param>
/// <param name="Response">The response for the call context's caller if it got one in this execution (reply,
/// reject, or the error that closed it), else null (still waiting on its calls).</param>
/// <param name="Calls">The inter-canister calls made, for the host to deliver.</param>
/// <param name="Instructions">The instructions the execution used.</param>
/// <param name="Error">The error if the execution trapped (its changes were rolled back).</param>
public sealed record ExecutionResult(ulong CallContextId, CanisterReply? Response, IReadOnlyList<OutgoingCall> Calls, ulong Instructions, ExecutionError? Error)
{
    /// <summary>Cycles the closed call context returns to its caller with the response.</summary>
    public UInt128 RefundedCycles { get; init; }
}

/// <summary>A canister log record (<c>ic0.debug_print</c>, or a trap), as <c>fetch_canister_logs</c> returns it.</summary>
/// <param name="Index">The record's index, counting from 0 over the canister's life.</param>
/// <param name="TimestampNanos">The time of the message that wrote it.</param>
/// <param name="Content">The bytes printed.</param>
public sealed record CanisterLogRecord(ulong Index, ulong TimestampNanos, ReadOnlyMemory<byte> Content);

/// <summary>The status <c>ic0.canister_status</c> reports.</summary>
public enum CanisterStatus
{
    /// <summary>Running (1).</summary>
    Running = 1,

    /// <summary>Stopping (2).</summary>
    Stopping = 2,

    /// <summary>Stopped (3).</summary>
    Stopped = 3,
}

/// <summary>A system task the host runs each round.</summary>
public enum SystemTask
{
    /// <summary><c>canister_heartbeat</c>.</summary>
    Heartbeat,

    /// <summary><c>canister_global_timer</c> (the host runs it once the timer's time has come; it is cleared first).</summary>
    GlobalTimer,
}

/// <summary>The environment a canister runs in, fixed by the host: its id, subnet, root key, controllers and variables.</summary>
public sealed record CanisterEnvironment
{
    /// <summary>The canister's principal bytes.</summary>
    public required ReadOnlyMemory<byte> CanisterId { get; init; }

    /// <summary>The subnet's principal bytes (<c>ic0.subnet_self_copy</c>).</summary>
    public ReadOnlyMemory<byte> SubnetId { get; init; }

    /// <summary>The DER-encoded root public key (<c>ic0.root_key_copy</c>).</summary>
    public ReadOnlyMemory<byte> RootKey { get; init; }
}
