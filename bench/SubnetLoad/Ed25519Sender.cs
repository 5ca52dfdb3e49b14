using System.Security.Cryptography;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;
using NSec.Cryptography;

namespace InternetIdentity.SubnetLoad;

/// <summary>
/// A load client's identity: a fresh Ed25519 key whose self-authenticating principal signs its envelopes. The key is
/// imported once (signing through Protocol's seed-based helper would derive it again for every request, and the
/// client's CPU competes with the subnet's on this machine).
/// </summary>
internal sealed class Ed25519Sender : IDisposable
{
    private readonly Key _key = Key.Import(SignatureAlgorithm.Ed25519, RandomNumberGenerator.GetBytes(32), KeyBlobFormat.RawPrivateKey);

    public Ed25519Sender()
    {
        PublicKeyDer = DerPublicKey.EncodeEd25519(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        Principal = Principal.SelfAuthenticating(PublicKeyDer);
    }

    /// <summary>The DER public key (what II stores as the device key).</summary>
    public byte[] PublicKeyDer { get; }

    /// <summary>The self-authenticating principal of the key.</summary>
    public Principal Principal { get; }

    /// <summary>The CBOR envelope of <paramref name="content"/>, signed over its request id.</summary>
    public byte[] Sign(RequestContent content) =>
        new Envelope(content, PublicKeyDer, SignatureAlgorithm.Ed25519.Sign(_key, content.ComputeRequestId().SignedMessage())).Encode();

    public void Dispose() => _key.Dispose();
}
