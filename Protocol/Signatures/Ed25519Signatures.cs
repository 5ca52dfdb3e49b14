using NSec.Cryptography;

namespace InternetIdentity.Protocol.Signatures;

/// <summary>
/// Ed25519 (RFC 8032) through NSec/libsodium: verification of sender and node signatures, and deterministic signing
/// from a 32-byte seed (the caller supplies the seed; this library draws no randomness).
/// </summary>
public static class Ed25519Signatures
{
    /// <summary>Verifies a 64-byte signature under a 32-byte raw public key; false for malformed keys or signatures.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey32.Length != 32 || signature.Length != 64)
        {
            return false;
        }

        return PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey32, KeyBlobFormat.RawPublicKey, out PublicKey? key)
            && SignatureAlgorithm.Ed25519.Verify(key!, message, signature);
    }

    /// <summary>The 32-byte public key of a 32-byte secret seed.</summary>
    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed32)
    {
        using Key key = Import(seed32);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>Signs a message with the key of a 32-byte secret seed (Ed25519 is deterministic).</summary>
    public static byte[] Sign(ReadOnlySpan<byte> seed32, ReadOnlySpan<byte> message)
    {
        using Key key = Import(seed32);
        return SignatureAlgorithm.Ed25519.Sign(key, message);
    }

    internal static Key Import(ReadOnlySpan<byte> seed32)
    {
        if (seed32.Length != 32)
        {
            throw new ArgumentException("an Ed25519 secret seed has 32 bytes", nameof(seed32));
        }

        return Key.Import(SignatureAlgorithm.Ed25519, seed32, KeyBlobFormat.RawPrivateKey);
    }
}
