using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.SubnetLoad;

/// <summary>The outcome of one update call: the reply (or reject) read from its certificate, and the certificate.</summary>
internal sealed record UpdateOutcome(RequestId RequestId, byte[]? Reply, string? Reject, Certificate Certificate);

/// <summary>
/// The IC HTTP interface from the client side, as an agent uses it: synchronous calls (<c>/api/v3/.../call</c>), signed
/// queries (<c>/api/v2/.../query</c>) and the status endpoint, with plain <see cref="HttpClient"/>.
/// </summary>
internal sealed class IcHttpClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Cbor = new("application/cbor");
    private static readonly ulong ExpiryAheadNanos = 4UL * 60 * 1_000_000_000;
    private readonly HttpClient _http;

    public IcHttpClient(Uri baseUrl)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        _http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The root key from <c>/api/v2/status</c>.</summary>
    public async Task<StatusResponse> StatusAsync(CancellationToken ct)
    {
        byte[] body = await _http.GetByteArrayAsync("api/v2/status", ct).ConfigureAwait(false);
        return StatusResponse.Decode(body);
    }

    private static ulong Expiry() => (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100 + ExpiryAheadNanos;

    /// <summary>
    /// A synchronous update call; throws <see cref="LoadException"/> unless the replica answers with a certificate.
    /// <paramref name="effectiveCanisterId"/> is the canister in the URL when it is not <paramref name="canister"/> (the
    /// target of a management call).
    /// </summary>
    public async Task<UpdateOutcome> CallAsync(Ed25519Sender sender, Principal canister, string method, byte[] arg, CancellationToken ct,
        Principal? effectiveCanisterId = null)
    {
        RequestContent content = RequestContent.Call(RequestType.Call, sender.Principal, canister, method, arg, Expiry(), RandomNumberGenerator.GetBytes(8));
        RequestId id = content.ComputeRequestId();
        (HttpStatusCode code, byte[] body) = await PostAsync($"api/v3/canister/{effectiveCanisterId ?? canister}/call", sender.Sign(content), ct).ConfigureAwait(false);
        if (code == HttpStatusCode.Accepted)
        {
            throw new LoadException($"{method}: the replica answered 202 (no certificate within its synchronous timeout)");
        }

        if (code != HttpStatusCode.OK)
        {
            throw new LoadException($"{method}: HTTP {(int)code}: {System.Text.Encoding.UTF8.GetString(body).Trim()}");
        }

        CallResponse response = CallResponse.Decode(body);
        if (!response.IsCertified)
        {
            throw new LoadException($"{method}: rejected before execution ({response.RejectCode}): {response.RejectMessage}");
        }

        Certificate certificate = Certificate.Decode(response.Certificate!);
        LookupResult status = certificate.Lookup("request_status", id.Bytes.ToArray(), "status");
        if (!status.IsFound)
        {
            throw new LoadException($"{method}: the certificate has no request_status for {Convert.ToHexStringLower(id.Bytes)} ({status.Status})");
        }

        string text = System.Text.Encoding.UTF8.GetString(status.Value.Span);
        if (text == "replied")
        {
            return new UpdateOutcome(id, certificate.Lookup("request_status", id.Bytes.ToArray(), "reply").Value.ToArray(), null, certificate);
        }

        string reject = System.Text.Encoding.UTF8.GetString(certificate.Lookup("request_status", id.Bytes.ToArray(), "reject_message").Value.Span);
        return new UpdateOutcome(id, null, $"{text}: {reject}", certificate);
    }

    /// <summary>A signed query; returns the reply's Candid or throws <see cref="LoadException"/>.</summary>
    public async Task<byte[]> QueryAsync(Ed25519Sender sender, Principal canister, string method, byte[] arg, CancellationToken ct)
    {
        RequestContent content = RequestContent.Call(RequestType.Query, sender.Principal, canister, method, arg, Expiry(), RandomNumberGenerator.GetBytes(8));
        (HttpStatusCode code, byte[] body) = await PostAsync($"api/v2/canister/{canister}/query", sender.Sign(content), ct).ConfigureAwait(false);
        if (code != HttpStatusCode.OK)
        {
            throw new LoadException($"{method}: HTTP {(int)code}: {System.Text.Encoding.UTF8.GetString(body).Trim()}");
        }

        QueryResponse response = QueryResponse.Decode(body);
        if (!response.Replied)
        {
            throw new LoadException($"{method}: rejected ({response.RejectCode}): {response.RejectMessage}");
        }

        if (response.Signatures.Count == 0)
        {
            throw new LoadException($"{method}: the query reply carries no node signature");
        }

        return response.Arg!;
    }

    /// <summary>Checks a certificate as an agent does: the subnet's BLS signature under the root key, for this canister.</summary>
    public static void Verify(Certificate certificate, byte[] rootKey, Principal canister)
    {
        var result = CertificateVerifier.Verify(certificate, new CertificateVerificationOptions
        {
            RootKey = rootKey,
            EffectiveCanisterId = canister,
            NowNanos = (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100,
        });
        if (!result.IsValid)
        {
            throw new LoadException("certificate does not verify: " + result.Reason);
        }
    }

    private async Task<(HttpStatusCode, byte[])> PostAsync(string path, byte[] envelope, CancellationToken ct)
    {
        using var body = new ByteArrayContent(envelope);
        body.Headers.ContentType = Cbor;
        using HttpResponseMessage response = await _http.PostAsync(path, body, ct).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false));
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A load run that cannot go on: the subnet answered something other than what the IC interface promises.</summary>
internal sealed class LoadException(string message) : Exception(message);
