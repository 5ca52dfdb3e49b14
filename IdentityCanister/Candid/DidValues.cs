using System.Collections.Immutable;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Candid;

/// <summary>Conversions between decoded Candid values of <see cref="DidTypes"/> and the canister's model.</summary>
internal static class DidValues
{
    public static ulong Nat64(V v) => ((CandidFixedNat)v).Value;

    public static string Text(V v) => ((CandidText)v).Value;

    public static ImmutableArray<byte> Blob(V v) => v switch
    {
        CandidBlob b => [.. b.Bytes.Span],
        CandidVec vec => [.. vec.Elements.Select(e => (byte)((CandidFixedNat)e).Value)],
        _ => throw new InvalidCastException("not a blob"),
    };

    public static V? Opt(V v) => ((CandidOpt)v).Value;

    public static V OptOf(V? v) => v is null ? V.None : V.Some(v);

    public static V BlobOf(ImmutableArray<byte> bytes) => V.Blob(bytes.AsSpan());

    public static V PrincipalOf(Principal p) => V.OfPrincipal(new CandidPrincipal(p.Bytes));

    public static Principal ReadPrincipal(V v) => Principal.FromBytes(((CandidPrincipalValue)v).Principal.Span);

    /// <summary>The case name of a variant value among <paramref name="names"/>.</summary>
    public static (string Name, V Payload) Case(V v, params string[] names)
    {
        var variant = (CandidVariant)v;
        foreach (string n in names)
        {
            if (variant.Label.Id == CandidLabel.Hash(n))
            {
                return (n, variant.Value);
            }
        }

        throw new InvalidCastException($"unexpected variant case {variant.Label}");
    }

    public static MetadataMap ReadMetadata(V v, bool v2)
    {
        var entries = ImmutableArray.CreateBuilder<KeyValuePair<string, MetadataValue>>();
        foreach (V e in ((CandidVec)v).Elements)
        {
            var tuple = (CandidRecord)e;
            string key = Text(tuple.Get(0)!);
            (string name, V payload) = v2 ? Case(tuple.Get(1)!, "Map", "String", "Bytes") : Case(tuple.Get(1)!, "map", "string", "bytes");
            MetadataValue value = name.ToLowerInvariant() switch
            {
                "map" => new MetadataValue.Map(ReadMetadata(payload, v2)),
                "string" => new MetadataValue.String(Text(payload)),
                _ => new MetadataValue.Bytes(Blob(payload)),
            };
            entries.Add(new(key, value));
        }

        return new MetadataMap(entries.ToImmutable());
    }

    public static V MetadataOf(MetadataMap map, bool v2) => new CandidVec(
        map.Entries.Select(e => (V)V.Tuple(V.Text(e.Key), e.Value switch
        {
            MetadataValue.Map m => V.Variant(v2 ? "Map" : "map", MetadataOf(m.Value, v2)),
            MetadataValue.String s => V.Variant(v2 ? "String" : "string", V.Text(s.Value)),
            MetadataValue.Bytes b => V.Variant(v2 ? "Bytes" : "bytes", BlobOf(b.Value)),
            _ => throw new InvalidOperationException(),
        })).ToArray());

    public static DeviceData ReadDeviceData(V v)
    {
        var r = (CandidRecord)v;
        return new DeviceData(
            Blob(r["pubkey"]),
            Text(r["alias"]),
            Opt(r["credential_id"]) is { } c ? Blob(c) : null,
            Opt(r["aaguid"]) is { } a ? Blob(a) : null,
            Case(r["purpose"], "recovery", "authentication").Name == "recovery" ? Purpose.Recovery : Purpose.Authentication,
            Case(r["key_type"], "unknown", "platform", "cross_platform", "seed_phrase", "browser_storage_key").Name switch
            {
                "platform" => KeyType.Platform,
                "cross_platform" => KeyType.CrossPlatform,
                "seed_phrase" => KeyType.SeedPhrase,
                "browser_storage_key" => KeyType.BrowserStorageKey,
                _ => KeyType.Unknown,
            },
            Case(r["protection"], "protected", "unprotected").Name == "protected" ? DeviceProtection.Protected : DeviceProtection.Unprotected,
            Opt(r["origin"]) is { } o ? Text(o) : null,
            Opt(r["metadata"]) is { } m ? ReadMetadata(m, v2: false) : null);
    }

