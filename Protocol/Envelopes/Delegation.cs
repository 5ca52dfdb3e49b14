using System.Formats.Cbor;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.ThresholdSigning.Hashing;
using static InternetIdentity.Protocol.RequestIds.RepresentationIndependentHash;

namespace InternetIdentity.Protocol.Envelopes;

/// <summary>A user delegation: the key it delegates to, its expiry, and optionally the canisters it is limited to.</summary>
public sealed record Delegation(byte[] PublicKey, ulong Expiration, IReadOnlyList<Principal>? Targets = null)
{
    // SHA-256 of the two field names, and their order in hash_of_map (pairs are sorted by key hash).
    private static readonly byte[] s_pubkeyKeyHash = Sha256.HashData("pubkey"u8);
    private static readonly byte[] s_expirationKeyHash = Sha256.HashData("expiration"u8);
    private static readonly bool s_pubkeyFirst = s_pubkeyKeyHash.AsSpan().SequenceCompareTo(s_expirationKeyHash) < 0;

    /// <summary>hash_of_map of <c>{pubkey, expiration, targets?}</c>.</summary>
    public byte[] Hash()
    {
        if (Targets is null)
        {
            return HashWithoutTargets();
        }

        var fields = new List<KeyValuePair<string, byte[]>> { new("pubkey", Blob(PublicKey)), new("expiration", Nat(Expiration)) };
        if (Targets is not null)
        {
            fields.Add(new("targets", RepresentationIndependentHash.Array(Targets.Select(t => Blob(t.Bytes)))));
        }

        return Map(fields);
    }

    // The common case (every Internet Identity delegation) without lists or allocations beyond the result:
    // hash(key hash || value hash, sorted by key hash) over the two pairs.
    private byte[] HashWithoutTargets()
    {
        Span<byte> pairs = stackalloc byte[128];
        Span<byte> leb = stackalloc byte[10];
        int pubkeyAt = s_pubkeyFirst ? 0 : 64, expirationAt = s_pubkeyFirst ? 64 : 0;
        s_pubkeyKeyHash.CopyTo(pairs[pubkeyAt..]);
        Sha256.HashData(PublicKey, pairs[(pubkeyAt + 32)..]);
        s_expirationKeyHash.CopyTo(pairs[expirationAt..]);
        Sha256.HashData(leb[..Leb128.WriteUnsigned(Expiration, leb)], pairs[(expirationAt + 32)..]);
        return Sha256.HashData(pairs);
    }

    /// <summary>The bytes the delegating key signs: <c>\x1Aic-request-auth-delegation</c> || hash.</summary>
    public byte[] SignedMessage() => DomainSeparators.Prefix(DomainSeparators.RequestAuthDelegation, Hash());

    /// <summary>Writes the delegation map.</summary>
    public void Write(CborWriter writer)
    {
        writer.WriteStartMap(Targets is null ? 2 : 3);
        writer.WriteTextString("pubkey");
        writer.WriteByteString(PublicKey);
        writer.WriteTextString("expiration");
        writer.WriteUInt64(Expiration);
        if (Targets is not null)
        {
            writer.WriteTextString("targets");
            writer.WriteStartArray(Targets.Count);
            foreach (Principal t in Targets)
            {
                writer.WriteByteString(t.Bytes);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndMap();
    }

    /// <summary>Reads a delegation map.</summary>
    public static Delegation Read(CborReader reader)
    {
        byte[]? pubkey = null;
        ulong? expiration = null;
        List<Principal>? targets = null;
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "pubkey": pubkey = IcCbor.ReadBlob(reader); break;
                case "expiration": expiration = IcCbor.ReadNat64(reader); break;
                case "targets":
                    targets = [];
                    IcCbor.ReadArray(reader, () => targets.Add(Principal.TryFromBytes(IcCbor.ReadBlob(reader), out Principal p)
                        ? p : throw new CborFormatException("delegation target is longer than 29 bytes")));
                    break;
                default: IcCbor.SkipValue(reader); break;
            }
        });
        return pubkey is null || expiration is null
            ? throw new CborFormatException("a delegation needs pubkey and expiration")
            : new Delegation(pubkey, expiration.Value, targets);
    }
}

/// <summary>A delegation with the signature of the delegating key.</summary>
public sealed record SignedDelegation(Delegation Delegation, byte[] Signature)
{
    /// <summary>Writes <c>{delegation, signature}</c>.</summary>
    public void Write(CborWriter writer)
    {
        writer.WriteStartMap(2);
        writer.WriteTextString("delegation");
        Delegation.Write(writer);
        writer.WriteTextString("signature");
        writer.WriteByteString(Signature);
        writer.WriteEndMap();
    }

    /// <summary>Reads <c>{delegation, signature}</c>.</summary>
    public static SignedDelegation Read(CborReader reader)
    {
        Delegation? delegation = null;
        byte[]? signature = null;
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "delegation": delegation = Delegation.Read(reader); break;
                case "signature": signature = IcCbor.ReadBlob(reader); break;
                default: IcCbor.SkipValue(reader); break;
            }
        });
        return delegation is null || signature is null
            ? throw new CborFormatException("a signed delegation needs delegation and signature")
            : new SignedDelegation(delegation, signature);
    }
}
