using System.Text.Json;
using InternetIdentity.Replica.Genesis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InternetIdentity.Replica.Metrics;

/// <summary>
/// The observability endpoints every replica's gateway serves, test API or not: <c>GET /_/metrics</c> (Prometheus text),
/// <c>GET /_/metrics.json</c> (the same as JSON, <see cref="MetricsJson"/>), <c>GET /_/replicas</c>
/// (<c>{"self": i, "replicas": [{"index", "url"}]}</c>, how <c>iinet top</c> and the dashboard find the subnet) and
/// <c>GET /_/dashboard</c> (live charts of every replica, a page polling those endpoints).
/// </summary>
internal static class MetricsEndpoints
{
    private static readonly Lazy<byte[]> s_dashboard = new(() =>
    {
        using Stream stream = typeof(MetricsEndpoints).Assembly.GetManifestResourceStream("InternetIdentity.Replica.Metrics.dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is not embedded in the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>Maps the endpoints for a replica; <paramref name="replicaUrls"/> lists the subnet's gateways by index.</summary>
    public static void Map(IEndpointRouteBuilder app, ReplicaMetrics? metrics, int self, Func<IReadOnlyList<Uri>> replicaUrls)
    {
        app.MapGet("/_/metrics", (HttpContext c) => metrics is null ? NoMetrics(c)
            : Write(c, PrometheusTextWriter.ContentType, System.Text.Encoding.UTF8.GetBytes(PrometheusTextWriter.Write(metrics.Collect()))));
        app.MapGet("/_/metrics.json", (HttpContext c) => metrics is null ? NoMetrics(c)
            : Write(c, "application/json", MetricsJson.Write(self, metrics.Collect())));
        app.MapGet("/_/replicas", (HttpContext c) => Write(c, "application/json", Replicas(self, replicaUrls())));
        app.MapGet("/_/dashboard", (HttpContext c) => Write(c, "text/html; charset=utf-8", s_dashboard.Value));
    }

    /// <summary>The gateways genesis gives the replicas: <c>http://host:httpPort/</c> by index.</summary>
    public static IReadOnlyList<Uri> GenesisUrls(GenesisConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return [.. config.Nodes.Select(p => new UriBuilder("http", p.Host, p.HttpPort).Uri)];
    }

    private static byte[] Replicas(int self, IReadOnlyList<Uri> urls)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("self", self);
            json.WriteStartArray("replicas");
            for (int i = 0; i < urls.Count; i++)
            {
                json.WriteStartObject();
                json.WriteNumber("index", i);
                json.WriteString("url", urls[i].ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static Task NoMetrics(HttpContext context)
    {
        context.Response.StatusCode = 404;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("this replica records no metrics\n");
    }

    private static Task Write(HttpContext context, string contentType, byte[] body)
    {
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }
}
