namespace InternetIdentity.Protocol.Canister;

/// <summary>The outcome of a call: Candid reply bytes, or a reject.</summary>
public abstract record CanisterReply
{
    private protected CanisterReply()
    {
    }

    /// <summary>A reply with the Candid-encoded result.</summary>
    public static CanisterReply Reply(ReadOnlyMemory<byte> candid) => new Replied(candid);

    /// <summary>A reject with a code and message (and optionally an IC error code such as <c>IC0503</c>).</summary>
    public static CanisterReply Reject(RejectCode code, string message, string? errorCode = null) => new Rejected(code, message, errorCode);

    /// <summary>A trap: reject code 5 (CANISTER_ERROR); the canister's state is as before the call.</summary>
    public static CanisterReply Trap(string message) =>
        new Rejected(RejectCode.CanisterError, "Canister called `ic0.trap` with message: '" + message + "'", "IC0503");

    /// <summary>
    /// A call to a method the canister does not export, as the IC answers it: error IC0536 (CanisterMethodNotFound),
    /// reject code 5 (CANISTER_ERROR), "Canister &lt;id&gt; has no update|query method '&lt;name&gt;'".
    /// </summary>
    public static CanisterReply NoSuchMethod(string method, bool query, Principals.Principal? canister = null) =>
        new Rejected(RejectCode.CanisterError, NoSuchMethodMessage(method, query, canister), "IC0536");

    /// <summary>The IC's text for a method a canister does not export (the canister's id when known).</summary>
    public static string NoSuchMethodMessage(string method, bool query, Principals.Principal? canister = null) =>
        $"Canister {(canister is null ? "" : canister + " ")}has no {(query ? "query" : "update")} method '{method}'";

    /// <summary>A reply.</summary>
    /// <param name="Candid">The Candid-encoded result.</param>
    public sealed record Replied(ReadOnlyMemory<byte> Candid) : CanisterReply;

    /// <summary>A reject.</summary>
    /// <param name="Code">The reject code.</param>
    /// <param name="Message">The reject message.</param>
    /// <param name="ErrorCode">The IC error code, when known.</param>
    public sealed record Rejected(RejectCode Code, string Message, string? ErrorCode) : CanisterReply;
}
