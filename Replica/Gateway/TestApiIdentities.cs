using System.Text.Json;
using System.Text.Json.Nodes;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InternetIdentity.Replica.Gateway;

/// <summary>
/// Test identities over HTTP, for JavaScript tests (<see cref="TestIdentities"/> does the work):
/// <c>POST /_/ii/anchors</c> creates a test anchor and answers its number and device key;
/// <c>POST /_/ii/sign-in</c> with <c>{anchor, origin, session_public_key (DER hex), max_time_to_live_ns?}</c> answers the
/// agent-js delegation chain JSON for the session key and the dapp principal. Bad input is a 400 with the reason, an
/// anchor not made here a 404, a refusal by II a 409.
/// </summary>
internal static class TestApiIdentities
{
    public static void Map(IEndpointRouteBuilder app, TestIdentities identities, ReplicaNode node)
    {
        app.MapPost(TestApi.Prefix + "/ii/anchors", (HttpContext c) => CreateAnchorAsync(c, identities, node));
        app.MapPost(TestApi.Prefix + "/ii/sign-in", (HttpContext c) => SignInAsync(c, identities, node));
    }

    private static async Task CreateAnchorAsync(HttpContext context, TestIdentities identities, ReplicaNode node)
    {
        TestAnchor anchor;
        try
        {
            anchor = await identities.CreateAnchorAsync(node, context.RequestAborted).ConfigureAwait(false);
        }
        catch (TestIdentityException e)
        {
            await TestApi.Error(context, 409, e.Message).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["anchor"] = anchor.Number,
            ["device_public_key"] = Convert.ToHexStringLower(anchor.DevicePublicKeyDer),
            ["device_secret_key"] = Convert.ToHexStringLower(anchor.DeviceSeed),
            ["device_principal"] = anchor.DevicePrincipal.ToString(),
        }).ConfigureAwait(false);
    }

    private static async Task SignInAsync(HttpContext context, TestIdentities identities, ReplicaNode node)
    {
        (GatewayError? tooLarge, byte[]? body) = await HttpGateway.ReadBoundedBodyAsync(context).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            await TestApi.Error(context, 413, tooLarge.Message).ConfigureAwait(false);
            return;
        }

        if (ParseSignIn(body!, out ulong anchor, out string? origin, out byte[]? sessionKey, out ulong? ttl) is { } error)
        {
            await TestApi.Error(context, 400, error).ConfigureAwait(false);
            return;
        }

        if (identities.Find(anchor) is null)
        {
            await TestApi.Error(context, 404, $"anchor {anchor} was not created through POST /_/ii/anchors on this network, so its device key is unknown").ConfigureAwait(false);
            return;
        }

        TestSignIn signIn;
        try
        {
            signIn = await identities.SignInAsync(node, anchor, origin!, sessionKey!, ttl, context.RequestAborted).ConfigureAwait(false);
        }
        catch (TestIdentityException e)
        {
            await TestApi.Error(context, 409, e.Message).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["delegation_chain"] = JsonNode.Parse(signIn.ChainJson()),
            ["principal"] = signIn.Principal.ToString(),
            ["user_public_key"] = Convert.ToHexStringLower(signIn.UserPublicKeyDer),
            ["expiration_ns"] = signIn.Delegation.Delegation.Expiration,
        }).ConfigureAwait(false);
    }

    // Null when the body is a valid sign-in request, else the reason.
    private static string? ParseSignIn(byte[] body, out ulong anchor, out string? origin, out byte[]? sessionKey, out ulong? ttl)
    {
        anchor = 0;
        origin = null;
        sessionKey = null;
        ttl = null;
        try
        {
            using JsonDocument json = JsonDocument.Parse(body);
            JsonElement root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "the body must be a JSON object {anchor, origin, session_public_key, max_time_to_live_ns?}";
            }

            if (!root.TryGetProperty("anchor", out JsonElement a) || a.ValueKind != JsonValueKind.Number || !a.TryGetUInt64(out anchor))
            {
                return "\"anchor\" must be the anchor number";
            }

            if (!root.TryGetProperty("origin", out JsonElement o) || o.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(o.GetString(), UriKind.Absolute, out Uri? uri) || uri.GetLeftPart(UriPartial.Authority) != o.GetString())
            {
                return "\"origin\" must be the dapp's origin (scheme://host[:port], no path), e.g. \"http://localhost:5173\"";
            }

            origin = o.GetString();
            if (!root.TryGetProperty("session_public_key", out JsonElement k) || k.ValueKind != JsonValueKind.String || k.GetString()!.Length == 0)
            {
                return "\"session_public_key\" must be the session key's DER public key in hex";
            }

            try
            {
                sessionKey = Convert.FromHexString(k.GetString()!);
            }
            catch (FormatException)
            {
                return "\"session_public_key\" is not hex";
            }

            if (root.TryGetProperty("max_time_to_live_ns", out JsonElement t) && t.ValueKind != JsonValueKind.Null)
            {
                if (t.ValueKind != JsonValueKind.Number || !t.TryGetUInt64(out ulong nanos))
                {
                    return "\"max_time_to_live_ns\" must be a non-negative integer of nanoseconds";
                }

                ttl = nanos;
            }

            return null;
        }
        catch (JsonException e)
        {
            return "the body is not JSON: " + e.Message;
        }
    }
}
