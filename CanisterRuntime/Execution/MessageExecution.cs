using InternetIdentity.CanisterRuntime.SystemApi;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.CanisterRuntime.Execution;

/// <summary>An outgoing call being assembled between <c>call_new</c> and <c>call_perform</c>.</summary>
internal sealed class CallUnderConstruction
{
    public required byte[] Callee { get; init; }

    public required string Method { get; init; }

    public required ulong ReplyFun { get; init; }

    public required ulong ReplyEnv { get; init; }

    public required ulong RejectFun { get; init; }

    public required ulong RejectEnv { get; init; }

    public ulong? CleanupFun { get; set; }

    public ulong CleanupEnv { get; set; }

    public List<byte> Argument { get; } = [];

    public UInt128 Cycles { get; set; }

    public uint? TimeoutSeconds { get; set; }
}

/// <summary>What one running entry point sees through the System API, and what it produced.</summary>
internal sealed class MessageExecution
{
    public required ApiType Type { get; init; }

    public required CanisterState State { get; init; }

    public required CanisterEnvironment Environment { get; init; }

    public required CanisterLimits Limits { get; init; }

    public required ulong TimeNanos { get; init; }

    public required ulong InstructionLimit { get; init; }

    public byte[] Caller { get; set; } = [];

    public byte[]? Argument { get; init; }

    public string? MethodName { get; set; }

    public byte[]? Certificate { get; set; }

    public bool Replicated { get; set; } = true;

    public CallContextState? CallContext { get; init; }

    public int RejectCode { get; init; }

    public string? RejectMessage { get; init; }

    public UInt128 Refunded { get; init; }

    // Whether this execution may still reply (a call context that expects a response and is not yet answered).
    public bool CanRespond { get; set; }

    public List<byte> ReplyBuffer { get; } = [];

    public CanisterReply? Response { get; set; }

    public bool Accepted { get; set; }

    public CallUnderConstruction? PendingCall { get; set; }

    public List<(CallUnderConstruction Call, ulong CallbackId)> PerformedCalls { get; } = [];

    public ExecutionError? Error { get; set; }

    public ulong InstructionsBeforeThisExecution { get; init; }

    // Filled by the runner: the instance's memory, table and a fuel reader.
    public Wasmtime.Memory? Memory { get; set; }

    public bool Memory64 { get; set; }

    public Wasmtime.Store? Store { get; set; }
}
