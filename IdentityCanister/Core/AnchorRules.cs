using System.Collections.Immutable;
using System.Text;
using InternetIdentity.IdentityCanister.Model;

namespace InternetIdentity.IdentityCanister.Core;

/// <summary>
/// II's device and anchor invariants (<c>storage/anchor.rs</c>), with its error texts. Each check returns the error
/// message, or null when the rule holds.
/// </summary>
internal static class AnchorRules
{
    /// <summary>MAX_DEVICES_PER_ANCHOR</summary>
    public const int MaxDevicesPerAnchor = 10;

    /// <summary>VARIABLE_FIELDS_LIMIT</summary>
    public const int VariableFieldsLimit = 2500;

    /// <summary>ALIAS_LEN_LIMIT</summary>
    public const int AliasLenLimit = 64;

    /// <summary>PK_LEN_LIMIT</summary>
    public const int PubkeyLenLimit = 300;

    /// <summary>CREDENTIAL_ID_LEN_LIMIT</summary>
    public const int CredentialIdLenLimit = 350;

    /// <summary>ORIGIN_LEN_LIMIT</summary>
    public const int OriginLenLimit = 50;

    /// <summary>Name limit of v2 identities.</summary>
    public const int NameLenLimit = 128;

    /// <summary>Metadata keys that v1 devices may not use.</summary>
    public static readonly ImmutableArray<string> ReservedMetadataKeys =
    [
        "pubkey", "alias", "credential_id", "purpose", "key_type", "protection", "origin", "last_usage_timestamp", "metadata",
        "usage", "authenticator_attachment",
    ];

    /// <summary>The Rust Debug name of a key type (used in II's messages).</summary>
    public static string DebugName(KeyType keyType) => keyType switch
    {
        KeyType.Unknown => "Unknown",
        KeyType.Platform => "Platform",
        KeyType.CrossPlatform => "CrossPlatform",
        KeyType.SeedPhrase => "SeedPhrase",
        KeyType.BrowserStorageKey => "BrowserStorageKey",
        _ => throw new ArgumentOutOfRangeException(nameof(keyType)),
    };

    /// <summary>check_device_invariants: field limits, reserved metadata, seed phrase and protection rules.</summary>
    public static string? CheckDevice(DeviceData d)
    {
        static string Exceeded(string field, int length, int limit) => $"{field} limit exceeded: length {length}, limit {limit}";

        int alias = Encoding.UTF8.GetByteCount(d.Alias);
        if (d.Pubkey.Length > PubkeyLenLimit)
        {
            return Exceeded("pubkey", d.Pubkey.Length, PubkeyLenLimit);
        }

        if (alias > AliasLenLimit)
        {
            return Exceeded("alias", alias, AliasLenLimit);
        }

        if (d.CredentialId is { } cred && cred.Length > CredentialIdLenLimit)
        {
            return Exceeded("credential_id", cred.Length, CredentialIdLenLimit);
        }

        if (d.Origin is { } origin && Encoding.UTF8.GetByteCount(origin) > OriginLenLimit)
        {
            return Exceeded("origin", Encoding.UTF8.GetByteCount(origin), OriginLenLimit);
        }

        if (d.Metadata is { } metadata)
        {
            foreach (var entry in metadata.Entries)
            {
                if (ReservedMetadataKeys.Contains(entry.Key))
                {
                    return $"Metadata key '{entry.Key}' is reserved and cannot be used.";
                }
            }
        }

        if (d.KeyType == KeyType.SeedPhrase && d.CredentialId is not null)
        {
            return "Devices with key type seed_phrase must not have a credential id.";
        }

        if (d.Protection == DeviceProtection.Protected && d.KeyType != KeyType.SeedPhrase)
        {
            return $"Only recovery phrases can be locked but key type is {DebugName(d.KeyType)}";
        }

        return null;
    }

    /// <summary>check_anchor_invariants: device count, cumulative size, one recovery phrase.</summary>
    public static string? CheckAnchor(IReadOnlyCollection<DeviceData> devices, MetadataMap identityMetadata)
    {
        if (devices.Count > MaxDevicesPerAnchor)
        {
            return $"Anchor device limit exceeded: num devices {devices.Count}, limit {MaxDevicesPerAnchor}";
        }

        int length = devices.Sum(d => d.VariableLength) + identityMetadata.VariableLength;
        if (length > VariableFieldsLimit)
        {
            return $"Cumulative size of variable sized fields exceeds limit: length {length}, limit {VariableFieldsLimit}.";
        }

        if (devices.Count(d => d.KeyType == KeyType.SeedPhrase) > 1)
        {
            return "There is already a recovery phrase and only one is allowed.";
        }

        return null;
    }

    /// <summary>The key in II's messages: lower-case hex.</summary>
    public static string Hex(ImmutableArray<byte> key) => Convert.ToHexStringLower(key.AsSpan());
}
