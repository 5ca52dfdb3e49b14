using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.Replica.Execution;

/// <summary>An authenticated update call waiting for ordering: what execution needs, after the gateway checked the envelope.</summary>
/// <param name="Id">The request id.</param>
/// <param name="Sender">The caller.</param>
/// <param name="CanisterId">The called canister.</param>
/// <param name="MethodName">The update method.</param>
/// <param name="Arg">The Candid argument.</param>
/// <param name="ExpiryNanos">The ingress_expiry.</param>
/// <param name="Impersonated">
/// Whether it is an impersonated call (PocketIC's API, executed only by a subnet started with impersonation allowed): only
/// such calls reach the management canister's test-only methods.
/// </param>
public sealed record IngressMessage(RequestId Id, Principal Sender, Principal CanisterId, string MethodName, byte[] Arg, ulong ExpiryNanos,
    bool Impersonated = false);

/// <summary>A finalized batch: the messages of one height in order, with the block's time and randomness.</summary>
/// <param name="Height">The height (1, 2, ...).</param>
/// <param name="TimeNanos">The block time, nanoseconds since the epoch.</param>
/// <param name="Randomness">32 bytes of randomness, equal on every replica.</param>
/// <param name="Messages">The ingress messages in execution order.</param>
public sealed record Batch(ulong Height, ulong TimeNanos, byte[] Randomness, IReadOnlyList<IngressMessage> Messages);
