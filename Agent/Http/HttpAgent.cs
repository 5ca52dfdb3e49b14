using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Agent.Http;

/// <summary>
/// A client of the IC HTTP interface: signed calls (v3 synchronous, falling back to v2 and read_state polling), queries
/// with node-signature verification, and read_state with certificate verification against the root key. Ingress expiries
/// and certificate freshness use a clock synced to the network's certified <c>/time</c>.
/// </summary>
public sealed partial class HttpAgent : IDisposable
{
    private readonly AgentConnection _connection;

    /// <summary>Creates an agent; without a pinned root key the first request fetches it from <c>/api/v2/status</c>.</summary>
    public HttpAgent(HttpAgentOptions options)
        : this(new AgentConnection(options ?? throw new ArgumentNullException(nameof(options))), options.Identity)
    {
    }

    private HttpAgent(AgentConnection connection, IIdentity identity)
    {
        _connection = connection;
        Identity = identity ?? throw new ArgumentNullException(nameof(identity));
    }

    /// <summary>Creates an agent and fetches the root key (when not pinned) and the network's time.</summary>
    public static async Task<HttpAgent> CreateAsync(HttpAgentOptions options, CancellationToken cancellationToken = default)
    {
        var agent = new HttpAgent(options);
        await agent.GetRootKeyAsync(cancellationToken).ConfigureAwait(false);
        return agent;
    }

    /// <summary>The sender of this agent's requests.</summary>
    public IIdentity Identity { get; }

    /// <summary>The options the agent was made with.</summary>
    public HttpAgentOptions Options => _connection.Options;

    /// <summary>The clock synced to the network's time.</summary>
    public ReplicaClock Clock => _connection.Clock;

    /// <summary>The IC root key (DER) in use, once known.</summary>
    public byte[]? RootKey => _connection.RootKey;

    /// <summary>An agent for another identity sharing this one's HTTP client, root key, clock and node keys.</summary>
    public HttpAgent WithIdentity(IIdentity identity) => new(_connection, identity);

    /// <summary><c>GET /api/v2/status</c>.</summary>
    public async Task<StatusResponse> StatusAsync(CancellationToken cancellationToken = default)
    {
        const string path = "api/v2/status";
        using HttpResponseMessage response = await _connection.Http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        byte[] body = await ReadBody(response, path, cancellationToken).ConfigureAwait(false);
        return Decode(() => StatusResponse.Decode(body), path);
    }

    /// <summary>The root key: the pinned one, or the one <c>/api/v2/status</c> reports (fetched once).</summary>
    public async Task<byte[]> GetRootKeyAsync(CancellationToken cancellationToken = default)
    {
        if (_connection.RootKey is { } key)
        {
            return key;
        }

        StatusResponse status = await StatusAsync(cancellationToken).ConfigureAwait(false);
        if (status.RootKey is null || !CertificateVerifier.TryRawBlsKey(status.RootKey, out _))
        {
            throw new IcAgentException("/api/v2/status reports no BLS12-381 root key");
        }

        _connection.RootKey = status.RootKey;
        return status.RootKey;
    }

