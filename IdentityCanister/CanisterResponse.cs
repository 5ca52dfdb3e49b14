namespace InternetIdentity.IdentityCanister;

/// <summary>
/// The answer to a call: a Candid reply, or a reject with an IC reject code (3 DESTINATION_INVALID for an unknown
/// method, 5 CANISTER_ERROR for a trap). (Stand-in for Protocol's canister contract until it lands.)
/// </summary>
internal sealed record CanisterResponse(byte[]? Reply, int RejectCode, string? RejectMessage)
{
    /// <summary>IC reject code of a trap.</summary>
    public const int CanisterError = 5;

    /// <summary>IC reject code of a missing method.</summary>
    public const int DestinationInvalid = 3;

    /// <summary>True for a reply.</summary>
    public bool IsReply => Reply is not null;

    /// <summary>A reply.</summary>
    public static CanisterResponse Replied(byte[] reply) => new(reply, 0, null);

    /// <summary>A reject.</summary>
    public static CanisterResponse Rejected(int code, string message) => new(null, code, message);
}
