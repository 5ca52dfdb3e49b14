using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Protocol.Envelopes;

/// <summary>
/// Authenticates a request envelope as the replica does: anonymous requests carry no key, signature or delegation; others
/// carry a key whose self-authenticating id is the sender, a valid delegation chain, and a signature on
/// <c>\x0Aic-request</c> || request id by the chain's last key.
/// </summary>
public static class EnvelopeVerifier
{
    /// <summary>
    /// Verifies the envelope's authentication at <paramref name="nowNanos"/>. <paramref name="effectiveCanisterId"/> is
    /// the canister that delegation targets must include (defaults to the content's canister_id). Canister signatures
    /// need <paramref name="rootKey"/>. <paramref name="requestId"/> is the content's request id if the caller computed
    /// it already (it is computed otherwise).
    /// </summary>
    public static VerificationResult Verify(Envelope envelope, ulong nowNanos, ReadOnlyMemory<byte> rootKey = default, Principal? effectiveCanisterId = null,
        RequestId? requestId = null) =>
        Verify(envelope, nowNanos, rootKey, effectiveCanisterId, requestId, null);

    /// <summary>
    /// Like <see cref="Verify(Envelope, ulong, ReadOnlyMemory{byte}, Principal?, RequestId?)"/>, taking signatures that
    /// <paramref name="cache"/> found valid before as valid and recording the ones it finds valid; everything that depends
    /// on the time or the request is checked every time.
    /// </summary>
    public static VerificationResult Verify(Envelope envelope, ulong nowNanos, ReadOnlyMemory<byte> rootKey, Principal? effectiveCanisterId,
        RequestId? requestId, ISignatureCache? cache)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        RequestContent content = envelope.Content;
        if (content.Sender.IsAnonymous)
        {
            return envelope.SenderPublicKey is null && envelope.SenderSignature is null && envelope.SenderDelegation is null
                ? VerificationResult.Valid
                : VerificationResult.Invalid("an anonymous request must not carry sender_pubkey, sender_sig or sender_delegation");
        }

        if (envelope.SenderPublicKey is null || envelope.SenderSignature is null)
        {
            return VerificationResult.Invalid($"request from {content.Sender} needs sender_pubkey and sender_sig");
        }

        if (Principal.SelfAuthenticating(envelope.SenderPublicKey) != content.Sender)
        {
            return VerificationResult.Invalid($"sender {content.Sender} is not the self-authenticating id of sender_pubkey");
        }

        VerificationResult chain = DelegationChainVerifier.Verify(
            envelope.SenderPublicKey, envelope.SenderDelegation ?? [], nowNanos, effectiveCanisterId ?? content.CanisterId, rootKey, cache, out byte[] key);
        if (!chain.IsValid)
        {
            return chain;
        }

        RequestId id = requestId ?? content.ComputeRequestId();
        VerificationResult sig = SignatureVerifier.Verify(key, id.SignedMessage(), envelope.SenderSignature, rootKey, cache);
        return sig.IsValid ? sig : VerificationResult.Invalid($"sender_sig on request {id}: {sig.Reason}");
    }

    /// <summary>
    /// Checks ingress_expiry against the time: not in the past, and at most <paramref name="maxFutureNanos"/> ahead
    /// (the IC allows 5 minutes plus a small drift).
    /// </summary>
    public static VerificationResult CheckIngressExpiry(RequestContent content, ulong nowNanos, ulong maxFutureNanos = 330UL * 1_000_000_000)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.IngressExpiry < nowNanos)
        {
            return VerificationResult.Invalid($"ingress_expiry {content.IngressExpiry} ns is in the past (now {nowNanos} ns)");
        }

        return content.IngressExpiry - nowNanos > maxFutureNanos
            ? VerificationResult.Invalid($"ingress_expiry {content.IngressExpiry} ns is too far in the future (now {nowNanos} ns)")
            : VerificationResult.Valid;
    }
}
