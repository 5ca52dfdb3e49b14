using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Replica.Genesis;

/// <summary>A replica's Ed25519 node key: signs query responses; its self-authenticating id is the node id.</summary>
public sealed class NodeKey : IDisposable
{
    private readonly byte[] _seed;
    private readonly Ed25519SigningKey _key;

    /// <summary>The key of a 32-byte secret seed.</summary>
    public NodeKey(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32)
        {
            throw new ArgumentException($"an Ed25519 node key seed has 32 bytes, not {seed.Length}", nameof(seed));
        }

        _seed = seed.ToArray();
        _key = Ed25519SigningKey.FromSeed(seed);
        PublicKey = _key.PublicKey;
        PublicKeyDer = DerPublicKey.EncodeEd25519(PublicKey);
        NodeId = Principal.SelfAuthenticating(PublicKeyDer);
    }

    /// <summary>The 32-byte raw public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>The 44-byte DER public key (published under <c>/subnet/&lt;sid&gt;/node/&lt;nid&gt;/public_key</c>).</summary>
    public byte[] PublicKeyDer { get; }

    /// <summary>The node id: the self-authenticating principal of the DER key.</summary>
    public Principal NodeId { get; }

    /// <summary>The secret seed (for the node's configuration file only).</summary>
    public ReadOnlySpan<byte> Seed => _seed;

    /// <summary>Signs a message (domain separator included by the caller).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => _key.Sign(message);

    /// <summary>Wipes the key.</summary>
    public void Dispose()
    {
        Array.Clear(_seed);
        _key.Dispose();
    }
}