    private static (string, V)[] DeviceFields(DeviceData d) =>
    [
        ("pubkey", BlobOf(d.Pubkey)),
        ("alias", V.Text(d.Alias)),
        ("credential_id", OptOf(d.CredentialId is { } c ? BlobOf(c) : null)),
        ("aaguid", OptOf(d.Aaguid is { } a ? BlobOf(a) : null)),
        ("purpose", V.Variant(d.Purpose == Purpose.Recovery ? "recovery" : "authentication")),
        ("key_type", V.Variant(d.KeyType switch
        {
            KeyType.Platform => "platform",
            KeyType.CrossPlatform => "cross_platform",
            KeyType.SeedPhrase => "seed_phrase",
            KeyType.BrowserStorageKey => "browser_storage_key",
            _ => "unknown",
        })),
        ("protection", V.Variant(d.Protection == DeviceProtection.Protected ? "protected" : "unprotected")),
        ("origin", OptOf(d.Origin is { } o ? V.Text(o) : null)),
        ("metadata", OptOf(d.Metadata is { } m ? MetadataOf(m, v2: false) : null)),
    ];

    public static V DeviceDataOf(DeviceData d) => V.Record(DeviceFields(d));

    public static V DeviceWithUsageOf(Device d) =>
        V.Record([.. DeviceFields(d.Data), ("last_usage", OptOf(d.LastUsage is { } u ? V.Nat64(u) : null))]);

    public static AuthnMethodData ReadAuthnMethodData(V v)
    {
        var r = (CandidRecord)v;
        (string kind, V payload) = Case(r["authn_method"], "WebAuthn", "PubKey");
        var method = (CandidRecord)payload;
        var settings = (CandidRecord)r["security_settings"];
        return new AuthnMethodData(
            Blob(method["pubkey"]),
            kind == "WebAuthn" ? Blob(method["credential_id"]) : null,
            kind == "WebAuthn" && Opt(method["aaguid"]) is { } a ? Blob(a) : null,
            Case(settings["protection"], "Protected", "Unprotected").Name == "Protected" ? DeviceProtection.Protected : DeviceProtection.Unprotected,
            Case(settings["purpose"], "Recovery", "Authentication").Name == "Recovery" ? Purpose.Recovery : Purpose.Authentication,
            ReadMetadata(r["metadata"], v2: true),
            Opt(r["last_authentication"]) is { } l ? Nat64(l) : null);
    }

    public static (DeviceProtection, Purpose) ReadSecuritySettings(V v)
    {
        var settings = (CandidRecord)v;
        return (
            Case(settings["protection"], "Protected", "Unprotected").Name == "Protected" ? DeviceProtection.Protected : DeviceProtection.Unprotected,
            Case(settings["purpose"], "Recovery", "Authentication").Name == "Recovery" ? Purpose.Recovery : Purpose.Authentication);
    }

    public static V AuthnMethodOf(AuthnMethodData m) => m.CredentialId is { } cred
        ? V.Variant("WebAuthn", V.Record(("credential_id", BlobOf(cred)), ("pubkey", BlobOf(m.Pubkey)), ("aaguid", OptOf(m.Aaguid is { } a ? BlobOf(a) : null))))
        : V.Variant("PubKey", V.Record(("pubkey", BlobOf(m.Pubkey))));

    public static V AuthnMethodDataOf(AuthnMethodData m) => V.Record(
        ("authn_method", AuthnMethodOf(m)),
        ("security_settings", V.Record(
            ("protection", V.Variant(m.Protection == DeviceProtection.Protected ? "Protected" : "Unprotected")),
            ("purpose", V.Variant(m.Purpose == Purpose.Recovery ? "Recovery" : "Authentication")))),
        ("metadata", MetadataOf(m.Metadata, v2: true)),
        ("last_authentication", OptOf(m.LastAuthentication is { } l ? V.Nat64(l) : null)));
}
