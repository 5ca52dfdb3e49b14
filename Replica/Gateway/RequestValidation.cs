using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Replica.Execution;

namespace InternetIdentity.Replica.Gateway;

/// <summary>
/// The gateway's checks on an envelope before anything runs: well-formed CBOR of the endpoint's request type, the
/// canister of the URL, ingress expiry inside the window, and authentication (signature, sender, delegations).
/// </summary>
public static class RequestValidation
{
    /// <summary>Decodes an envelope and checks its request type.</summary>
    public static GatewayError? TryDecode(ReadOnlyMemory<byte> body, RequestType expected, out Envelope? envelope)
    {
        envelope = null;
        try
        {
            envelope = Envelope.Decode(body);
        }
        catch (CborFormatException e)
        {
            return GatewayError.BadRequest("Could not parse body as " + Name(expected) + " message: " + e.Message);
        }

        if (envelope.Content.RequestType != expected)
        {
            var found = envelope.Content.RequestType;
            envelope = null;
            return GatewayError.BadRequest($"Could not parse body as {Name(expected)} message: request_type is \"{Name(found)}\", this endpoint takes \"{Name(expected)}\"");
        }

        return null;
    }

    /// <summary>
    /// Checks the URL's canister against the content's: calls and queries go to the canister they name, except a call to
    /// the management canister, whose effective canister is the <c>canister_id</c> of its argument (as on the IC).
    /// </summary>
    public static GatewayError? CheckEffectiveCanister(RequestContent content, Principal effectiveCanisterId)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(effectiveCanisterId);
        if (content.CanisterId == Principal.ManagementCanister && content.RequestType is RequestType.Call or RequestType.Query)
        {
            if (!ManagementCanister.TryGetEffectiveCanister(content.MethodName ?? "", content.Arg ?? [], out Principal? target, out string? error,
                query: content.RequestType == RequestType.Query))
            {
                return GatewayError.BadRequest(error!);
            }

            return target is null || target == effectiveCanisterId
                ? null
                : GatewayError.BadRequest($"Specified CanisterId {target} (the canister_id of the management call) does not match effective canister id in URL {effectiveCanisterId}");
        }

        return content.CanisterId == effectiveCanisterId
            ? null
            : GatewayError.BadRequest($"Specified CanisterId {content.CanisterId} does not match effective canister id in URL {effectiveCanisterId}");
    }

    /// <summary>Whether the content is a call to the management canister's <c>provisional_create_canister_with_cycles</c>.</summary>
    public static bool IsProvisionalCreate(RequestContent content) =>
        content is { RequestType: RequestType.Call, MethodName: ManagementCanister.ProvisionalCreate } && content.CanisterId == Principal.ManagementCanister;

    /// <summary>
    /// Checks expiry (unless <paramref name="checkExpiry"/> is false) and authentication at <paramref name="nowNanos"/>; valid
    /// signatures are recorded in <paramref name="signatures"/>.
    /// </summary>
    public static GatewayError? CheckAuthentication(Envelope envelope, ulong nowNanos, ReadOnlyMemory<byte> rootKey, Principal? effectiveCanisterId,
        RequestId? requestId = null, ISignatureCache? signatures = null, bool checkExpiry = true)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        VerificationResult expiry = checkExpiry
            ? EnvelopeVerifier.CheckIngressExpiry(envelope.Content, nowNanos, IngressLimits.MaxExpiryAheadNanos)
            : VerificationResult.Valid;
        if (!expiry.IsValid)
        {
            return GatewayError.BadRequest("Invalid request expiry: " + expiry.Reason);
        }

        VerificationResult auth = EnvelopeVerifier.Verify(envelope, nowNanos, rootKey, effectiveCanisterId, requestId, signatures);
        return auth.IsValid ? null : GatewayError.BadRequest("Invalid signature: " + auth.Reason);
    }

    /// <summary>
    /// The gateway's checks on a call, applied to one a peer gossiped (its envelope bytes, labelled with an expiry): at
    /// most 2 MiB, an envelope of a call, the label's expiry the envelope's own, ingress expiry inside the window at
    /// <paramref name="nowNanos"/>, and authentication for the canister the call names. Null when valid; valid
    /// signatures are recorded in <paramref name="signatures"/>, so execution does not check them again.
    /// </summary>
    public static GatewayError? CheckGossipedCall(byte[] envelopeBytes, long labelledExpiryMs, ulong nowNanos, ReadOnlyMemory<byte> rootKey,
        ISignatureCache? signatures = null)
    {
        ArgumentNullException.ThrowIfNull(envelopeBytes);
        if (envelopeBytes.Length > IngressLimits.MaxRequestBodyBytes)
        {
            return BodyTooLarge(envelopeBytes.Length);
        }

        if (TryDecode(envelopeBytes, RequestType.Call, out Envelope? envelope) is { } malformed)
        {
            return malformed;
        }

        RequestContent content = envelope!.Content;
        if (BlockBatches.ToIngress(envelopeBytes, content.IngressExpiry).ExpiryMs != labelledExpiryMs)
        {
            return GatewayError.BadRequest($"the call is labelled with expiry {labelledExpiryMs} ms, its envelope says {content.IngressExpiry} ns");
        }

        return CheckAuthentication(envelope, nowNanos, rootKey, content.CanisterId, content.ComputeRequestId(), signatures);
    }

    /// <summary>The 413 for a request body of at least <paramref name="length"/> bytes.</summary>
    public static GatewayError BodyTooLarge(long length) =>
        GatewayError.TooLarge($"Request body is {length} bytes or more; at most {IngressLimits.MaxRequestBodyBytes} bytes (2 MiB) are allowed");

    /// <summary>
    /// Whether a read_state asks only for <c>/time</c>. A local network answers such a read whatever its ingress_expiry, so an
    /// agent whose clock is off (the network's time was moved) can learn the network's time and sync (agent-js
    /// <c>syncTime</c>); the time is no secret, and the envelope is still authenticated.
    /// </summary>
    public static bool AsksOnlyForTime(RequestContent content) =>
        content.Paths is { Count: > 0 } paths && paths.All(p => p.Count == 1 && p[0].AsSpan().SequenceEqual("time"u8));

    /// <summary>Parses a principal from the URL.</summary>
    public static GatewayError? TryParsePrincipal(string text, string what, out Principal? principal) =>
        Principal.TryParse(text, out principal, out string? error) ? null : GatewayError.BadRequest($"Invalid {what} '{text}' in URL: {error}");

    private static string Name(RequestType t) => t switch
    {
        RequestType.Call => "call",
        RequestType.Query => "query",
        _ => "read_state",
    };
}
