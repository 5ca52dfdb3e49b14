using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InternetIdentity.PocketIc;

/// <summary>
/// An instance's HTTP side: <c>/instances/{id}/api/v2|v3|v4/...</c> and <c>/instances/{id}/_/dashboard</c> forwarded to
/// replica 0's gateway (the IC HTTP interface, signatures checked), and PocketIC's HTTP gateways. Every replica of ours
/// already serves an HTTP gateway (canisters' pages by host name or <c>?canisterId=</c>, certified and verified), so
/// starting one for an instance answers replica 0's port, and stopping it forgets it.
/// </summary>
public sealed class GatewayRoutes(InstanceRegistry instances) : IDisposable
{
    private static readonly string[] s_hopHeaders = ["Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Host", "Content-Length"];
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromMinutes(5) };
    private readonly ConcurrentDictionary<int, (int Instance, int Port)> _gateways = new();
    private int _nextGateway = -1;

    /// <summary>Maps the routes onto <paramref name="app"/>.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (string version in (string[])["v2", "v3", "v4"])
        {
            app.Map($"/instances/{{id}}/api/{version}/{{**rest}}", (HttpContext c, string id, string? rest) => ForwardAsync(c, id, $"api/{version}/{rest}"))
                .WithSummary($"the IC HTTP interface ({version}) of the instance's replica 0");
        }

        app.MapGet("/instances/{id}/_/dashboard", (HttpContext c, string id) => ForwardAsync(c, id, "_/dashboard")).WithSummary("replica 0's dashboard");
        app.MapPost("/http_gateway", (HttpContext c, CancellationToken ct) => StartAsync(c))
            .WithSummary("an HTTP gateway for an instance (its replica 0's gateway) -> {Created: {instance_id, port}}");
        app.MapGet("/http_gateway", () => PocketIcJson.Result(new JsonArray([.. _gateways.OrderBy(g => g.Key).Select(g => (JsonNode)new JsonObject
        {
            ["instance_id"] = g.Key,
            ["port"] = g.Value.Port,
            ["forward_to"] = new JsonObject { ["PocketIcInstance"] = g.Value.Instance },
        })]))).WithSummary("the HTTP gateways");
        app.MapPost("/http_gateway/{id}/stop", (string id) =>
        {
            _ = int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int gateway) && _gateways.TryRemove(gateway, out _);
            return PocketIcJson.Unit();
        }).WithSummary("stops an HTTP gateway");
    }

    /// <summary>Stops forwarding.</summary>
    public void Dispose() => _http.Dispose();

    private async Task<IResult> StartAsync(HttpContext context)
    {
        JsonElement body = await PocketIcJson.ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        JsonElement forward = PocketIcJson.Field(PocketIcJson.Object(body, "HttpGatewayConfig"), "forward_to");
        if (PocketIcJson.OptionalField(forward, "PocketIcInstance") is not { ValueKind: JsonValueKind.Number } target)
        {
            return Error("this server's HTTP gateways forward to its own instances only ({\"forward_to\": {\"PocketIcInstance\": id}})");
        }

        if (PocketIcJson.OptionalField(body, "https_config") is not null)
        {
            return Error("https_config is not supported: the replicas' gateways serve plain HTTP");
        }

        PocketIcInstance instance = instances.Get(target.GetRawText());
        int port = instance.Subnet.Url.Port;
        if (PocketIcJson.OptionalField(body, "port") is { } wanted && (!wanted.TryGetInt32(out int p) || p != port))
        {
            return Error($"the instance's gateway listens on port {port} (replica 0's); it cannot move to port {wanted.GetRawText()}");
        }

        int id = Interlocked.Increment(ref _nextGateway);
        _gateways[id] = (instance.Id, port);
        return PocketIcJson.Result(new JsonObject { ["Created"] = new JsonObject { ["instance_id"] = id, ["port"] = port } });
    }

    private static IResult Error(string message) => PocketIcJson.Result(new JsonObject { ["Error"] = new JsonObject { ["message"] = message } }, 400);

    private async Task<IResult> ForwardAsync(HttpContext context, string id, string path)
    {
        PocketIcInstance instance = instances.Get(id);
        var target = new Uri(instance.Subnet.Url, path + context.Request.QueryString);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in context.Request.Headers)
        {
            if (!s_hopHeaders.Contains(header.Key, StringComparer.OrdinalIgnoreCase)
                && !request.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string>)header.Value!))
            {
                request.Content?.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string>)header.Value!);
            }
        }

        using HttpResponseMessage response = await _http.SendAsync(request, context.RequestAborted).ConfigureAwait(false);
        byte[] content = await response.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
        foreach (KeyValuePair<string, IEnumerable<string>> header in response.Headers.Concat(response.Content.Headers))
        {
            if (!s_hopHeaders.Contains(header.Key, StringComparer.OrdinalIgnoreCase))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        context.Response.StatusCode = (int)response.StatusCode;
        await context.Response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }
}
