using System.Security.Cryptography;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.SubnetLoad;

/// <summary>A load client's identity: a fresh Ed25519 key whose self-authenticating principal signs its envelopes.</summary>
internal sealed class Ed25519Sender
{
    private readonly byte[] _seed = RandomNumberGenerator.GetBytes(32);

    public Ed25519Sender()
    {
        PublicKeyDer = DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(_seed));
        Principal = Principal.SelfAuthenticating(PublicKeyDer);
    }

    /// <summary>The DER public key (what II stores as the device key).</summary>
    public byte[] PublicKeyDer { get; }

    /// <summary>The self-authenticating principal of the key.</summary>
    public Principal Principal { get; }

    /// <summary>The CBOR envelope of <paramref name="content"/>, signed over its request id.</summary>
    public byte[] Sign(RequestContent content) =>
        new Envelope(content, PublicKeyDer, Ed25519Signatures.Sign(_seed, content.ComputeRequestId().SignedMessage())).Encode();
}
