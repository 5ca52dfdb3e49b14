using System.Collections.Immutable;
using InternetIdentity.IdentityCanister.Model;

namespace InternetIdentity.IdentityCanister.Core;

/// <summary>
/// Conversions between v2 authentication methods and v1 devices, as II's API v2 does: alias, origin,
/// authenticator_attachment and usage move between the metadata and the device fields.
/// </summary>
internal static class AuthnMethodConversion
{
    /// <summary>Device data of an authentication method, or why it cannot be one.</summary>
    public static bool TryToDevice(AuthnMethodData m, out DeviceData? device, out string? error)
    {
        string? alias = null, origin = null, attachment = null, usage = null;
        var rest = ImmutableArray.CreateBuilder<KeyValuePair<string, MetadataValue>>();
        foreach (var entry in m.Metadata.Entries)
        {
            if (entry.Key is "alias" or "origin" or "authenticator_attachment" or "usage")
            {
                if (entry.Value is not MetadataValue.String s)
                {
                    (device, error) = (null, $"metadata key '{entry.Key}' must have a String value");
                    return false;
                }

                switch (entry.Key)
                {
                    case "alias": alias = s.Value; break;
                    case "origin": origin = s.Value; break;
                    case "authenticator_attachment": attachment = s.Value; break;
                    default: usage = s.Value; break;
                }
            }
            else
            {
                rest.Add(entry);
            }
        }

        KeyType keyType = usage switch
        {
            "recovery_phrase" => KeyType.SeedPhrase,
            "browser_storage_key" => KeyType.BrowserStorageKey,
            _ => attachment switch
            {
                "platform" => KeyType.Platform,
                "cross_platform" => KeyType.CrossPlatform,
                _ => KeyType.Unknown,
            },
        };
        device = new DeviceData(
            m.Pubkey, alias ?? "", m.CredentialId, m.Aaguid, m.Purpose, keyType, m.Protection, origin,
            rest.Count == 0 ? null : new MetadataMap(rest.ToImmutable()));
        error = null;
        return true;
    }

    /// <summary>The authentication method of a stored device.</summary>
    public static AuthnMethodData ToAuthnMethod(Device d)
    {
        DeviceData data = d.Data;
        var metadata = new SortedDictionary<string, MetadataValue>(StringComparer.Ordinal);
        foreach (var e in data.Metadata?.Entries ?? [])
        {
            metadata[e.Key] = e.Value;
        }

        metadata["alias"] = new MetadataValue.String(data.Alias);
        if (data.Origin is not null)
        {
            metadata["origin"] = new MetadataValue.String(data.Origin);
        }

        switch (data.KeyType)
        {
            case KeyType.Platform: metadata["authenticator_attachment"] = new MetadataValue.String("platform"); break;
            case KeyType.CrossPlatform: metadata["authenticator_attachment"] = new MetadataValue.String("cross_platform"); break;
            case KeyType.SeedPhrase: metadata["usage"] = new MetadataValue.String("recovery_phrase"); break;
            case KeyType.BrowserStorageKey: metadata["usage"] = new MetadataValue.String("browser_storage_key"); break;
        }

        return new AuthnMethodData(
            data.Pubkey, data.CredentialId, data.Aaguid, data.Protection, data.Purpose,
            new MetadataMap([.. metadata]), d.LastUsage);
    }
}
