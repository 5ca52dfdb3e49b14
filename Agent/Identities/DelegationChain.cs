using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Agent.Identities;

/// <summary>
/// A chain of signed delegations from <see cref="PublicKey"/> (the delegating identity, e.g. II's canister signature
/// key) down to a session key; its JSON form is agent-js <c>DelegationChain.toJSON()</c>.
/// </summary>
public sealed class DelegationChain
{
    /// <summary>Creates a chain from the root DER public key and its delegations, first to last.</summary>
    public DelegationChain(byte[] publicKey, IReadOnlyList<SignedDelegation> delegations)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(delegations);
        if (delegations.Count == 0)
        {
            throw new ArgumentException("a delegation chain has at least one delegation", nameof(delegations));
        }

        PublicKey = publicKey;
        Delegations = delegations;
    }

    /// <summary>The DER public key of the delegating identity: the sender is self_authenticating(this).</summary>
    public byte[] PublicKey { get; }

    /// <summary>The signed delegations, first (signed by <see cref="PublicKey"/>) to last (naming the session key).</summary>
    public IReadOnlyList<SignedDelegation> Delegations { get; }

    /// <summary>The principal requests carry when signed through this chain.</summary>
    public Principal Principal => Principal.SelfAuthenticating(PublicKey);

    /// <summary>The earliest expiration of the chain, in nanoseconds since the epoch.</summary>
    public ulong Expiration => Delegations.Min(d => d.Delegation.Expiration);

    /// <summary>
    /// Signs a delegation from <paramref name="from"/> to <paramref name="toPublicKeyDer"/> expiring at
    /// <paramref name="expirationNanos"/>; with <paramref name="previous"/>, extends that chain (whose last key must be <paramref name="from"/>'s).
    /// </summary>
    public static DelegationChain Create(SignIdentity from, byte[] toPublicKeyDer, ulong expirationNanos, IReadOnlyList<Principal>? targets = null,
        DelegationChain? previous = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(toPublicKeyDer);
        var delegation = new Delegation(toPublicKeyDer, expirationNanos, targets);
        var signed = new SignedDelegation(delegation, from.Sign(delegation.SignedMessage()));
        if (previous is null)
        {
            return new DelegationChain(from.PublicKeyDer, [signed]);
        }

        if (!previous.Delegations[^1].Delegation.PublicKey.AsSpan().SequenceEqual(from.PublicKeyDer))
        {
            throw new ArgumentException("the previous chain does not delegate to the signing identity", nameof(previous));
        }

        return new DelegationChain(previous.PublicKey, [.. previous.Delegations, signed]);
    }

    /// <summary>
    /// agent-js <c>DelegationChain.toJSON()</c>: <c>{delegations: [{delegation: {expiration: hex, pubkey: hex, targets?: [hex]},
    /// signature: hex}], publicKey: hex}</c> (targets as upper-case hex, as <c>Principal.toHex</c> writes them).
    /// </summary>
    public string ToJson()
    {
        var delegations = new JsonArray();
        foreach (SignedDelegation d in Delegations)
        {
            var inner = new JsonObject
            {
                ["expiration"] = d.Delegation.Expiration.ToString("x", CultureInfo.InvariantCulture),
                ["pubkey"] = Convert.ToHexStringLower(d.Delegation.PublicKey),
            };
            if (d.Delegation.Targets is { } targets)
            {
                inner["targets"] = new JsonArray([.. targets.Select(t => (JsonNode)JsonValue.Create(Convert.ToHexString(t.Bytes)))]);
            }

            delegations.Add(new JsonObject { ["delegation"] = inner, ["signature"] = Convert.ToHexStringLower(d.Signature) });
        }

        return new JsonObject { ["delegations"] = delegations, ["publicKey"] = Convert.ToHexStringLower(PublicKey) }.ToJsonString();
    }

    /// <summary>Reads agent-js <c>DelegationChain.toJSON()</c> output; throws <see cref="IdentityFormatException"/>.</summary>
    public static DelegationChain FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            JsonObject root = JsonNode.Parse(json) as JsonObject ?? throw new IdentityFormatException("delegation chain JSON is not an object");
            byte[] publicKey = Hex.Decode(Text(root["publicKey"]), "publicKey");
            JsonArray array = root["delegations"] as JsonArray ?? throw new IdentityFormatException("delegation chain JSON has no delegations array");
            var delegations = new List<SignedDelegation>();
            foreach (JsonNode? item in array)
            {
                JsonObject signed = item as JsonObject ?? throw new IdentityFormatException("a delegation entry is not an object");
                JsonObject d = signed["delegation"] as JsonObject ?? throw new IdentityFormatException("a delegation entry has no delegation object");
                string expiration = Text(d["expiration"]) ?? throw new IdentityFormatException("a delegation has no expiration");
                if (!ulong.TryParse(expiration, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong expirationNanos))
                {
                    throw new IdentityFormatException($"delegation expiration '{expiration}' is not a 64-bit hex number");
                }

                List<Principal>? targets = null;
                if (d["targets"] is JsonArray targetArray)
                {
                    targets = [.. targetArray.Select(t => Principal.TryFromBytes(Hex.Decode(Text(t), "target"), out Principal p)
                        ? p : throw new IdentityFormatException("a delegation target is longer than 29 bytes"))];
                }

                delegations.Add(new SignedDelegation(
                    new Delegation(Hex.Decode(Text(d["pubkey"]), "pubkey"), expirationNanos, targets),
                    Hex.Decode(Text(signed["signature"]), "signature")));
            }

            return delegations.Count == 0 ? throw new IdentityFormatException("delegation chain JSON has no delegations") : new DelegationChain(publicKey, delegations);
        }
        catch (JsonException e)
        {
            throw new IdentityFormatException("delegation chain is not valid JSON: " + e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            throw new IdentityFormatException("delegation chain JSON has a value of the wrong type: " + e.Message, e);
        }
    }

    private static string? Text(JsonNode? node) => node?.GetValue<string>();
}
