using NSec.Cryptography;

namespace InternetIdentity.Protocol.Signatures;

/// <summary>
/// An Ed25519 secret key imported once from its 32-byte seed, for a signer that signs many messages: importing derives
/// the public key (a scalar multiplication), which made <see cref="Ed25519Signatures.Sign"/> cost about 2.6 times a
/// signature with a held key (36 µs against 14 µs on the development machine).
/// </summary>
public sealed class Ed25519SigningKey : IDisposable
{
    private readonly Key _key;

    private Ed25519SigningKey(Key key)
    {
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The raw 32-byte public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>Imports the key of a 32-byte secret seed.</summary>
    /// <exception cref="ArgumentException">the seed is not 32 bytes.</exception>
    public static Ed25519SigningKey FromSeed(ReadOnlySpan<byte> seed32) => new(Ed25519Signatures.Import(seed32));

    /// <summary>The 64-byte signature of <paramref name="message"/> (deterministic, as Ed25519 is).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    /// <summary>Releases the key's memory.</summary>
    public void Dispose() => _key.Dispose();
}
