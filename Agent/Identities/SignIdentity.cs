using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Agent.Identities;

/// <summary>An identity with a key pair: the sender is self_authenticating(DER public key) and signs the request id.</summary>
public abstract class SignIdentity : IIdentity
{
    private Principal? _principal;

    /// <summary>The DER public key that goes into <c>sender_pubkey</c>.</summary>
    public abstract byte[] PublicKeyDer { get; }

    /// <summary>The signature of <paramref name="message"/> (domain separator included) in the scheme's IC encoding.</summary>
    public abstract byte[] Sign(ReadOnlySpan<byte> message);

    /// <inheritdoc/>
    public Principal Principal => _principal ??= Principal.SelfAuthenticating(PublicKeyDer);

    /// <inheritdoc/>
    public virtual Envelope CreateEnvelope(RequestContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new Envelope(content, PublicKeyDer, Sign(content.ComputeRequestId().SignedMessage()));
    }
}
