using System.Security.Cryptography;
using System.Text.Json;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Agent.Identities;

/// <summary>An Ed25519 key pair (agent-js <c>Ed25519KeyIdentity</c>, dfx's Ed25519 identities).</summary>
public sealed class Ed25519Identity : SignIdentity
{
    private readonly byte[] _seed;

    // Imported once: a test that signs thousands of calls would otherwise derive the public key for every signature.
    private readonly Ed25519SigningKey _key;

    private Ed25519Identity(byte[] seed)
    {
        _seed = seed;
        _key = Ed25519SigningKey.FromSeed(seed);
        RawPublicKey = _key.PublicKey;
        PublicKeyDer = DerPublicKey.EncodeEd25519(RawPublicKey);
    }

    /// <summary>The 32-byte raw public key.</summary>
    public byte[] RawPublicKey { get; }

    /// <inheritdoc/>
    public override byte[] PublicKeyDer { get; }

    /// <summary>A fresh key from the system's random number generator.</summary>
    public static Ed25519Identity Generate() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key of a 32-byte secret seed (agent-js <c>Ed25519KeyIdentity.generate(seed)</c>).</summary>
    public static Ed25519Identity FromSeed(ReadOnlySpan<byte> seed32) =>
        seed32.Length == 32 ? new(seed32.ToArray()) : throw new ArgumentException("an Ed25519 seed has 32 bytes", nameof(seed32));

    /// <summary>Reads a PKCS#8 <c>PRIVATE KEY</c> PEM; throws <see cref="IdentityFormatException"/>.</summary>
    public static Ed25519Identity FromPem(string pem)
    {
        (PrivateKeyKind kind, byte[] secret) = PrivateKeyPem.Read(pem);
        return kind == PrivateKeyKind.Ed25519 ? new(secret) : throw new IdentityFormatException($"the PEM holds a {kind} key, not Ed25519");
    }

    /// <summary>
    /// Reads agent-js <c>Ed25519KeyIdentity.toJSON()</c>: <c>["&lt;DER public key hex&gt;", "&lt;secret key hex&gt;"]</c>
    /// (the 32-byte seed, or the 64-byte seed || public key of older versions); throws <see cref="IdentityFormatException"/>.
    /// </summary>
    public static Ed25519Identity FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        string[]? parts;
        try
        {
            parts = JsonSerializer.Deserialize<string[]>(json);
        }
        catch (JsonException e)
        {
            throw new IdentityFormatException("Ed25519 identity JSON is not an array of two hex strings", e);
        }

        if (parts is not { Length: 2 })
        {
            throw new IdentityFormatException("Ed25519 identity JSON must be an array of two hex strings");
        }

        byte[] der = Hex.Decode(parts[0], "public key");
        byte[] secret = Hex.Decode(parts[1], "secret key");
        if (secret.Length is not (32 or 64))
        {
            throw new IdentityFormatException($"Ed25519 secret key has {secret.Length} bytes, expected 32 (or 64)");
        }

        var identity = new Ed25519Identity(secret[..32]);
        return identity.PublicKeyDer.AsSpan().SequenceEqual(der)
            ? identity
            : throw new IdentityFormatException("the public key in the JSON does not belong to its secret key");
    }

    /// <summary>The 32-byte secret seed.</summary>
    public byte[] ExportSeed() => (byte[])_seed.Clone();

    /// <summary>PKCS#8 v1 <c>PRIVATE KEY</c> PEM.</summary>
    public string ToPem() => PrivateKeyPem.WriteEd25519(_seed);

    /// <summary>agent-js <c>Ed25519KeyIdentity.toJSON()</c>: <c>[DER public key hex, seed hex]</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(new[] { Convert.ToHexStringLower(PublicKeyDer), Convert.ToHexStringLower(_seed) });

    /// <inheritdoc/>
    public override byte[] Sign(ReadOnlySpan<byte> message) => _key.Sign(message);
}
