using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InternetIdentity.PocketIc;

/// <summary>
/// <c>GET /api.json</c>: an OpenAPI 3 description of the routes this server maps, made from the routes themselves (their
/// patterns, methods and summaries), so it lists exactly what is served.
/// </summary>
public static class ApiDescription
{
    /// <summary>The description of the endpoints in <paramref name="sources"/>.</summary>
    public static JsonObject Describe(IEnumerable<EndpointDataSource> sources, string version)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var paths = new JsonObject();
        foreach (RouteEndpoint endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal))
        {
            string path = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/').Replace("{**", "{", StringComparison.Ordinal);
            if (paths[path] is not JsonObject operations)
            {
                operations = [];
                paths[path] = operations;
            }

            string summary = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IEndpointSummaryMetadata>()?.Summary ?? "";
            IReadOnlyList<string> methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "PUT", "DELETE"];
            foreach (string method in methods)
            {
                operations[method.ToLowerInvariant()] = new JsonObject
                {
                    ["summary"] = summary,
                    ["parameters"] = new JsonArray([.. endpoint.RoutePattern.Parameters.Select(p => (JsonNode)new JsonObject
                    {
                        ["name"] = p.Name,
                        ["in"] = "path",
                        ["required"] = true,
                        ["schema"] = new JsonObject { ["type"] = "string" },
                    })]),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "success" } },
                };
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.1",
            ["info"] = new JsonObject
            {
                ["title"] = "PocketIC server (iinet)",
                ["description"] = "PocketIC's REST API over local multi-replica subnets of iinet",
                ["version"] = version,
            },
            ["paths"] = paths,
        };
    }
}
