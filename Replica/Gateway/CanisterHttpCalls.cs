using System.Security.Cryptography;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Gateway;

/// <summary>The outcome of asking a canister for an HTTP response: the response, or the gateway's answer instead.</summary>
/// <param name="Response">The canister's response, its body complete.</param>
/// <param name="Error">What to answer instead.</param>
/// <param name="Upgraded">The response came from <c>http_request_update</c> (certified by consensus, so not verified again).</param>
internal readonly record struct CanisterHttpOutcome(HttpResponse? Response, GatewayError? Error, bool Upgraded = false);

/// <summary>
/// Calls a canister's HTTP interface as the HTTP gateway does: the <c>http_request</c> query (anonymous), then
/// <c>http_request_update</c> through consensus when the canister asks for an upgrade, then the streaming callback until
/// the body is complete (http-gateway-protocol-spec, "Overview" and "Response Body Streaming").
/// </summary>
internal sealed class CanisterHttpCalls(ReplicaNode node, TimeSpan updateTimeout)
{
    /// <summary>The largest body assembled from streamed chunks.</summary>
    public const int MaxStreamedBodyBytes = 64 * 1024 * 1024;

    /// <summary>The most streaming callbacks followed for one response.</summary>
    public const int MaxStreamedChunks = 10_000;

    // An upgraded call expires as agents' calls do (well inside the 5-minute window the replica accepts).
    private static readonly ulong s_updateExpiryNanos = 4UL * 60 * 1_000_000_000;

    public async Task<CanisterHttpOutcome> RequestAsync(Principal canister, HttpRequest request, CancellationToken cancellationToken)
    {
        CanisterReply? reply = await node.QueryAsync(Principal.Anonymous, canister, "http_request", CanisterHttpInterface.EncodeRequest(request),
            cancellationToken).ConfigureAwait(false);
        CanisterHttpOutcome outcome = Decode(reply, canister, "http_request");
        if (outcome.Response is not { } response)
        {
            return outcome;
        }

        bool upgraded = response.Upgrade == true;
        if (upgraded)
        {
            outcome = await UpdateAsync(canister, request.ToUpdateRequest(), cancellationToken).ConfigureAwait(false);
            if (outcome.Response is null)
            {
                return outcome;
            }

            response = outcome.Response;
        }

        outcome = response.StreamingStrategy is null ? outcome : await StreamAsync(canister, response, cancellationToken).ConfigureAwait(false);
        return outcome with { Upgraded = upgraded };
    }

    private async Task<CanisterHttpOutcome> UpdateAsync(Principal canister, HttpUpdateRequest request, CancellationToken cancellationToken)
    {
        // An anonymous call like any agent's, with a fresh nonce so that two equal requests are two calls.
        RequestContent content = RequestContent.Call(RequestType.Call, Principal.Anonymous, canister, "http_request_update",
            CanisterHttpInterface.EncodeUpdateRequest(request), node.NowNanos + s_updateExpiryNanos, RandomNumberGenerator.GetBytes(16));
        RequestId id = content.ComputeRequestId();
        await node.SubmitAsync(id, new Envelope(content).Encode(), content.IngressExpiry, cancellationToken).ConfigureAwait(false);
        if (await node.WaitForStatusAsync(id, updateTimeout, cancellationToken).ConfigureAwait(false) is null)
        {
            return new(null, new GatewayError(504, $"http_request_update of canister {canister} was not certified within {updateTimeout.TotalSeconds:0} s"));
        }

        RequestStatus? status = await node.StatusAsync(id, cancellationToken).ConfigureAwait(false);
        CanisterReply? reply = status switch
        {
            null => null,
            { Reply: { } bytes } => CanisterReply.Reply(bytes),
            _ => CanisterReply.Reject((RejectCode)status.RejectCode, status.RejectMessage ?? "", status.ErrorCode),
        };
        return Decode(reply, canister, "http_request_update");
    }

    private async Task<CanisterHttpOutcome> StreamAsync(Principal canister, HttpResponse first, CancellationToken cancellationToken)
    {
        HttpStreamingStrategy strategy = first.StreamingStrategy!;
        if (strategy.CallbackCanister != canister)
        {
            return new(null, GatewayError.BadGateway(
                $"Replica Error: the streaming callback of canister {canister} names another canister ({strategy.CallbackCanister})"));
        }

        using var body = new MemoryStream();
        body.Write(first.Body.Span);
        CandidValue? token = strategy.Token;
        for (int chunks = 0; token is not null; chunks++)
        {
            if (chunks >= MaxStreamedChunks)
            {
                return new(null, GatewayError.BadGateway($"Replica Error: canister {canister} streamed more than {MaxStreamedChunks} chunks"));
            }

            byte[] argument = CanisterHttpInterface.EncodeStreamingCallbackArgument(strategy.TokenType, token);
            CanisterReply? reply = await node.QueryAsync(Principal.Anonymous, canister, strategy.CallbackMethod, argument, cancellationToken).ConfigureAwait(false);
            if (reply is not CanisterReply.Replied replied)
            {
                return Decode(reply, canister, strategy.CallbackMethod);
            }

            StreamingCallbackHttpResponse? chunk;
            try
            {
                chunk = CanisterHttpInterface.DecodeStreamingCallbackResponse(replied.Candid.Span, strategy.TokenType);
            }
            catch (CandidFormatException e)
            {
                return new(null, GatewayError.BadGateway($"Replica Error: the streaming callback {strategy.CallbackMethod} of canister {canister} answered malformed Candid: {e.Message}"));
            }

            if (chunk is null)
            {
                break;
            }

            if (body.Length + chunk.Body.Length > MaxStreamedBodyBytes)
            {
                return new(null, new GatewayError(507, $"the response of canister {canister} is larger than {MaxStreamedBodyBytes} bytes"));
            }

            body.Write(chunk.Body.Span);
            token = chunk.Token;
        }

        return new(first with { Body = body.ToArray(), StreamingStrategy = null }, null);
    }

    private static CanisterHttpOutcome Decode(CanisterReply? reply, Principal canister, string method)
    {
        switch (reply)
        {
            case null:
                return new(null, new GatewayError(503, "the replica has no certified state yet"));
            // No such canister or method (IC0536, CanisterMethodNotFound): ic-gateway's 404.
            case CanisterReply.Rejected notServed when notServed.Code == RejectCode.DestinationInvalid || notServed.ErrorCode == "IC0536":
                return new(null, new GatewayError(404, $"Canister {canister} does not serve HTTP: {notServed.Message}"));
            case CanisterReply.Rejected r:
                return new(null, GatewayError.BadGateway($"Replica Error: reject code {(int)r.Code}, message {r.Message}"
                    + (r.ErrorCode is null ? "" : $", error code {r.ErrorCode}")));
            case CanisterReply.Replied replied:
                try
                {
                    return new(CanisterHttpInterface.DecodeResponse(replied.Candid.Span), null);
                }
                catch (CandidFormatException e)
                {
                    return new(null, GatewayError.BadGateway($"Replica Error: {method} of canister {canister} answered malformed Candid: {e.Message}"));
                }

            default:
                throw new InvalidOperationException("unknown canister reply " + reply.GetType().Name);
        }
    }
}
