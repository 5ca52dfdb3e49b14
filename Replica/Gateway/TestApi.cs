using System.Text.Json;
using InternetIdentity.Replica.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InternetIdentity.Replica.Gateway;

/// <summary>
/// The test API of a local network under <c>/_/</c> on the gateway's port: time and ticks, and test identities
/// (<see cref="TestApiIdentities"/>). Answers are JSON
/// (<c>{"nanos_since_epoch": N, "height": H}</c>); refusals are JSON too (<c>{"error": "..."}</c>): 400 for bad input,
/// 409 for an operation the subnet's time mode or topology does not allow, 504 when the result was not certified on
/// every replica in time, and 404 <c>the test API is off</c> on a gateway that does not serve it.
/// </summary>
public sealed class TestApi
{
    /// <summary>The prefix of every test API path.</summary>
    public const string Prefix = "/_";

    /// <summary>A test API over a subnet's time control (and its test identities).</summary>
    public TestApi(SubnetTime time) => Time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>The subnet's time control.</summary>
    public SubnetTime Time { get; }

    /// <summary>The test anchors made through this API (shared by every replica's gateway).</summary>
    public TestSupport.TestIdentities Identities { get; } = new(TimeSpan.FromSeconds(60));

    /// <summary>Maps the test API's routes; with no API, every <c>/_/</c> path answers 404 "the test API is off".</summary>
    internal static void Map(IEndpointRouteBuilder app, TestApi? api, Node.ReplicaNode node)
    {
        if (api is null)
        {
            app.Map(Prefix + "/{**rest}", (HttpContext c) => Error(c, 404, "the test API is off (`iinet node --test-api` serves it)"));
            return;
        }

        app.MapGet(Prefix + "/time", (HttpContext c) => Json(c, 200, api.Time.NowNanos, api.Time.CertifiedHeight));
        app.MapPost(Prefix + "/time", (HttpContext c) => api.MoveAsync(c, "nanos_since_epoch", advance: false));
        app.MapPost(Prefix + "/time/advance", (HttpContext c) => api.MoveAsync(c, "nanos", advance: true));
        app.MapPost(Prefix + "/tick", (HttpContext c) => api.RunAsync(c, null));
        TestApiIdentities.Map(app, api.Identities, node);
        app.Map(Prefix + "/{**rest}", (HttpContext c) => Error(c, 404, $"no such test endpoint: {c.Request.Method} {c.Request.Path}"));
    }

    /// <summary>Whether a request path belongs to the test API (the canister gateway never serves it).</summary>
    internal static bool IsTestApiPath(PathString path) => path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    private async Task MoveAsync(HttpContext context, string field, bool advance)
    {
        (long? value, string? error) = await ReadNonNegativeAsync(context, field).ConfigureAwait(false);
        if (error is not null)
        {
            await Error(context, 400, error).ConfigureAwait(false);
            return;
        }

        await RunAsync(context, (value!.Value, advance)).ConfigureAwait(false);
    }

    // Sets or advances the time by a value, or ticks when there is none.
    private async Task RunAsync(HttpContext context, (long Nanos, bool Advance)? move)
    {
        SubnetTimeResult result;
        try
        {
            result = move is not { } m ? await Time.TickAsync(context.RequestAborted).ConfigureAwait(false)
                : await Time.SetTimeAsync(m.Advance ? checked(Time.NowNanos + m.Nanos) : m.Nanos, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await Error(context, 400, e.Message).ConfigureAwait(false);
            return;
        }
        catch (OverflowException)
        {
            await Error(context, 400, "the time would pass the largest nanos_since_epoch (2^63 - 1)").ConfigureAwait(false);
            return;
        }
        catch (InvalidOperationException e)
        {
            await Error(context, 409, e.Message).ConfigureAwait(false);
            return;
        }
        catch (TimeoutException e)
        {
            await Error(context, 504, e.Message).ConfigureAwait(false);
            return;
        }

        await Json(context, 200, result.NanosSinceEpoch, result.Height).ConfigureAwait(false);
    }

    // The body must be a JSON object whose field is a non-negative integer (nanoseconds fit in 63 bits until 2262).
    private static async Task<(long?, string?)> ReadNonNegativeAsync(HttpContext context, string field)
    {
        (GatewayError? tooLarge, byte[]? body) = await HttpGateway.ReadBoundedBodyAsync(context).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            return (null, tooLarge.Message);
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(body!);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty(field, out JsonElement value))
            {
                return (null, $"the body must be a JSON object with \"{field}\"");
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long n) || n < 0)
            {
                return (null, $"\"{field}\" must be a non-negative integer of nanoseconds below 2^63, not {value.GetRawText()}");
            }

            return (n, null);
        }
        catch (JsonException e)
        {
            return (null, "the body is not JSON: " + e.Message);
        }
    }

    private static Task Json(HttpContext context, int status, long nanos, long height)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new Dictionary<string, long> { ["nanos_since_epoch"] = nanos, ["height"] = height });
    }

    /// <summary>Answers a refusal as the test API does: <c>{"error": "..."}</c>.</summary>
    internal static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = message });
    }
}
