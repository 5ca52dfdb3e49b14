using InternetIdentity.Protocol.Envelopes;

namespace InternetIdentity.Agent.Identities;

/// <summary>
/// A session key acting through a delegation chain (agent-js <c>DelegationIdentity</c>): the sender is the chain's
/// principal, <c>sender_pubkey</c> the chain's public key, <c>sender_delegation</c> its delegations, and the session key signs.
/// </summary>
public sealed class DelegationIdentity : SignIdentity
{
    /// <summary>Creates the identity; the chain's last delegation must name <paramref name="sessionKey"/>'s public key.</summary>
    public DelegationIdentity(SignIdentity sessionKey, DelegationChain chain)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        ArgumentNullException.ThrowIfNull(chain);
        if (!chain.Delegations[^1].Delegation.PublicKey.AsSpan().SequenceEqual(sessionKey.PublicKeyDer))
        {
            throw new ArgumentException("the delegation chain does not delegate to the session key", nameof(chain));
        }

        SessionKey = sessionKey;
        Chain = chain;
    }

    /// <summary>The key that signs requests.</summary>
    public SignIdentity SessionKey { get; }

    /// <summary>The delegation chain.</summary>
    public DelegationChain Chain { get; }

    /// <inheritdoc/>
    public override byte[] PublicKeyDer => Chain.PublicKey;

    /// <inheritdoc/>
    public override byte[] Sign(ReadOnlySpan<byte> message) => SessionKey.Sign(message);

    /// <inheritdoc/>
    public override Envelope CreateEnvelope(RequestContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new Envelope(content, Chain.PublicKey, Sign(content.ComputeRequestId().SignedMessage()), Chain.Delegations);
    }
}
