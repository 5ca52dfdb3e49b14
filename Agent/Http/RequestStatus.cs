using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.Agent.Http;

/// <summary>The certified status of a call: <c>received</c>, <c>processing</c>, <c>replied</c>, <c>rejected</c>, <c>done</c>, or unknown.</summary>
/// <param name="Status">The status text (<c>unknown</c> when the certificate does not hold the request).</param>
/// <param name="Reply">The reply (replied only).</param>
/// <param name="RejectCode">The reject code (rejected only).</param>
/// <param name="RejectMessage">The reject message (rejected only).</param>
/// <param name="ErrorCode">The IC error code (rejected only, when given).</param>
public sealed record RequestStatus(string Status, byte[]? Reply = null, RejectCode RejectCode = default, string? RejectMessage = null, string? ErrorCode = null)
{
    /// <summary>Whether the call finished (replied, rejected or done).</summary>
    public bool IsFinal => Status is "replied" or "rejected" or "done";
}
