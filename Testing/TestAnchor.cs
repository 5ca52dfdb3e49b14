using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Testing;

/// <summary>An anchor registered in II by <see cref="LocalNetwork.CreateAnchorAsync"/>, with its software device key.</summary>
/// <param name="Number">The anchor (identity) number.</param>
/// <param name="Device">The anchor's one device: an Ed25519 key, as an agent identity (it can call II as the device).</param>
public sealed record TestAnchor(ulong Number, Ed25519Identity Device)
{
    /// <summary>The device's principal (what II sees as the caller when the device signs).</summary>
    public Principal DevicePrincipal => Device.Principal;
}
