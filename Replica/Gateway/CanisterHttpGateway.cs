using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.HttpCertification;
using InternetIdentity.Protocol.Principals;
using HttpRequest = InternetIdentity.Protocol.Http.HttpRequest;
using HttpResponse = InternetIdentity.Protocol.Http.HttpResponse;
using InternetIdentity.Replica.Node;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace InternetIdentity.Replica.Gateway;

/// <summary>
/// The HTTP gateway for browsers: a request that is not an IC API call is for the canister its host, <c>canisterId</c>
/// or Referer names (<see cref="CanisterResolution"/>). It is answered with the canister's <c>http_request</c>, verified
/// against the subnet's root key as a boundary node does (response verification v2, else v1; the certificate at most
/// 5 minutes old), unless the host is <c>&lt;id&gt;.raw.localhost</c>. A response that does not verify is never passed
/// on: the browser gets a 503 with the reason.
/// </summary>
internal sealed class CanisterHttpGateway(ReplicaNode node, TimeSpan updateTimeout)
{
    private const string CanisterIdHeader = "x-ic-canister-id";

    // Transport headers are the gateway's own; CORS is answered by the gateway's policy for every response alike.
    private static readonly string[] s_notPassedOn = ["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade"];

    private readonly CanisterHttpCalls _calls = new(node, updateTimeout);

    public async Task ServeAsync(HttpContext context)
    {
        CanisterResolution.Result resolved = CanisterResolution.Resolve(context.Request.Host.Host, context.Request.QueryString.Value,
            context.Request.Headers.Referer.ToString() is { Length: > 0 } referer ? referer : null);
        if (resolved.Target is not { } target)
        {
            await HttpGateway.Text(context, GatewayError.BadRequest(resolved.Error!)).ConfigureAwait(false);
            return;
        }

        Principal canister = target.CanisterId;
        context.Response.Headers[CanisterIdHeader] = canister.ToString();
        if (!node.HasCanister(canister))
        {
            await HttpGateway.Text(context, GatewayError.BadRequest($"Canister {canister} not found on subnet {node.Config.SubnetId}")).ConfigureAwait(false);
            return;
        }

        (GatewayError? tooLarge, byte[]? body) = await HttpGateway.ReadBoundedBodyAsync(context).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            await HttpGateway.Text(context, tooLarge).ConfigureAwait(false);
            return;
        }

        HttpRequest request = ToCanisterRequest(context, body!);
        CanisterHttpOutcome outcome = await _calls.RequestAsync(canister, request, context.RequestAborted).ConfigureAwait(false);
        if (outcome.Response is not { } response)
        {
            await HttpGateway.Text(context, outcome.Error!).ConfigureAwait(false);
            return;
        }

        IReadOnlyList<HttpHeaderField> headers = response.Headers;
        ReadOnlyMemory<byte> responseBody = response.Body;
        // Upgraded responses are the result of a certified update call; ic-gateway does not verify them either.
        if (target.Verify && !outcome.Upgraded)
        {
            HttpVerificationResult verified = HttpResponseVerifier.Verify(request, response, canister, node.NowNanos,
                HttpResponseVerifier.DefaultMaxCertificateTimeOffsetNanos, node.Config.RootKeyDer, (ushort)HttpResponseVerifier.MaxVerificationVersion);
            if (!verified.IsValid)
            {
                await HttpGateway.Text(context, new GatewayError(503, $"Response verification failed: {verified.Reason}")).ConfigureAwait(false);
                return;
            }

            // v1 certifies neither status nor headers, so a redirect could send the browser anywhere (ic-gateway refuses it too).
            if (verified.VerificationVersion == 1 && response.StatusCode is >= 300 and < 400)
            {
                await HttpGateway.Text(context, new GatewayError(503, "Response verification failed: response verification v1 does not allow redirects")).ConfigureAwait(false);
                return;
            }

            headers = verified.HeadersToPassOn(response);
        }

        context.Response.StatusCode = response.StatusCode;
        foreach (HttpHeaderField h in headers)
        {
            string name = h.Name.ToLowerInvariant();
            if (!s_notPassedOn.Contains(name) && !name.StartsWith("access-control-", StringComparison.Ordinal) && name != CanisterIdHeader)
            {
                context.Response.Headers.Append(h.Name, h.Value);
            }
        }

        context.Response.ContentLength = responseBody.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(responseBody, context.RequestAborted).ConfigureAwait(false);
        }
    }

    // The request as the canister sees it (http-gateway-protocol-spec): the path and query as sent, the headers but
    // x-request-id, "identity" always acceptable, and certificate_version 2 (the highest this gateway verifies).
    private static HttpRequest ToCanisterRequest(HttpContext context, byte[] body)
    {
        string url = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw[0] == '/'
            ? raw
            : context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
        var headers = new List<HttpHeaderField>();
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in context.Request.Headers)
        {
            if (string.Equals(name, "x-request-id", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (string? value in values)
            {
                string v = value ?? "";
                if (string.Equals(name, "accept-encoding", StringComparison.OrdinalIgnoreCase)
                    && !v.Split(',').Any(e => e.Trim().StartsWith("identity", StringComparison.OrdinalIgnoreCase)))
                {
                    v = v.Length == 0 ? "identity" : v + ", identity";
                }

                headers.Add(new HttpHeaderField(name, v));
            }
        }

        return new HttpRequest(context.Request.Method, url, headers, body, (ushort)HttpResponseVerifier.MaxVerificationVersion);
    }
}
