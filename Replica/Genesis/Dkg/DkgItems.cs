using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using InternetIdentity.Protocol.Signatures;
using NSec.Cryptography;

namespace InternetIdentity.Replica.Genesis.Dkg;

/// <summary>A participant's node key and the X25519 key its shares are encrypted to.</summary>
/// <param name="Index">Its index.</param>
/// <param name="NodeKey">Its DER Ed25519 node key (hex).</param>
/// <param name="AgreementKey">Its raw X25519 public key for this run (hex).</param>
internal sealed record DkgHello(int Index, string NodeKey, string AgreementKey);

/// <summary>A dealer's two dealings: public coefficients, and each receiver's shares (certification then beacon) encrypted to it.</summary>
/// <param name="Dealer">The dealer's index.</param>
/// <param name="Certification">Public coefficients of the certification dealing (hex).</param>
/// <param name="Beacon">Public coefficients of the beacon dealing (hex).</param>
/// <param name="Shares">By receiver index: the encrypted pair of shares (hex).</param>
internal sealed record DkgDealing(int Dealer, string Certification, string Beacon, IReadOnlyList<string> Shares);

/// <summary>What a participant saw: the SHA-256 of each dealer's dealing item, and the dealers whose shares for it failed.</summary>
/// <param name="Index">The participant's index.</param>
/// <param name="Dealings">By dealer: the hash of the dealing payload it received (hex).</param>
/// <param name="Complaints">Dealers whose share for this participant did not decrypt or failed the Feldman check.</param>
internal sealed record DkgView(int Index, IReadOnlyList<string> Dealings, IReadOnlyList<int> Complaints);

/// <summary>The joint public keys a participant computed (every participant must compute the same).</summary>
/// <param name="Index">The participant's index.</param>
/// <param name="Certification">Joint certification public coefficients (hex).</param>
/// <param name="Beacon">Joint beacon public coefficients (hex).</param>
/// <param name="Qualified">The dealers whose dealings were summed.</param>
internal sealed record DkgResultItem(int Index, string Certification, string Beacon, IReadOnlyList<int> Qualified);

/// <summary>
/// Signed DKG items: <c>[payload length][payload JSON][Ed25519 signature]</c>, the signature by the participant's node key
/// over the domain separator, the session id, the item's name and the payload, so no item counts in another session or as
/// another item.
/// </summary>
internal static class DkgItems
{
    private const string Domain = "iinet-dkg-item-v1";

    public static byte[] Sign<T>(NodeKey key, byte[] session, string name, T payload)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(payload);
        byte[] signature = key.Sign(Signed(session, name, json));
        byte[] item = new byte[4 + json.Length + signature.Length];
        BinaryPrimitives.WriteInt32BigEndian(item, json.Length);
        json.CopyTo(item, 4);
        signature.CopyTo(item, 4 + json.Length);
        return item;
    }

    /// <summary>The payload of an item signed by <paramref name="nodeKeyDer"/>; throws <see cref="DkgException"/> naming <paramref name="from"/>.</summary>
    public static T Open<T>(byte[] item, byte[] nodeKeyDer, byte[] session, string name, string from, out byte[] json)
    {
        int length = item.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(item) : -1;
        if (length < 0 || item.Length != 4 + length + 64)
        {
            throw new DkgException($"{from} sent a malformed '{name}'");
        }

        json = item[4..(4 + length)];
        if (!DerPublicKey.TryParse(nodeKeyDer, out DerPublicKey? der, out _)
            || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, der!.Key, KeyBlobFormat.RawPublicKey, out PublicKey? key)
            || !SignatureAlgorithm.Ed25519.Verify(key!, Signed(session, name, json), item.AsSpan(4 + length)))
        {
            throw new DkgException($"{from}'s '{name}' is not signed by its node key");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json) ?? throw new DkgException($"{from} sent an empty '{name}'");
        }
        catch (JsonException e)
        {
            throw new DkgException($"{from} sent a malformed '{name}': {e.Message}", e);
        }
    }

    /// <summary>The payload of a hello without checking the signature (the key to check it with is inside; see <see cref="Open"/>).</summary>
    public static DkgHello PeekHello(byte[] item, string from)
    {
        int length = item.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(item) : -1;
        if (length < 0 || item.Length != 4 + length + 64)
        {
            throw new DkgException($"{from} sent a malformed 'hello'");
        }

        try
        {
            return JsonSerializer.Deserialize<DkgHello>(item.AsSpan(4, length)) ?? throw new DkgException($"{from} sent an empty 'hello'");
        }
        catch (JsonException e)
        {
            throw new DkgException($"{from} sent a malformed 'hello': {e.Message}", e);
        }
    }

    private static byte[] Signed(byte[] session, string name, byte[] json)
    {
        byte[] domain = Encoding.ASCII.GetBytes(Domain);
        byte[] label = Encoding.ASCII.GetBytes(name);
        return [(byte)domain.Length, .. domain, .. session, (byte)label.Length, .. label, .. json];
    }
}
