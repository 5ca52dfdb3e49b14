using InternetIdentity.Protocol.HttpCertification;
using System.Collections.Immutable;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.IdentityCanister.Core;

/// <summary>
/// One call's execution: it starts from the committed state and builds a new one; the canister keeps the result only
/// if the call returns without trapping (<see cref="CanisterTrap"/>).
/// </summary>
internal sealed partial class Execution(CanisterState state, CallContext context, Principal canisterId, CertifiedAssets assets)
{
    /// <summary>The state as changed so far.</summary>
    public CanisterState State { get; private set; } = state;

    /// <summary>The call context.</summary>
    public CallContext Context { get; } = context;

    /// <summary>This canister's id.</summary>
    public Principal CanisterId { get; } = canisterId;

    /// <summary>The certified web frontend the canister serves (its root is part of the certified data).</summary>
    public CertifiedAssets Assets { get; } = assets;

    private ulong Now => Context.Time;

    private Principal Caller => Context.Caller;

    /// <summary>Reads an anchor; traps like II's <c>state::anchor</c> when there is none.</summary>
    public Anchor ReadAnchor(ulong number) =>
        TryReadAnchor(number, out Anchor? anchor, out string? error) ? anchor! : throw new CanisterTrap($"failed to read device data of user {number}: {error}");

    /// <summary>Reads an anchor, or says why not (II's storage errors).</summary>
    public bool TryReadAnchor(ulong number, out Anchor? anchor, out string? error)
    {
        CanisterConfig c = State.Config;
        if (number < c.RangeLo || number >= c.RangeHi)
        {
            (anchor, error) = (null, $"Identity Anchor {number} is out of range [{c.RangeLo}, {c.RangeHi})");
            return false;
        }

        if (!State.Anchors.TryGetValue(number, out anchor))
        {
            error = $"bad Identity Anchor {number}";
            return false;
        }

        error = null;
        return true;
    }

    private void WriteAnchor(Anchor anchor) => State = State with { Anchors = State.Anchors.SetItem(anchor.Number, anchor) };

    /// <summary>
    /// II's <c>check_authorization</c>: the caller must be one of the anchor's devices or a valid temporary key for one
    /// of them. Returns the authenticating device's key. With <paramref name="recordActivity"/>, sets its last_usage.
    /// </summary>
    public ImmutableArray<byte> Authenticate(ulong anchorNumber, bool recordActivity)
    {
        Anchor anchor = ReadAnchor(anchorNumber);
        ImmutableArray<byte>? key = null;
        foreach (Device d in anchor.Devices)
        {
            if (d.Principal == Caller)
            {
                key = d.Data.Pubkey;
                break;
            }
        }

        if (key is null)
        {
            foreach (Device d in anchor.Devices)
            {
                if (State.TempKeys.TryGetValue(CanisterState.TempKeyId(anchorNumber, d.Data.Pubkey.AsSpan()), out TempKey? t)
                    && t.ExpiresAt > Now && Caller.Bytes.SequenceEqual(t.Principal))
                {
                    key = d.Data.Pubkey;
                    break;
                }
            }
        }

        if (key is null)
        {
            throw new CanisterTrap($"{Caller} could not be authenticated.");
        }

        if (recordActivity)
        {
            ImmutableArray<byte> k = key.Value;
            WriteAnchor(anchor with
            {
                Devices = anchor.Devices.Select(d => d.HasKey(k.AsSpan()) ? d with { LastUsage = Now } : d).ToImmutableArray(),
            });
        }

        return key.Value;
    }

    /// <summary>True when the caller authenticates for the anchor (no trap, no bookkeeping).</summary>
    public bool IsAuthorized(ulong anchorNumber)
    {
        try
        {
            Authenticate(anchorNumber, recordActivity: false);
            return true;
        }
        catch (CanisterTrap)
        {
            return false;
        }
    }

    /// <summary>Adds a temporary key for (anchor, device).</summary>
    private void AddTempKey(ulong anchor, ImmutableArray<byte> devicePubkey, Principal principal)
    {
        PruneTempKeys();
        State = State with
        {
            TempKeys = State.TempKeys.SetItem(
                CanisterState.TempKeyId(anchor, devicePubkey.AsSpan()), new TempKey(principal.ToArray(), Now + TempKeyExpirationNs)),
        };
    }

    /// <summary>TEMP_KEY_EXPIRATION_NS: 10 minutes.</summary>
    public const ulong TempKeyExpirationNs = 10 * Time.MinuteNs;

    private void PruneTempKeys()
    {
        var expired = State.TempKeys.Where(kv => kv.Value.ExpiresAt <= Now).Select(kv => kv.Key).ToList();
        if (expired.Count > 0)
        {
            State = State with { TempKeys = State.TempKeys.RemoveRange(expired) };
        }
    }

    private void RemoveTempKey(ulong anchor, ReadOnlySpan<byte> devicePubkey) =>
        State = State with { TempKeys = State.TempKeys.Remove(CanisterState.TempKeyId(anchor, devicePubkey)) };
}
