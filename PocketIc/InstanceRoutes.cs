using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InternetIdentity.PocketIc;

/// <summary>
/// PocketIC's instance routes: create, list and delete instances, topology, time (get, set, set certified), tick, and
/// auto progress on and off.
/// </summary>
public static class InstanceRoutes
{
    /// <summary>Maps the routes onto <paramref name="app"/>.</summary>
    public static void Map(IEndpointRouteBuilder app, InstanceRegistry instances)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(instances);
        app.MapGet("/instances", () => PocketIcJson.Result(new JsonArray([.. instances.States.Select(s => (JsonNode)s)])))
            .WithSummary("the states of every instance created, by id");
        app.MapPost("/instances", (HttpContext c, CancellationToken ct) => CreateAsync(c, instances))
            .WithSummary("creates an instance: one subnet of our replicas (InstanceConfig; iinet_replicas, default 4)");
        app.MapDelete("/instances/{id}", async (string id) =>
        {
            await instances.DeleteAsync(id).ConfigureAwait(false);
            return PocketIcJson.Unit();
        }).WithSummary("stops and deletes an instance");
        app.MapGet("/instances/{id}/_/topology", (string id) => PocketIcJson.Result(Topology.Of(instances.Get(id)))).WithSummary("the instance's topology");
        app.MapGet("/instances/{id}/read/topology", (string id) => PocketIcJson.Result(Topology.Of(instances.Get(id)))).WithSummary("the instance's topology");
        app.MapGet("/instances/{id}/read/get_time", (string id) =>
            PocketIcJson.Result(new JsonObject { ["nanos_since_epoch"] = PocketIcJson.Number(instances.Get(id).TimeNanos) }))
            .WithSummary("the instance's time");
        app.MapPost("/instances/{id}/update/set_time", async (HttpContext c, string id) =>
        {
            PocketIcInstance instance = instances.Get(id);
            JsonElement body = await PocketIcJson.ReadBodyAsync(c.Request, c.RequestAborted).ConfigureAwait(false);
            instance.SetTime(PocketIcJson.UInt64(body, "nanos_since_epoch"));
            return PocketIcJson.Unit();
        }).WithSummary("sets the time (seen by canisters after the next tick); never into the past");
        app.MapPost("/instances/{id}/update/set_certified_time", async (HttpContext c, string id) =>
        {
            PocketIcInstance instance = instances.Get(id);
            JsonElement body = await PocketIcJson.ReadBodyAsync(c.Request, c.RequestAborted).ConfigureAwait(false);
            await instance.SetCertifiedTimeAsync(PocketIcJson.UInt64(body, "nanos_since_epoch"), c.RequestAborted).ConfigureAwait(false);
            return PocketIcJson.Unit();
        }).WithSummary("sets the time and certifies it in one height");
        app.MapPost("/instances/{id}/update/tick", async (HttpContext c, string id) =>
        {
            PocketIcInstance instance = instances.Get(id);
            JsonElement body = await PocketIcJson.ReadBodyAsync(c.Request, c.RequestAborted).ConfigureAwait(false);
            PocketIcJson.Object(body, "TickConfigs"); // blockmakers only feed PocketIC's node metrics; one height either way
            await instance.TickAsync(c.RequestAborted).ConfigureAwait(false);
            return PocketIcJson.Unit();
        }).WithSummary("one round: one height agreed and certified by every replica");
        app.MapGet("/instances/{id}/auto_progress", (string id) => PocketIcJson.Result(JsonValue.Create(instances.Get(id).AutoProgress)))
            .WithSummary("whether auto progress is on");
        app.MapPost("/instances/{id}/auto_progress", async (HttpContext c, string id) =>
        {
            PocketIcInstance instance = instances.Get(id);
            JsonElement body = await PocketIcJson.ReadBodyAsync(c.Request, c.RequestAborted).ConfigureAwait(false);
            PocketIcJson.Object(body, "AutoProgressConfig");
            instance.StartAutoProgress(PocketIcJson.OptionalField(body, "artificial_delay_ms") is null ? 0 : PocketIcJson.UInt64(body, "artificial_delay_ms"));
            return PocketIcJson.Unit();
        }).WithSummary("auto progress: time follows the wall clock, a round every 100 ms plus artificial_delay_ms");
        app.MapPost("/instances/{id}/stop_progress", async (string id) =>
        {
            await instances.Get(id).StopAutoProgressAsync().ConfigureAwait(false);
            return PocketIcJson.Unit();
        }).WithSummary("stops auto progress");
    }

    private static async Task<IResult> CreateAsync(HttpContext context, InstanceRegistry instances)
    {
        JsonElement body = await PocketIcJson.ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        PocketIcInstance instance;
        try
        {
            instance = await instances.CreateAsync(InstanceConfig.Parse(body), context.RequestAborted).ConfigureAwait(false);
        }
        catch (PocketIcException e) when (!e.PlainText)
        {
            // The creation route answers its own errors as {"Error": {"message"}}.
            return PocketIcJson.Result(new JsonObject { ["Error"] = new JsonObject { ["message"] = e.Message } }, 400);
        }

        return PocketIcJson.Result(new JsonObject
        {
            ["Created"] = new JsonObject
            {
                ["instance_id"] = instance.Id,
                ["topology"] = Topology.Of(instance),
                ["http_gateway_info"] = null,
            },
        });
    }
}
