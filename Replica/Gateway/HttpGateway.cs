using System.Buffers;
using System.Net;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using System.Diagnostics;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Metrics;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Replica.Gateway;

/// <summary>
/// The IC HTTP interface of one replica on Kestrel: status, call (v2 asynchronous; v3 and v4 synchronous), query
/// (v2, v3) and read_state (canister and subnet, v2 and v3), on every host name. Every other request is a browser's,
/// for a canister's <c>http_request</c> (<see cref="CanisterHttpGateway"/>). Every refused request gets a 4xx and a
/// readable reason.
/// </summary>
public sealed class HttpGateway : IAsyncDisposable
{
    private const string Cbor = "application/cbor";
    private readonly WebApplication _app;
    private readonly ReplicaNode _node;
    private readonly TimeSpan _syncCallTimeout;
    private readonly CanisterHttpGateway _canisterHttp;

    // Queries' own record of verified signatures, apart from the calls' (queries would crowd those out): an agent sends the
    // same query again with the same signature (agent-js queries carry no nonce and round ingress_expiry to the minute), and
    // a session's delegation chain signs every query of the session, so each (key, message, signature) is verified once.
    private readonly SignatureCache _querySignatures = new(QuerySignatureCapacity);

    /// <summary>How many verified query signatures each gateway remembers.</summary>
    public const int QuerySignatureCapacity = 16_384;

    private HttpGateway(WebApplication app, ReplicaNode node, TimeSpan syncCallTimeout)
    {
        _app = app;
        _node = node;
        _syncCallTimeout = syncCallTimeout;
        _canisterHttp = new CanisterHttpGateway(node, syncCallTimeout);
    }

