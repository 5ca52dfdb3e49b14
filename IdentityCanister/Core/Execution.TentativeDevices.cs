using System.Buffers.Binary;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.IdentityCanister.State;

namespace InternetIdentity.IdentityCanister.Core;

/// <summary>Outcome of <c>add_tentative_device</c>.</summary>
internal abstract record AddTentativeDeviceResponse
{
    private AddTentativeDeviceResponse()
    {
    }

    /// <summary><c>added_tentatively</c></summary>
    public sealed record AddedTentatively(string VerificationCode, ulong DeviceRegistrationTimeout) : AddTentativeDeviceResponse;

    /// <summary><c>device_registration_mode_off</c></summary>
    public sealed record DeviceRegistrationModeOff : AddTentativeDeviceResponse;

    /// <summary><c>another_device_tentatively_added</c></summary>
    public sealed record AnotherDeviceTentativelyAdded : AddTentativeDeviceResponse;

    /// <summary><c>passkey_with_this_public_key_is_already_used</c></summary>
    public sealed record PasskeyAlreadyUsed : AddTentativeDeviceResponse;
}

/// <summary>Outcome of <c>verify_tentative_device</c>.</summary>
internal abstract record VerifyTentativeDeviceResponse
{
    private VerifyTentativeDeviceResponse()
    {
    }

    /// <summary><c>verified</c></summary>
    public sealed record Verified : VerifyTentativeDeviceResponse;

    /// <summary><c>wrong_code</c></summary>
    public sealed record WrongCode(byte RetriesLeft) : VerifyTentativeDeviceResponse;

    /// <summary><c>device_registration_mode_off</c></summary>
    public sealed record DeviceRegistrationModeOff : VerifyTentativeDeviceResponse;

    /// <summary><c>no_device_to_verify</c></summary>
    public sealed record NoDeviceToVerify : VerifyTentativeDeviceResponse;
}

/// <summary>Adding a device from another browser (II's <c>tentative_device_registration.rs</c>).</summary>
internal sealed partial class Execution
{
    /// <summary>REGISTRATION_MODE_DURATION: 900 s.</summary>
    public const ulong RegistrationModeDurationNs = 900 * Time.SecondNs;

    /// <summary>MAX_DEVICE_REGISTRATION_ATTEMPTS</summary>
    public const byte MaxDeviceRegistrationAttempts = 3;

    /// <summary>MAX_ANCHORS_IN_REGISTRATION_MODE</summary>
    public const int MaxAnchorsInRegistrationMode = 10_000;

    /// <summary>The anchor's registration mode if it has not expired.</summary>
    public RegistrationMode? ActiveRegistrationMode(ulong anchorNumber) =>
        State.RegistrationModes.TryGetValue(anchorNumber, out RegistrationMode? m) && m.Expiration > Now ? m : null;

    private void PruneRegistrationModes()
    {
        var expired = State.RegistrationModes.Where(kv => kv.Value.Expiration <= Now).Select(kv => kv.Key).ToList();
        if (expired.Count > 0)
        {
            State = State with { RegistrationModes = State.RegistrationModes.RemoveRange(expired) };
        }
    }

    /// <summary><c>enter_device_registration_mode</c>: the expiration (unchanged when already in the mode).</summary>
    public ulong EnterDeviceRegistrationMode(ulong anchorNumber)
    {
        Authenticate(anchorNumber, recordActivity: true);
        PruneRegistrationModes();
        if (ActiveRegistrationMode(anchorNumber) is { } active)
        {
            return active.Expiration;
        }

        if (State.RegistrationModes.Count >= MaxAnchorsInRegistrationMode)
        {
            throw new CanisterTrap("too many anchors in device registration mode");
        }

        ulong expiration = Now + RegistrationModeDurationNs;
        State = State with { RegistrationModes = State.RegistrationModes.SetItem(anchorNumber, new RegistrationMode(expiration, null, null, 0)) };
        return expiration;
    }

    /// <summary><c>exit_device_registration_mode</c></summary>
    public void ExitDeviceRegistrationMode(ulong anchorNumber)
    {
        Authenticate(anchorNumber, recordActivity: true);
        State = State with { RegistrationModes = State.RegistrationModes.Remove(anchorNumber) };
    }

    /// <summary><c>add_tentative_device</c>: callable by anyone while the anchor is in registration mode.</summary>
    public AddTentativeDeviceResponse AddTentativeDevice(ulong anchorNumber, DeviceData device)
    {
        if (AnchorRules.CheckDevice(device) is { } invalid)
        {
            throw new CanisterTrap(invalid);
        }

        if (ActiveRegistrationMode(anchorNumber) is not { } mode)
        {
            return new AddTentativeDeviceResponse.DeviceRegistrationModeOff();
        }

        if (FindAnchor(anchorNumber) is { } anchor && anchor.Devices.Any(d => d.HasKey(device.Pubkey.AsSpan())))
        {
            return new AddTentativeDeviceResponse.PasskeyAlreadyUsed();
        }

        if (mode.TentativeDevice is not null)
        {
            return new AddTentativeDeviceResponse.AnotherDeviceTentativelyAdded();
        }

        uint r = BinaryPrimitives.ReadUInt32BigEndian(Context.Randomness.Span);
        string code = (r % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        State = State with
        {
            RegistrationModes = State.RegistrationModes.SetItem(anchorNumber, mode with { TentativeDevice = device, VerificationCode = code, FailedAttempts = 0 }),
        };
        return new AddTentativeDeviceResponse.AddedTentatively(code, mode.Expiration);
    }

    /// <summary><c>verify_tentative_device</c>: authenticated; three wrong codes end the mode.</summary>
    public VerifyTentativeDeviceResponse VerifyTentativeDevice(ulong anchorNumber, string code)
    {
        Authenticate(anchorNumber, recordActivity: true);
        if (ActiveRegistrationMode(anchorNumber) is not { } mode)
        {
            return new VerifyTentativeDeviceResponse.DeviceRegistrationModeOff();
        }

        if (mode.TentativeDevice is null)
        {
            return new VerifyTentativeDeviceResponse.NoDeviceToVerify();
        }

        if (code == mode.VerificationCode)
        {
            State = State with { RegistrationModes = State.RegistrationModes.Remove(anchorNumber) };
            Anchor anchor = ReadAnchor(anchorNumber);
            if (AddDeviceError(anchor, mode.TentativeDevice) is { } error)
            {
                throw new CanisterTrap($"failed to add device: {error}");
            }

            StoreDevices(anchor, anchor.Devices.Add(new Device(mode.TentativeDevice, null)));
            return new VerifyTentativeDeviceResponse.Verified();
        }

        byte failed = (byte)(mode.FailedAttempts + 1);
        State = failed >= MaxDeviceRegistrationAttempts
            ? State with { RegistrationModes = State.RegistrationModes.Remove(anchorNumber) }
            : State with { RegistrationModes = State.RegistrationModes.SetItem(anchorNumber, mode with { FailedAttempts = failed }) };
        return new VerifyTentativeDeviceResponse.WrongCode((byte)(MaxDeviceRegistrationAttempts - failed));
    }
}
