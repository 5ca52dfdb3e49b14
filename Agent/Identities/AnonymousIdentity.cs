using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Agent.Identities;

/// <summary>The anonymous sender <c>2vxsx-fae</c>: envelopes carry no key and no signature.</summary>
public sealed class AnonymousIdentity : IIdentity
{
    /// <summary>The one instance.</summary>
    public static AnonymousIdentity Instance { get; } = new();

    private AnonymousIdentity()
    {
    }

    /// <inheritdoc/>
    public Principal Principal => Principal.Anonymous;

    /// <inheritdoc/>
    public Envelope CreateEnvelope(RequestContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new Envelope(content);
    }
}
