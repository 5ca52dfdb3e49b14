using System.Buffers.Binary;
using NSec.Cryptography;

namespace InternetIdentity.Replica.Genesis.Dkg;

/// <summary>
/// Encrypts a dealer's secret shares for one receiver, so a dealing can be published to every peer while only its
/// receiver reads its share: X25519 between the dealer's and the receiver's agreement keys (from their signed hellos),
/// HKDF-SHA-256 bound to the session, dealer and receiver, then ChaCha20-Poly1305 (one message per key, so a zero nonce).
/// </summary>
internal static class ShareBox
{
    private static readonly AeadAlgorithm Aead = AeadAlgorithm.ChaCha20Poly1305;

    /// <summary>A fresh agreement key for this run (never stored).</summary>
    public static Key CreateAgreementKey() => Key.Create(KeyAgreementAlgorithm.X25519);

    /// <summary>Encrypts <paramref name="plaintext"/> from dealer <paramref name="dealer"/> to receiver <paramref name="receiver"/>.</summary>
    public static byte[] Seal(Key mine, byte[] theirs, byte[] session, int dealer, int receiver, byte[] plaintext)
    {
        using Key key = DeriveKey(mine, theirs, session, dealer, receiver);
        return Aead.Encrypt(key, new byte[Aead.NonceSize], session, plaintext);
    }

    /// <summary>Decrypts what <see cref="Seal"/> made, or returns null when it was not made for this receiver or was altered.</summary>
    public static byte[]? Open(Key mine, byte[] theirs, byte[] session, int dealer, int receiver, byte[] ciphertext)
    {
        using Key key = DeriveKey(mine, theirs, session, dealer, receiver);
        return Aead.Decrypt(key, new byte[Aead.NonceSize], session, ciphertext);
    }

    private static Key DeriveKey(Key mine, byte[] theirs, byte[] session, int dealer, int receiver)
    {
        if (!PublicKey.TryImport(KeyAgreementAlgorithm.X25519, theirs, KeyBlobFormat.RawPublicKey, out PublicKey? publicKey))
        {
            throw new DkgException("a peer's agreement key is not an X25519 public key");
        }

        using SharedSecret shared = KeyAgreementAlgorithm.X25519.Agree(mine, publicKey!)
            ?? throw new DkgException("a peer's agreement key is a low-order point");
        byte[] info = new byte["iinet-dkg-share".Length + 8];
        "iinet-dkg-share"u8.CopyTo(info);
        BinaryPrimitives.WriteInt32BigEndian(info.AsSpan(info.Length - 8), dealer);
        BinaryPrimitives.WriteInt32BigEndian(info.AsSpan(info.Length - 4), receiver);
        return KeyDerivationAlgorithm.HkdfSha256.DeriveKey(shared, session, info, Aead);
    }
}
