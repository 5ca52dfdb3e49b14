using System.Text.Json;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.PocketIc;

/// <summary>
/// PocketIC's <c>RawCanisterCall</c>: <c>{sender, canister_id, method, payload, effective_principal, sender_info?}</c>,
/// principals and payload in base64. The effective principal is <c>"None"</c> (also <c>{"None": null}</c>),
/// <c>{"SubnetId": b64}</c> or <c>{"CanisterId": b64}</c>, kept as sent.
/// </summary>
/// <param name="Sender">The caller, taken as written (impersonated).</param>
/// <param name="CanisterId">The called canister.</param>
/// <param name="Method">The method name.</param>
/// <param name="Payload">The Candid argument.</param>
/// <param name="EffectivePrincipal">The effective principal as sent.</param>
public sealed record CanisterCall(Principal Sender, Principal CanisterId, string Method, byte[] Payload, JsonNode EffectivePrincipal)
{
    /// <summary>Reads a call; throws <see cref="PocketIcException"/> (422) for a malformed one, 400 for sender_info.</summary>
    public static CanisterCall Read(JsonElement body)
    {
        PocketIcJson.Object(body, "RawCanisterCall");
        Principal sender = PocketIcJson.Principal(body, "sender");
        Principal canister = PocketIcJson.Principal(body, "canister_id");
        string method = PocketIcJson.String(body, "method");
        byte[] payload = PocketIcJson.Bytes(body, "payload");
        JsonNode effective = EffectivePrincipalOf(PocketIcJson.Field(body, "effective_principal"));
        if (PocketIcJson.OptionalField(body, "sender_info") is not null)
        {
            throw PocketIcException.BadRequest("sender_info is not supported by this server yet");
        }

        return new CanisterCall(sender, canister, method, payload, effective);
    }

    private static JsonNode EffectivePrincipalOf(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString() == "None")
        {
            return "None";
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (value.TryGetProperty("None", out _))
            {
                return "None";
            }

            foreach (string kind in (string[])["SubnetId", "CanisterId"])
            {
                if (value.TryGetProperty(kind, out _))
                {
                    return new JsonObject { [kind] = PocketIcJson.Base64(PocketIcJson.Principal(value, kind).Bytes) };
                }
            }
        }

        throw PocketIcException.WrongShape("effective_principal: expected \"None\", {\"SubnetId\": base64} or {\"CanisterId\": base64}");
    }
}
