namespace InternetIdentity.SubnetLoad;

/// <summary>One simulated user: an Ed25519 device key registered as an II anchor, and a session key to delegate to.</summary>
internal sealed class LoadClient
{
    private LoadClient(Ed25519Sender device, ulong anchor)
    {
        Device = device;
        Anchor = anchor;
    }

    public Ed25519Sender Device { get; }

    public ulong Anchor { get; }

    /// <summary>The session key of the dapp delegations (a fresh Ed25519 key, as @dfinity/auth-client makes).</summary>
    public byte[] SessionKey { get; } = SessionPublicKey();

    private static byte[] SessionPublicKey()
    {
        using var session = new Ed25519Sender();
        return session.PublicKeyDer;
    }

    /// <summary>Registers a new anchor through II's <c>register</c> (verifying the certificate) and returns its client.</summary>
    public static async Task<LoadClient> RegisterAsync(IcHttpClient ic, byte[] rootKey, CancellationToken ct)
    {
        var device = new Ed25519Sender();
        UpdateOutcome outcome = await ic.CallAsync(device, IiInterface.CanisterId, "register", IiInterface.RegisterArg(device.PublicKeyDer), ct)
            .ConfigureAwait(false);
        IcHttpClient.Verify(outcome.Certificate, rootKey, IiInterface.CanisterId);
        if (outcome.Reply is null)
        {
            throw new LoadException("register was rejected: " + outcome.Reject);
        }

        return new LoadClient(device, IiInterface.DecodeRegistered(outcome.Reply));
    }

    /// <summary>One <c>prepare_delegation</c> through the synchronous call; checks the reply decodes (and the certificate, when asked).</summary>
    public async Task PrepareDelegationAsync(IcHttpClient ic, byte[]? verifyWithRootKey, CancellationToken ct)
    {
        UpdateOutcome outcome = await ic.CallAsync(Device, IiInterface.CanisterId, "prepare_delegation",
            IiInterface.PrepareDelegationArg(Anchor, SessionKey), ct).ConfigureAwait(false);
        if (verifyWithRootKey is not null)
        {
            IcHttpClient.Verify(outcome.Certificate, verifyWithRootKey, IiInterface.CanisterId);
        }

        if (outcome.Reply is null)
        {
            throw new LoadException($"prepare_delegation for anchor {Anchor} was rejected: {outcome.Reject}");
        }

        IiInterface.DecodePreparedDelegation(outcome.Reply);
    }

    /// <summary>One signed <c>get_principal</c> query; checks the reply decodes to a self-authenticating principal.</summary>
    public async Task GetPrincipalAsync(IcHttpClient ic, CancellationToken ct)
    {
        byte[] reply = await ic.QueryAsync(Device, IiInterface.CanisterId, "get_principal", IiInterface.GetPrincipalArg(Anchor), ct).ConfigureAwait(false);
        var principal = IiInterface.DecodePrincipal(reply);
        if (principal.Bytes.Length != 29 || principal.Bytes[^1] != 0x02)
        {
            throw new LoadException($"get_principal for anchor {Anchor} returned {principal}, not a self-authenticating principal");
        }
    }
}
