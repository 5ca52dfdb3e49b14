using System.Collections.Immutable;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.IdentityCanister.State;

namespace InternetIdentity.IdentityCanister.Core;

/// <summary>The v2 authentication-method API: thin wrappers over the v1 device operations, as in II.</summary>
internal sealed partial class Execution
{
    /// <summary><c>authn_method_add</c>: null on success, else the InvalidMetadata text.</summary>
    public string? AuthnMethodAdd(ulong anchorNumber, AuthnMethodData method)
    {
        Authenticate(anchorNumber, recordActivity: false);
        if (ToDeviceOrMetadataError(method, out DeviceData? device) is { } error)
        {
            return error;
        }

        Add(anchorNumber, device!);
        return null;
    }

    /// <summary>
    /// <c>authn_method_replace</c>: "AuthnMethodNotFound", "PasskeyWithThisPublicKeyIsAlreadyUsed" or an InvalidMetadata
    /// text (prefixed "InvalidMetadata:"); null on success.
    /// </summary>
    public string? AuthnMethodReplace(ulong anchorNumber, ImmutableArray<byte> oldKey, AuthnMethodData method)
    {
        Authenticate(anchorNumber, recordActivity: false);
        if (ToDeviceOrMetadataError(method, out DeviceData? device) is { } error)
        {
            return "InvalidMetadata:" + error;
        }

        Anchor anchor = ReadAnchor(anchorNumber);
        if (!anchor.Devices.Any(d => d.HasKey(oldKey.AsSpan())))
        {
            return "AuthnMethodNotFound";
        }

        if (!oldKey.AsSpan().SequenceEqual(device!.Pubkey.AsSpan()) && anchor.Devices.Any(d => d.HasKey(device.Pubkey.AsSpan())))
        {
            return "PasskeyWithThisPublicKeyIsAlreadyUsed";
        }

        Replace(anchorNumber, oldKey, device);
        return null;
    }

    /// <summary><c>authn_method_metadata_replace</c>: "AuthnMethodNotFound" or "InvalidMetadata:..."; null on success.</summary>
    public string? AuthnMethodMetadataReplace(ulong anchorNumber, ImmutableArray<byte> key, MetadataMap metadata)
    {
        Authenticate(anchorNumber, recordActivity: false);
        Device? existing = ReadAnchor(anchorNumber).Devices.FirstOrDefault(d => d.HasKey(key.AsSpan()));
        if (existing is null)
        {
            return "AuthnMethodNotFound";
        }

        AuthnMethodData method = AuthnMethodConversion.ToAuthnMethod(existing) with { Metadata = metadata };
        if (ToDeviceOrMetadataError(method, out DeviceData? device) is { } error)
        {
            return "InvalidMetadata:" + error;
        }

        Update(anchorNumber, key, device!);
        return null;
    }

    /// <summary><c>authn_method_security_settings_replace</c>: false when the method is not found.</summary>
    public bool AuthnMethodSecuritySettingsReplace(ulong anchorNumber, ImmutableArray<byte> key, DeviceProtection protection, Purpose purpose)
    {
        Authenticate(anchorNumber, recordActivity: false);
        Device? existing = ReadAnchor(anchorNumber).Devices.FirstOrDefault(d => d.HasKey(key.AsSpan()));
        if (existing is null)
        {
            return false;
        }

        Update(anchorNumber, key, existing.Data with { Protection = protection, Purpose = purpose });
        return true;
    }

    /// <summary><c>authn_method_remove</c>: false when the method is not found.</summary>
    public bool AuthnMethodRemove(ulong anchorNumber, ImmutableArray<byte> key)
    {
        Authenticate(anchorNumber, recordActivity: false);
        if (!ReadAnchor(anchorNumber).Devices.Any(d => d.HasKey(key.AsSpan())))
        {
            return false;
        }

        Remove(anchorNumber, key);
        return true;
    }

    /// <summary><c>identity_info</c>: null when the caller is not authorized (Unauthorized).</summary>
    public (Anchor Anchor, RegistrationMode? Mode)? IdentityInfo(ulong anchorNumber)
    {
        if (!State.Anchors.ContainsKey(anchorNumber) || !IsAuthorized(anchorNumber))
        {
            return null;
        }

        Authenticate(anchorNumber, recordActivity: true);
        return (ReadAnchor(anchorNumber), ActiveRegistrationMode(anchorNumber));
    }

    private static string? ToDeviceOrMetadataError(AuthnMethodData method, out DeviceData? device)
    {
        if (!AuthnMethodConversion.TryToDevice(method, out device, out string? error))
        {
            return error;
        }

        if (device!.Metadata is { } md && md.Entries.FirstOrDefault(e => AnchorRules.ReservedMetadataKeys.Contains(e.Key)) is { Key: not null } reserved)
        {
            return $"Metadata key '{reserved.Key}' is reserved and cannot be used.";
        }

        return null;
    }
}
