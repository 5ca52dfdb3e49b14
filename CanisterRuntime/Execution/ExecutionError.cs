using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.CanisterRuntime.Execution;

/// <summary>
/// Why a message execution failed, as the IC's hypervisor words it: an IC error code, the description, and the help
/// line the IC appends. Every failure rolls the message back and becomes a reject with code 5 (CANISTER_ERROR).
/// </summary>
/// <param name="ErrorCode">The IC error code, e.g. <c>IC0503</c>.</param>
/// <param name="Description">The description, e.g. "Canister called `ic0.trap` with message: 'x'".</param>
/// <param name="Help">The suggestion and documentation link the IC appends, or empty.</param>
public sealed record ExecutionError(string ErrorCode, string Description, string Help)
{
    private const string DocBase = "https://internetcomputer.org/docs/current/references/execution-errors#";
    private const string GracefulHandling = "Consider gracefully handling failures from this canister or altering the canister to handle exceptions.";

    /// <summary>The canister called <c>ic0.trap</c> (IC0503).</summary>
    public static ExecutionError CalledTrap(string message) =>
        new("IC0503", $"Canister called `ic0.trap` with message: '{message}'", HelpText(GracefulHandling, "trapped-explicitly"));

    /// <summary>The Wasm code trapped, e.g. "unreachable" or "heap out of bounds" (IC0502).</summary>
    public static ExecutionError Trapped(string trap) =>
        new("IC0502", "Canister trapped: " + trap, HelpText(GracefulHandling, "trapped"));

    /// <summary>The message ran out of instructions (IC0522).</summary>
    public static ExecutionError InstructionLimitExceeded(ulong limit) =>
        new("IC0522", $"Canister exceeded the limit of {limit} instructions for single message execution.",
            HelpText("Try optimizing this method to consume fewer instructions or split the work across multiple messages.", "instruction-limit-exceeded"));

    /// <summary>A System API function was called where the spec forbids it (IC0504).</summary>
    public static ExecutionError WrongMode(string function, string mode) =>
        new("IC0504", $"Canister violated contract: \"ic0_{function}\" cannot be executed in {mode} mode",
            HelpText("Check the ICP documentation to make sure APIs are being called in the correct message types.", "calling-a-system-api-from-the-wrong-mode"));

    /// <summary>A System API function was misused in a way a canister toolchain should prevent (IC0504).</summary>
    public static ExecutionError ContractViolation(string error) =>
        new("IC0504", "Canister violated contract: " + error,
            "This is likely an error with the compiler/CDK toolchain being used to build the canister. Please report the error to IC devs on the forum: https://forum.dfinity.org and include which language/CDK was used to create the canister.");

    /// <summary>The message finished without replying and left no calls outstanding (IC0506).</summary>
    public static ExecutionError DidNotReply() =>
        new("IC0506", "Canister did not produce a response", "");

    /// <summary>The canister could not grow its memory (IC0501).</summary>
    public static ExecutionError OutOfMemory() =>
        new("IC0501", "Canister cannot grow its memory usage.",
            HelpText("Check the canister's memory usage against its allocation and the system wide limits to determine why more memory cannot be allocated.", "out-of-memory"));

    /// <summary>The IC's reject text: "Error from Canister &lt;id&gt;: &lt;description&gt;.\n&lt;help&gt;".</summary>
    public string Message(string canisterId) =>
        Help.Length == 0 ? $"Error from Canister {canisterId}: {Description}" : $"Error from Canister {canisterId}: {Description}.\n{Help}";

    /// <summary>The reject (code 5) that answers the caller.</summary>
    public CanisterReply ToReply(string canisterId) => CanisterReply.Reject(RejectCode.CanisterError, Message(canisterId), ErrorCode);

    private static string HelpText(string suggestion, string anchor) => $"{suggestion} See documentation: {DocBase}{anchor}";
}

/// <summary>Thrown by a System API function to trap the running message; carries the IC's error.</summary>
internal sealed class CanisterTrapException(ExecutionError error) : Exception(error.Description)
{
    public ExecutionError Error { get; } = error;
}