    /// <summary>
    /// Learns the network's time from a certified <c>/time</c> (read through <paramref name="canister"/>'s read_state,
    /// signature verified, freshness not checked) and adopts it.
    /// </summary>
    public async Task SyncTimeAsync(Principal canister, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canister);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                Certificate certificate = await ReadStateCoreAsync($"api/v2/canister/{canister}/read_state", [["time"u8.ToArray()]],
                    canister, null, checkTime: false, cancellationToken).ConfigureAwait(false);
                Clock.SyncTo(certificate.Time ?? throw new IcCertificateException("certificate has no /time"));
                return;
            }
            catch (IcHttpException e) when (attempt == 0 && TryReplicaNow(e.Body, out ulong now))
            {
                // Our clock is so far off that even this read was refused; the replica named its time.
                Clock.SyncTo(now);
            }
        }
    }

    /// <summary>Calls an update method and returns its certified Candid reply; throws <see cref="IcRejectException"/> when rejected.</summary>
    public Task<byte[]> CallAsync(Principal canister, string method, byte[] arg, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canister);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(arg);
        Principal effective = EffectiveCanisterId.Of(canister, method, arg);
        return WithTimeSync(effective, () => CallOnceAsync(canister, effective, method, arg, cancellationToken), cancellationToken);
    }

    /// <summary>Calls an update method with a Candid argument message (<see cref="CandidArgs"/>) and decodes the first reply value.</summary>
    public async Task<TResult> CallAsync<TResult>(Principal canister, string method, byte[] arg, CancellationToken cancellationToken = default) =>
        CandidArgs.Decode<TResult>(await CallAsync(canister, method, arg, cancellationToken).ConfigureAwait(false));

    /// <summary>Runs a query and returns its Candid reply after checking the node signatures; throws <see cref="IcRejectException"/> when rejected.</summary>
    public Task<byte[]> QueryAsync(Principal canister, string method, byte[] arg, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canister);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(arg);
        return WithTimeSync(canister, () => QueryOnceAsync(canister, method, arg, cancellationToken), cancellationToken);
    }

    /// <summary>Runs a query with a Candid argument message (<see cref="CandidArgs"/>) and decodes the first reply value.</summary>
    public async Task<TResult> QueryAsync<TResult>(Principal canister, string method, byte[] arg, CancellationToken cancellationToken = default) =>
        CandidArgs.Decode<TResult>(await QueryAsync(canister, method, arg, cancellationToken).ConfigureAwait(false));

    /// <summary>Reads state-tree paths through a canister's read_state; returns the certificate, verified (root key, canister ranges, freshness).</summary>
    public Task<Certificate> ReadStateAsync(Principal canister, IReadOnlyList<IReadOnlyList<byte[]>> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canister);
        ArgumentNullException.ThrowIfNull(paths);
        return WithTimeSync(canister, () => ReadStateCoreAsync($"api/v2/canister/{canister}/read_state", paths, canister, null, true, cancellationToken),
            cancellationToken);
    }

    /// <summary>Reads state-tree paths through a subnet's read_state; returns the certificate, verified for that subnet.</summary>
    public async Task<Certificate> ReadSubnetStateAsync(Principal subnet, IReadOnlyList<IReadOnlyList<byte[]>> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        ArgumentNullException.ThrowIfNull(paths);
        return await ReadStateCoreAsync($"api/v2/subnet/{subnet}/read_state", paths, null, subnet, true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The certified status of a call, read through the canister's read_state.</summary>
    public async Task<RequestStatus> RequestStatusAsync(Principal canister, RequestId requestId, CancellationToken cancellationToken = default)
    {
        Certificate certificate = await ReadStateAsync(canister, [["request_status"u8.ToArray(), requestId.Bytes.ToArray()]], cancellationToken)
            .ConfigureAwait(false);
        return StatusOf(certificate, requestId);
    }

    /// <summary>Signs <paramref name="content"/> with this agent's identity and encodes the envelope (for tools that post envelopes themselves).</summary>
    public byte[] SignEnvelope(RequestContent content) => Identity.CreateEnvelope(content).Encode();

    /// <summary>A call or query content from this agent's identity expiring <see cref="HttpAgentOptions.IngressExpiry"/> after the synced time.</summary>
    public RequestContent CreateContent(RequestType type, Principal canister, string method, byte[] arg, byte[]? nonce = null) =>
        RequestContent.Call(type, Identity.Principal, canister, method, arg, Expiry(), nonce);

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private async Task<T> WithTimeSync<T>(Principal canister, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        if (!Clock.IsSynced)
        {
            await GetRootKeyAsync(cancellationToken).ConfigureAwait(false);
            await SyncTimeAsync(canister, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IcCertificateException { IsTimeRelated: true } || (e is IcHttpException h && IsExpiryError(h)))
        {
            // The network's time moved since we last synced (tests that advance time do this): sync and try once more. A
            // replica that refused the expiry named the time it checks against: that, not the certified /time, which
            // lags behind it while the replicas catch up (a restart replaying its heights).
            if (e is IcHttpException refused && TryReplicaNow(refused.Body, out ulong now))
            {
                Clock.SyncTo(now);
            }
            else
            {
                await SyncTimeAsync(canister, cancellationToken).ConfigureAwait(false);
            }

            return await operation().ConfigureAwait(false);
        }
    }

    private static bool IsExpiryError(IcHttpException e) =>
        e.StatusCode == HttpStatusCode.BadRequest && e.Body.Contains("expiry", StringComparison.OrdinalIgnoreCase);

    private static bool TryReplicaNow(string body, out ulong now)
    {
        Match m = ReplicaNowPattern().Match(body);
        now = 0;
        return m.Success && ulong.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out now);
    }

    [GeneratedRegex(@"\(now (\d+) ns\)")]
    private static partial Regex ReplicaNowPattern();

    private ulong Expiry() => Clock.NowNanos + (ulong)Options.IngressExpiry.Ticks * 100;

    // The call goes to `target`; URLs, polling and certificate checks use its effective canister id (`canister`).
    private async Task<byte[]> CallOnceAsync(Principal target, Principal canister, string method, byte[] arg, CancellationToken cancellationToken)
    {
        RequestContent content = CreateContent(RequestType.Call, target, method, arg, RandomNumberGenerator.GetBytes(16));
        RequestId requestId = content.ComputeRequestId();
        byte[] envelope = SignEnvelope(content);
        string what = $"call {method} on {target} (request {requestId})";

        if (Options.UseSyncCall && _connection.SyncCallAvailable)
        {
            string v3 = $"api/v3/canister/{canister}/call";
            using HttpResponseMessage response = await Post(v3, envelope, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                _connection.SyncCallAvailable = false;
            }
            else if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return await PollAsync(canister, requestId, what, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                byte[] body = await ReadBody(response, v3, cancellationToken).ConfigureAwait(false);
                CallResponse answer = Decode(() => CallResponse.Decode(body), v3);
                if (!answer.IsCertified)
                {
                    throw new IcRejectException(answer.RejectCode, answer.RejectMessage ?? "", answer.ErrorCode, requestId.ToString());
                }

                Certificate certificate = Verify(DecodeCertificate(answer.Certificate!, v3), canister, null, checkTime: true);
                RequestStatus status = StatusOf(certificate, requestId);
                return status.IsFinal ? Result(status, requestId) : await PollAsync(canister, requestId, what, cancellationToken).ConfigureAwait(false);
            }
        }

        string v2 = $"api/v2/canister/{canister}/call";
        using (HttpResponseMessage response = await Post(v2, envelope, cancellationToken).ConfigureAwait(false))
        {
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                byte[] body = await ReadBody(response, v2, cancellationToken).ConfigureAwait(false);
                CallResponse answer = Decode(() => CallResponse.Decode(body), v2);
                if (!answer.IsCertified)
                {
                    throw new IcRejectException(answer.RejectCode, answer.RejectMessage ?? "", answer.ErrorCode, requestId.ToString());
                }
            }
        }

        return await PollAsync(canister, requestId, what, cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> PollAsync(Principal canister, RequestId requestId, string what, CancellationToken cancellationToken)
    {
        TimeProvider time = Options.Time;
        long started = time.GetTimestamp();
        TimeSpan delay = TimeSpan.FromMilliseconds(100);
        string last = "unknown";
        while (time.GetElapsedTime(started) < Options.CallTimeout)
        {
            RequestStatus status = await RequestStatusAsync(canister, requestId, cancellationToken).ConfigureAwait(false);
            if (status.IsFinal)
            {
                return Result(status, requestId);
            }

            last = status.Status;
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 2000));
        }

        throw new TimeoutException($"no certified reply to the {what} within {Options.CallTimeout.TotalSeconds:0.#} s; last status '{last}'");
    }

    private static byte[] Result(RequestStatus status, RequestId requestId) => status.Status switch
    {
        "replied" => status.Reply!,
        "rejected" => throw new IcRejectException(status.RejectCode, status.RejectMessage ?? "", status.ErrorCode, requestId.ToString()),
        _ => throw new IcAgentException($"request {requestId} is done: its reply was already pruned from the state"),
    };

    private static RequestStatus StatusOf(Certificate certificate, RequestId requestId)
    {
        byte[] id = requestId.Bytes.ToArray();
        LookupResult status = certificate.Lookup("request_status", id, "status");
        if (!status.IsFound)
        {
            return new RequestStatus("unknown");
        }

        string text = Encoding.UTF8.GetString(status.Value.Span);
        switch (text)
        {
            case "replied":
                LookupResult reply = certificate.Lookup("request_status", id, "reply");
                return reply.IsFound
                    ? new RequestStatus(text, reply.Value.ToArray())
                    : throw new IcCertificateException($"request {requestId} is replied but the certificate holds no reply");
            case "rejected":
                LookupResult code = certificate.Lookup("request_status", id, "reject_code");
                LookupResult message = certificate.Lookup("request_status", id, "reject_message");
                LookupResult errorCode = certificate.Lookup("request_status", id, "error_code");
                if (!code.IsFound || !message.IsFound || !Leb128.TryDecodeUnsigned(code.Value.Span, out ulong c))
                {
                    throw new IcCertificateException($"request {requestId} is rejected but the certificate lacks reject_code or reject_message");
                }

                return new RequestStatus(text, null, (RejectCode)c, Encoding.UTF8.GetString(message.Value.Span),
                    errorCode.IsFound ? Encoding.UTF8.GetString(errorCode.Value.Span) : null);
            default:
                return new RequestStatus(text);
        }
    }

    private async Task<byte[]> QueryOnceAsync(Principal canister, string method, byte[] arg, CancellationToken cancellationToken)
    {
        RequestContent content = CreateContent(RequestType.Query, canister, method, arg);
        RequestId requestId = content.ComputeRequestId();
        string path = $"api/v2/canister/{canister}/query";
        using HttpResponseMessage response = await Post(path, SignEnvelope(content), cancellationToken).ConfigureAwait(false);
        byte[] body = await ReadBody(response, path, cancellationToken).ConfigureAwait(false);
        QueryResponse answer = Decode(() => QueryResponse.Decode(body), path);
        if (Options.VerifyQuerySignatures)
        {
            await VerifyQuerySignaturesAsync(canister, answer, requestId, cancellationToken).ConfigureAwait(false);
        }

        return answer.Replied ? answer.Arg! : throw new IcRejectException(answer.RejectCode, answer.RejectMessage ?? "", answer.ErrorCode);
    }

    private async Task VerifyQuerySignaturesAsync(Principal canister, QueryResponse answer, RequestId requestId, CancellationToken cancellationToken)
    {
        if (answer.Signatures.Count == 0)
        {
            throw new IcCertificateException("the query response carries no node signature");
        }

        ulong now = Clock.NowNanos;
        ulong maxAge = (ulong)Options.MaxCertificateAge.Ticks * 100;
        foreach (NodeSignature signature in answer.Signatures)
        {
            ulong ts = signature.TimestampNanos;
            if ((ts < now && now - ts > maxAge) || (ts > now && ts - now > maxAge))
            {
                throw new IcCertificateException(
                    $"query signature timestamp {ts} ns of node {signature.Identity} is more than {Options.MaxCertificateAge.TotalSeconds:0} s from the network's time {now} ns",
                    isTimeRelated: true);
            }

            byte[] nodeKey = await NodeKeyAsync(canister, signature.Identity, cancellationToken).ConfigureAwait(false);
            VerificationResult valid = SignatureVerifier.Verify(nodeKey, answer.SignedMessage(ts, requestId), signature.Signature);
            if (!valid.IsValid)
            {
                throw new IcCertificateException($"query signature of node {signature.Identity} is invalid: {valid.Reason}");
            }
        }
    }

    // Node keys come from the canister's subnet: /subnet/<sid>/node/<nid>/public_key in a certified read of /subnet.
    private async Task<byte[]> NodeKeyAsync(Principal canister, Principal node, CancellationToken cancellationToken)
    {
        if (_connection.NodeKeys.TryGetValue(node, out byte[]? key))
        {
            return key;
        }

        Certificate certificate = await ReadStateAsync(canister, [["subnet"u8.ToArray()]], cancellationToken).ConfigureAwait(false);
        IEnumerable<Principal> subnets = certificate.Delegation is { } delegation
            ? [delegation.SubnetId]
            : Children(certificate.Tree.LookupSubtree("subnet")).Select(c => Principal.FromBytes(c.Label.Bytes));
        foreach (Principal subnet in subnets)
        {
            foreach ((Label nodeId, HashTree subtree) in Children(certificate.Tree.LookupSubtree("subnet", subnet, "node")))
            {
                LookupResult publicKey = subtree.LookupPath("public_key");
                if (publicKey.IsFound && Principal.TryFromBytes(nodeId.Bytes, out Principal id))
                {
                    _connection.NodeKeys[id] = publicKey.Value.ToArray();
                }
            }
        }

        return _connection.NodeKeys.TryGetValue(node, out key)
            ? key
            : throw new IcCertificateException($"node {node} that signed the query is not a node of canister {canister}'s subnet");
    }

    private static IReadOnlyList<(Label Label, HashTree Subtree)> Children(SubtreeLookupResult result) =>
        result.Status == LookupStatus.Found && result.Tree is not null ? result.Tree.Children() : [];

    private async Task<Certificate> ReadStateCoreAsync(string path, IReadOnlyList<IReadOnlyList<byte[]>> paths, Principal? canister, Principal? subnet,
        bool checkTime, CancellationToken cancellationToken)
    {
        await GetRootKeyAsync(cancellationToken).ConfigureAwait(false);
        RequestContent content = RequestContent.ReadState(Identity.Principal, paths, Expiry());
        using HttpResponseMessage response = await Post(path, SignEnvelope(content), cancellationToken).ConfigureAwait(false);
        byte[] body = await ReadBody(response, path, cancellationToken).ConfigureAwait(false);
        return Verify(DecodeCertificateOrResponse(body, path), canister, subnet, checkTime);
    }

    private Certificate Verify(Certificate certificate, Principal? canister, Principal? subnet, bool checkTime)
    {
        VerificationResult result = CertificateVerifier.Verify(certificate, new CertificateVerificationOptions
        {
            RootKey = _connection.RootKey ?? throw new InvalidOperationException("the root key is not known yet"),
            EffectiveCanisterId = canister,
            EffectiveSubnetId = subnet,
        });
        if (!result.IsValid)
        {
            throw new IcCertificateException("certificate verification failed: " + result.Reason);
        }

        if (checkTime)
        {
            VerificationResult fresh = CertificateVerifier.CheckTime(certificate, Clock.NowNanos, (ulong)Options.MaxCertificateAge.Ticks * 100);
            if (!fresh.IsValid)
            {
                throw new IcCertificateException("certificate is not fresh: " + fresh.Reason, isTimeRelated: true);
            }
        }

        return certificate;
    }

    private static Certificate DecodeCertificate(byte[] bytes, string path) => Decode(() => Certificate.Decode(bytes), path);

    private static Certificate DecodeCertificateOrResponse(byte[] bytes, string path) => Decode(() => Certificate.DecodeCertificateOrResponse(bytes), path);

    private static T Decode<T>(Func<T> decode, string path)
    {
        try
        {
            return decode();
        }
        catch (CborFormatException e)
        {
            throw new IcCertificateException($"malformed answer from {path}: {e.Message}", inner: e);
        }
    }

    private Task<HttpResponseMessage> Post(string path, byte[] body, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        return _connection.Http.PostAsync(path, content, cancellationToken);
    }

    private static async Task<byte[]> ReadBody(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK
            ? body
            : throw new IcHttpException(response.StatusCode, Encoding.UTF8.GetString(body).Trim(), "/" + path);
    }
}
