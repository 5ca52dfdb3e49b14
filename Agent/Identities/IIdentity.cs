using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Agent.Identities;

/// <summary>Who sends a request: its principal, and how it turns a request content into an envelope.</summary>
public interface IIdentity
{
    /// <summary>The sender principal of requests made with this identity.</summary>
    Principal Principal { get; }

    /// <summary>The envelope of <paramref name="content"/> (whose sender must be <see cref="Principal"/>), signed if the identity signs.</summary>
    Envelope CreateEnvelope(RequestContent content);
}
