using System.Collections.Immutable;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.IdentityCanister.Core;

/// <summary>Device management (II's <c>anchor_management.rs</c> over <c>storage/anchor.rs</c>).</summary>
internal sealed partial class Execution
{
    /// <summary><c>add</c>: authenticated; traps "failed to add device: ..." on a broken invariant.</summary>
    public void Add(ulong anchorNumber, DeviceData device)
    {
        Authenticate(anchorNumber, recordActivity: true);
        Anchor anchor = ReadAnchor(anchorNumber);
        if (AddDeviceError(anchor, device) is { } error)
        {
            throw new CanisterTrap($"failed to add device: {error}");
        }

        StoreDevices(anchor, anchor.Devices.Add(new Device(device, null)));
    }

    /// <summary>The error adding <paramref name="device"/> to <paramref name="anchor"/> would give, or null.</summary>
    private static string? AddDeviceError(Anchor anchor, DeviceData device)
    {
        if (anchor.Devices.Any(d => d.HasKey(device.Pubkey.AsSpan())))
        {
            return $"Device with key {AnchorRules.Hex(device.Pubkey)} already exists on this anchor.";
        }

        return AnchorRules.CheckDevice(device)
            ?? AnchorRules.CheckAnchor([.. anchor.Devices.Select(d => d.Data), device], anchor.Metadata);
    }

    /// <summary><c>update</c>: the key may not change; protected devices only by themselves.</summary>
    public void Update(ulong anchorNumber, ImmutableArray<byte> deviceKey, DeviceData device)
    {
        Authenticate(anchorNumber, recordActivity: true);
        Anchor anchor = ReadAnchor(anchorNumber);
        int index = anchor.Devices.IndexOf(anchor.Devices.FirstOrDefault(d => d.HasKey(deviceKey.AsSpan()))!);
        if (index < 0)
        {
            throw new CanisterTrap("Could not find device to update, check device key");
        }

        Device existing = anchor.Devices[index];
        string? error = !device.Pubkey.AsSpan().SequenceEqual(deviceKey.AsSpan())
            ? "Device key cannot be updated."
            : MutationError(existing)
                ?? AnchorRules.CheckDevice(device)
                ?? AnchorRules.CheckAnchor([.. anchor.Devices.Select((d, i) => i == index ? device : d.Data)], anchor.Metadata);
        if (error is not null)
        {
            throw new CanisterTrap($"failed to modify device: {error}");
        }

        StoreDevices(anchor, anchor.Devices.SetItem(index, existing with { Data = device }));
    }

    /// <summary><c>replace</c>: atomically removes the old device and adds the new one.</summary>
    public void Replace(ulong anchorNumber, ImmutableArray<byte> oldKey, DeviceData device)
    {
        Authenticate(anchorNumber, recordActivity: true);
        Anchor anchor = ReadAnchor(anchorNumber);
        Device? existing = anchor.Devices.FirstOrDefault(d => d.HasKey(oldKey.AsSpan()));
        string? error = existing is null ? $"Device with key {AnchorRules.Hex(oldKey)} not found." : MutationError(existing);
        Anchor without = anchor with { Devices = existing is null ? anchor.Devices : anchor.Devices.Remove(existing) };
        error ??= AddDeviceError(without, device);
        if (error is not null)
        {
            throw new CanisterTrap($"failed to replace device: {error}");
        }

        RemoveTempKey(anchorNumber, oldKey.AsSpan());
        UnindexCredential(anchorNumber, existing!.Data);
        StoreDevices(anchor, without.Devices.Add(new Device(device, null)));
    }

    /// <summary><c>remove</c>: even the last device may go; its temp keys go with it.</summary>
    public void Remove(ulong anchorNumber, ImmutableArray<byte> deviceKey)
    {
        Authenticate(anchorNumber, recordActivity: true);
        Anchor anchor = ReadAnchor(anchorNumber);
        Device? existing = anchor.Devices.FirstOrDefault(d => d.HasKey(deviceKey.AsSpan()));
        string? error = existing is null ? $"Device with key {AnchorRules.Hex(deviceKey)} not found." : MutationError(existing);
        if (error is not null)
        {
            throw new CanisterTrap($"failed to remove device: {error}");
        }

        RemoveTempKey(anchorNumber, deviceKey.AsSpan());
        UnindexCredential(anchorNumber, existing!.Data);
        StoreDevices(anchor, anchor.Devices.Remove(existing));
    }

    /// <summary>A protected device may be changed only when the caller is that device.</summary>
    private string? MutationError(Device existing) =>
        existing.Data.Protection == DeviceProtection.Protected && existing.Principal != Caller
            ? $"Device is locked. Must be authenticated with this device to mutate: authorized principal {existing.Principal}, actual principal {Caller}"
            : null;

    /// <summary>Writes the devices (keeping last_usage as recorded by authentication) and indexes credential ids.</summary>
    private void StoreDevices(Anchor anchor, ImmutableArray<Device> devices)
    {
        Anchor current = ReadAnchor(anchor.Number);
        devices = devices.Select(d =>
        {
            Device? now = current.Devices.FirstOrDefault(c => c.HasKey(d.Data.Pubkey.AsSpan()));
            return now is null ? d : d with { LastUsage = now.LastUsage };
        }).ToImmutableArray();
        WriteAnchor(current with { Devices = devices });
        foreach (Device d in devices)
        {
            if (d.Data.CredentialId is { } cred)
            {
                State = State with { CredentialIndex = State.CredentialIndex.SetItem(cred, anchor.Number) };
            }
        }
    }

    private void UnindexCredential(ulong anchorNumber, DeviceData device)
    {
        if (device.CredentialId is { } cred
            && State.CredentialIndex.TryGetValue(cred, out ulong owner) && owner == anchorNumber)
        {
            State = State with { CredentialIndex = State.CredentialIndex.Remove(cred) };
        }
    }

    /// <summary><c>lookup_device_key</c>: the device with this credential id and its anchor.</summary>
    public (ImmutableArray<byte> Pubkey, ulong Anchor)? LookupDeviceKey(ReadOnlySpan<byte> credentialId)
    {
        if (!State.CredentialIndex.TryGetValue(CanisterState.CredentialKey(credentialId), out ulong number)
            || !State.Anchors.TryGetValue(number, out Anchor? anchor))
        {
            return null;
        }

        foreach (Device d in anchor.Devices)
        {
            if (d.Data.CredentialId is { } c && c.AsSpan().SequenceEqual(credentialId))
            {
                return (d.Data.Pubkey, number);
            }
        }

        return null;
    }

    /// <summary>The anchor if it exists (for the unauthenticated queries, which answer empty otherwise).</summary>
    public Anchor? FindAnchor(ulong number) => State.Anchors.TryGetValue(number, out Anchor? a) ? a : null;

    /// <summary><c>get_anchor_info</c>: authenticated, with the registration mode if active.</summary>
    public (Anchor Anchor, RegistrationMode? Mode) GetAnchorInfo(ulong anchorNumber)
    {
        Authenticate(anchorNumber, recordActivity: true);
        return (ReadAnchor(anchorNumber), ActiveRegistrationMode(anchorNumber));
    }

    /// <summary>The caller principal (<c>whoami</c>).</summary>
    public Principal WhoAmI() => Caller;
}