    /// <summary>The base URL the gateway listens on (with the actual port when 0 was asked for).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>
    /// Starts serving a replica on an address and port (0 picks a free port), with the test API under <c>/_/</c> when
    /// <paramref name="testApi"/> is given, and its metrics (<c>/_/metrics</c>, <c>/_/replicas</c> listing
    /// <paramref name="replicaUrls"/>, by default genesis's, and <c>/_/dashboard</c>) always.
    /// </summary>
    public static async Task<HttpGateway> StartAsync(ReplicaNode node, IPAddress address, int port, TimeSpan? syncCallTimeout = null,
        ILoggerProvider? logging = null, CancellationToken cancellationToken = default, TestApi? testApi = null,
        Func<IReadOnlyList<Uri>>? replicaUrls = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(address);
        // An empty builder: no appsettings.json or environment configuration from the working directory (a dapp
        // project's own settings must not reconfigure the replica) and no file watchers (the working directory holds the
        // replicas' databases; watching it cost ~5% CPU under load).
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRoutingCore();
        if (logging is not null)
        {
            builder.Logging.AddProvider(logging);
        }

        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, port);
            k.Limits.MaxRequestBodySize = null; // enforced by the gateway, to answer with the IC's reason
            k.AddServerHeader = false;
        });
        // The gateway is a component of a replica: the process that hosts it decides what Ctrl-C and SIGTERM do.
        builder.Services.AddSingleton<IHostLifetime, HostOwnedLifetime>();
        // Browser dapps (another origin, e.g. a dev server on localhost:5173) call the interface as they call the IC's
        // boundary nodes, and fetch canisters' pages as through ic-gateway: any origin, the methods and exposed headers
        // ic-gateway allows.
        builder.Services.AddCors();
        WebApplication app = builder.Build();
        app.UseCors(cors => cors.AllowAnyOrigin().WithMethods("HEAD", "GET", "POST", "PUT", "DELETE", "PATCH").AllowAnyHeader()
            .WithExposedHeaders("accept-ranges", "content-length", "content-range", "x-request-id", "x-ic-canister-id")
            .SetPreflightMaxAge(TimeSpan.FromDays(1)));
        var gateway = new HttpGateway(app, node, syncCallTimeout ?? TimeSpan.FromSeconds(10));
        gateway.MapRoutes(testApi);
        IReadOnlyList<Uri> genesisUrls = MetricsEndpoints.GenesisUrls(node.Config);
        MetricsEndpoints.Map(app, node.Metrics, node.Config.NodeIndex, replicaUrls ?? (() => genesisUrls));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        gateway.Url = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return gateway;
    }

    private void MapRoutes(TestApi? testApi)
    {
        TestApi.Map(_app, testApi, _node);
        _app.MapGet("/api/v2/status", Status);
        // RequestDelegates, not handlers with a bound "id" parameter: those make ASP.NET compile an expression tree per
        // route at every gateway start (a share of a warm LocalNetwork start's CPU).
        _app.MapPost("/api/v2/canister/{id}/call", c => Call(c, RouteId(c), synchronous: false));
        _app.MapPost("/api/v3/canister/{id}/call", c => Call(c, RouteId(c), synchronous: true));
        _app.MapPost("/api/v4/canister/{id}/call", c => Call(c, RouteId(c), synchronous: true));
        _app.MapPost("/api/v2/canister/{id}/query", c => Query(c, RouteId(c)));
        _app.MapPost("/api/v3/canister/{id}/query", c => Query(c, RouteId(c)));
        _app.MapPost("/api/v2/canister/{id}/read_state", c => ReadState(c, RouteId(c), subnet: false));
        _app.MapPost("/api/v3/canister/{id}/read_state", c => ReadState(c, RouteId(c), subnet: false));
        _app.MapPost("/api/v2/subnet/{id}/read_state", c => ReadState(c, RouteId(c), subnet: true));
        _app.MapPost("/api/v3/subnet/{id}/read_state", c => ReadState(c, RouteId(c), subnet: true));
        // "{**path}": the default fallback pattern leaves out paths that look like files (app.js, favicon.ico).
        _app.MapFallback("{**path}", (HttpContext c) => c.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) || TestApi.IsTestApiPath(c.Request.Path)
            ? Text(c, 404, $"no such endpoint: {c.Request.Method} {c.Request.Path}")
            : _canisterHttp.ServeAsync(c));
    }

    private static string RouteId(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    private Task Status(HttpContext context)
    {
        CertifiedState? latest = _node.Latest;
        (string health, string? reason) = _node.Health;
        return Bytes(context, 200, GatewayResponses.Status(_node.Config.RootKeyDer, health, latest?.Height ?? 0, reason));
    }

    private async Task Call(HttpContext context, string id, bool synchronous)
    {
        (Envelope? envelope, Principal? canister, RequestId requestId, GatewayError? error) = await ReadCanisterRequest(context, id, RequestType.Call).ConfigureAwait(false);
        if (error is not null)
        {
            await Text(context, error).ConfigureAwait(false);
            return;
        }

        RequestContent content = envelope!.Content;
        if (CheckUpdateMethod(content.CanisterId!, content.MethodName!) is { } noSuchMethod)
        {
            await Text(context, noSuchMethod).ConfigureAwait(false);
            return;
        }

        // The IC runs canister_inspect_message before a call enters the pool; a refusal is answered at once.
        if (await _node.InspectMessageAsync(content.Sender, content.CanisterId!, content.MethodName!, content.Arg!, context.RequestAborted).ConfigureAwait(false)
            is CanisterReply.Rejected refused)
        {
            await Bytes(context, 200, CallResponse.Rejection(refused.Code, refused.Message, refused.ErrorCode).Encode(withStatus: synchronous)).ConfigureAwait(false);
            return;
        }

        // Consensus orders the whole signed envelope, so that every replica re-checks it at the block's time.
        await _node.SubmitAsync(requestId, envelope.Encode(), content.IngressExpiry, context.RequestAborted).ConfigureAwait(false);
        if (!synchronous)
        {
            context.Response.StatusCode = 202;
            return;
        }

        CertifiedState? certified = await _node.WaitForStatusAsync(requestId, _syncCallTimeout, context.RequestAborted).ConfigureAwait(false);
        if (certified is null)
        {
            context.Response.StatusCode = 202; // timed out: the agent polls read_state
            return;
        }

        byte[] certificate = certified.CertificateFor([new Label[] { "request_status", requestId.Bytes.ToArray() }]).Encode();
        await Bytes(context, 200, CallResponse.Certified(certificate).Encode()).ConfigureAwait(false);
    }

    private async Task Query(HttpContext context, string id)
    {
        long start = Stopwatch.GetTimestamp();
        (Envelope? envelope, Principal? canister, RequestId requestId, GatewayError? error) = await ReadCanisterRequest(context, id, RequestType.Query).ConfigureAwait(false);
        if (error is not null)
        {
            await Text(context, error).ConfigureAwait(false);
            return;
        }

        // A replica that knows its certified state is stale (or that it stopped) says so rather than answer from it.
        if (_node.Health is ("certified_state_behind", string why))
        {
            await Text(context, 503, "the replica's state is not current, so it answers no queries: " + why).ConfigureAwait(false);
            return;
        }

        RequestContent content = envelope!.Content;
        CanisterReply? reply = content.CanisterId == Principal.ManagementCanister
            ? await _node.QueryAsync(content.Sender, Principal.ManagementCanister, content.MethodName!, content.Arg!, context.RequestAborted).ConfigureAwait(false)
            : AcceptsQuery(canister!, content.MethodName!)
            ? await _node.QueryAsync(content.Sender, canister!, content.MethodName!, content.Arg!, context.RequestAborted).ConfigureAwait(false)
            : CanisterReply.NoSuchMethod(content.MethodName!, query: true, canister);
        if (reply is null)
        {
            await Text(context, 503, "the replica has no certified state yet").ConfigureAwait(false);
            return;
        }

        byte[] body = GatewayResponses.Query(reply, requestId, _node.NowNanos, _node.Config.NodeKey);
        _node.Metrics?.QueryAnswered(Stopwatch.GetElapsedTime(start));
        await Bytes(context, 200, body).ConfigureAwait(false);
    }

    private async Task ReadState(HttpContext context, string id, bool subnet)
    {
        GatewayError? error = RequestValidation.TryParsePrincipal(id, subnet ? "subnet id" : "effective canister id", out Principal? target);
        Envelope? envelope = null;
        if (error is null && subnet && target != _node.Config.SubnetId)
        {
            error = new GatewayError(404, $"subnet {target} is not this subnet ({_node.Config.SubnetId})");
        }

        // A call to provisional_create_canister_with_cycles may have been routed by aaaaa-aa: its status is read there too.
        if (error is null && !subnet && target != Principal.ManagementCanister)
        {
            error = CheckCanisterExists(target!);
        }

        if (error is null)
        {
            (error, envelope) = await ReadBodyAsync(context, RequestType.ReadState).ConfigureAwait(false);
        }

        error ??= RequestValidation.CheckAuthentication(envelope!, _node.NowNanos, _node.Config.RootKeyDer, subnet ? null : target,
            checkExpiry: !RequestValidation.AsksOnlyForTime(envelope!.Content));
        CertifiedState? latest = _node.Latest;
        if (error is null && latest is null)
        {
            error = new GatewayError(503, "the replica has no certified state yet");
        }

        if (error is null)
        {
            RequestContent content = envelope!.Content;
            var statuses = new Dictionary<RequestId, RequestStatus?>();
            foreach (IReadOnlyList<byte[]> path in content.Paths!)
            {
                if (path.Count >= 2 && path[1].Length == 32 && path[0].AsSpan().SequenceEqual("request_status"u8))
                {
                    var rid = new RequestId(path[1]);
                    statuses[rid] = await _node.StatusAsync(rid, context.RequestAborted).ConfigureAwait(false);
                }
            }

            error = ReadStatePermissions.Check(content.Paths!, content.Sender, subnet ? null : target, _node.Config.SubnetId,
                rid => statuses.GetValueOrDefault(rid), _node.Canister);
        }

        if (error is not null)
        {
            await Text(context, error).ConfigureAwait(false);
            return;
        }

        var certificate = latest!.CertificateFor(envelope!.Content.Paths!.Select(p => (IReadOnlyList<Label>)[.. p.Select(l => new Label(l))]));
        await Bytes(context, 200, certificate.EncodeReadStateResponse()).ConfigureAwait(false);
    }

    // The envelope, its canister and its request id (computed once per request), or the error to answer.
    private async Task<(Envelope?, Principal?, RequestId, GatewayError?)> ReadCanisterRequest(HttpContext context, string id, RequestType type)
    {
        GatewayError? error = RequestValidation.TryParsePrincipal(id, "effective canister id", out Principal? canister);
        // provisional_create_canister_with_cycles names no canister: any id of the subnet (or aaaaa-aa) routes it, so
        // whether the URL's canister must exist is known only once the body is read.
        bool anyOfSubnet = error is null && (canister == Principal.ManagementCanister || (_node.Topology.Ranges.Contains(canister!) && !_node.HasCanister(canister!)));
        error ??= anyOfSubnet ? null : CheckCanisterExists(canister!);
        Envelope? envelope = null;
        if (error is null)
        {
            (error, envelope) = await ReadBodyAsync(context, type).ConfigureAwait(false);
        }

        if (error is null && anyOfSubnet && !RequestValidation.IsProvisionalCreate(envelope!.Content))
        {
            error = CheckCanisterExists(canister!);
        }

        error ??= RequestValidation.CheckEffectiveCanister(envelope!.Content, canister!);
        if (error is not null)
        {
            return (envelope, canister, default, error);
        }

        RequestId requestId = envelope!.Content.ComputeRequestId();
        // A call's signatures are remembered for its execution; a query's in the gateway's own cache.
        long start = Stopwatch.GetTimestamp();
        error = RequestValidation.CheckAuthentication(envelope, _node.NowNanos, _node.Config.RootKeyDer, canister, requestId,
            type == RequestType.Call ? _node.Signatures : _querySignatures);
        _node.Metrics?.SignaturesChecked("gateway", 1, Stopwatch.GetElapsedTime(start));
        return (envelope, canister, requestId, error);
    }

    /// <summary>
    /// The IC's ingress filter: an update call to a method the canister does not export never enters the pool; it is
    /// answered 400 with the execution error (IC0536, CanisterMethodNotFound).
    /// </summary>
    private GatewayError? CheckUpdateMethod(Principal canister, string method) =>
        _node.Canister(canister) is { } installed && !installed.Canister.Exports.AcceptsUpdateCall(method)
            ? GatewayError.BadRequest("IC0536: " + CanisterReply.NoSuchMethodMessage(method, query: false, canister))
            : null;

    private bool AcceptsQuery(Principal canister, string method) =>
        _node.Canister(canister) is not { } installed || installed.Canister.Exports.AcceptsQueryCall(method);

    private GatewayError? CheckCanisterExists(Principal canister)
    {
        if (!_node.Topology.Ranges.Contains(canister))
        {
            return GatewayError.BadRequest($"canister {canister} does not belong to subnet {_node.Config.SubnetId}");
        }

        return _node.HasCanister(canister) ? null : GatewayError.BadRequest($"Canister {canister} not found");
    }

    private static async Task<(GatewayError?, Envelope?)> ReadBodyAsync(HttpContext context, RequestType type)
    {
        (GatewayError? error, byte[]? body) = await ReadBoundedBodyAsync(context).ConfigureAwait(false);
        Envelope? envelope = null;
        error ??= RequestValidation.TryDecode(body!, type, out envelope);
        return (error, envelope);
    }

    // Bodies up to this declared length are read into one buffer of that length (every query and most calls).
    private const int DirectReadBytes = 64 * 1024;

    /// <summary>The request body, or a 413 once it passes the ingress limit (2 MiB), before more of it is read.</summary>
    internal static async Task<(GatewayError?, byte[]?)> ReadBoundedBodyAsync(HttpContext context)
    {
        long? declared = context.Request.ContentLength;
        if (declared > IngressLimits.MaxRequestBodyBytes)
        {
            return (TooLarge(declared.Value), null);
        }

        if (declared is long length && length <= DirectReadBytes)
        {
            // The usual case (agents send Content-Length): read straight into a buffer of that size; Kestrel ends the
            // body at the declared length, so a short body only leaves the buffer's tail unread. A larger declared body
            // is read in chunks below, so its memory follows the bytes that arrive, not what the header claims.
            byte[] body = new byte[length];
            int filled = 0, read;
            while (filled < body.Length && (read = await context.Request.Body.ReadAsync(body.AsMemory(filled), context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }

            return (null, filled == body.Length ? body : body[..filled]);
        }

        using var buffer = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > IngressLimits.MaxRequestBodyBytes)
                {
                    return (TooLarge(buffer.Length + read), null);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return (null, buffer.ToArray());
    }

    private static GatewayError TooLarge(long length) => RequestValidation.BodyTooLarge(length);

    /// <summary>Answers with the error's status and its reason as text.</summary>
    internal static Task Text(HttpContext context, GatewayError error) => Text(context, error.StatusCode, error.Message);

    private static Task Text(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n");
    }

    private static Task Bytes(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = Cbor;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>Stops the web server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class HostOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
