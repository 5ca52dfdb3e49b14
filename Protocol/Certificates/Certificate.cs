using System.Formats.Cbor;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.Protocol.Certificates;

/// <summary>A subnet delegation: the subnet id and the root subnet's certificate that vouches for the subnet's key.</summary>
public sealed class CertificateDelegation
{
    /// <summary>Creates a delegation from the subnet id and the encoded delegation certificate.</summary>
    public CertificateDelegation(Principal subnetId, byte[] certificate)
    {
        SubnetId = subnetId ?? throw new ArgumentNullException(nameof(subnetId));
        CertificateBytes = certificate ?? throw new ArgumentNullException(nameof(certificate));
    }

    /// <summary>The subnet whose key signed the outer certificate.</summary>
    public Principal SubnetId { get; }

    /// <summary>The encoded certificate of the root subnet.</summary>
    public byte[] CertificateBytes { get; }
}

/// <summary>
/// An IC certificate: <c>{tree, signature, delegation?}</c>. The signature is a BLS signature on
/// <c>\x0Dic-state-root</c> || reconstruct(tree) by the root key, or by the delegated subnet's key.
/// </summary>
public sealed class Certificate
{
    /// <summary>Creates a certificate from its parts.</summary>
    public Certificate(HashTree tree, byte[] signature, CertificateDelegation? delegation = null)
    {
        Tree = tree ?? throw new ArgumentNullException(nameof(tree));
        Signature = signature ?? throw new ArgumentNullException(nameof(signature));
        Delegation = delegation;
    }

    /// <summary>The (pruned) state tree.</summary>
    public HashTree Tree { get; }

    /// <summary>The 48-byte BLS signature.</summary>
    public byte[] Signature { get; }

    /// <summary>The subnet delegation, absent for certificates signed by the root key.</summary>
    public CertificateDelegation? Delegation { get; }

    /// <summary>The bytes the subnet signs: <c>\x0Dic-state-root</c> || root hash.</summary>
    public byte[] SignedMessage() => DomainSeparators.Prefix(DomainSeparators.StateRoot, Tree.Digest);

    /// <summary>The value of <c>/time</c> in nanoseconds since the epoch, or null if absent or malformed.</summary>
    public ulong? Time
    {
        get
        {
            LookupResult r = Tree.LookupPath("time");
            return r.IsFound && Leb128.TryDecodeUnsigned(r.Value.Span, out ulong t) ? t : null;
        }
    }

    /// <summary>lookup_path on the certificate's tree.</summary>
    public LookupResult Lookup(params ReadOnlySpan<Label> path) => Tree.LookupPath(path);

    /// <summary>Decodes a certificate (tag 55799 optional); throws <see cref="CborFormatException"/>.</summary>
    public static Certificate Decode(ReadOnlyMemory<byte> cbor) => IcCbor.Decode(cbor, Read, "certificate");

    /// <summary>
    /// Decodes either a bare certificate or a read_state / sync-call response body <c>{certificate: bytes, ...}</c>;
    /// throws <see cref="CborFormatException"/>.
    /// </summary>
    public static Certificate DecodeCertificateOrResponse(ReadOnlyMemory<byte> cbor)
    {
        byte[]? inner = IcCbor.Decode(cbor, reader =>
        {
            byte[]? certificate = null;
            bool hasTree = false;
            IcCbor.ReadMap(reader, key =>
            {
                if (key == "certificate")
                {
                    certificate = IcCbor.ReadBlob(reader);
                }
                else
                {
                    hasTree |= key == "tree";
                    IcCbor.SkipValue(reader);
                }
            });
            return hasTree ? null : certificate ?? throw new CborFormatException("neither a certificate nor a response with a certificate");
        }, "certificate");
        return inner is null ? Decode(cbor) : Decode(inner);
    }

    private static Certificate Read(CborReader reader)
    {
        HashTree? tree = null;
        byte[]? signature = null;
        CertificateDelegation? delegation = null;
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "tree":
                    tree = HashTree.Read(reader);
                    break;
                case "signature":
                    signature = IcCbor.ReadBlob(reader);
                    break;
                case "delegation" when reader.PeekState() == CborReaderState.Null:
                    // Some encoders write an absent delegation as null.
                    reader.ReadNull();
                    break;
                case "delegation":
                    delegation = ReadDelegation(reader);
                    break;
                default:
                    IcCbor.SkipValue(reader);
                    break;
            }
        });
        if (tree is null || signature is null)
        {
            throw new CborFormatException("a certificate needs both tree and signature");
        }

        return new Certificate(tree, signature, delegation);
    }

    private static CertificateDelegation ReadDelegation(CborReader reader)
    {
        byte[]? subnetId = null, certificate = null;
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "subnet_id":
                    subnetId = IcCbor.ReadBlob(reader);
                    break;
                case "certificate":
                    certificate = IcCbor.ReadBlob(reader);
                    break;
                default:
                    IcCbor.SkipValue(reader);
                    break;
            }
        });
        if (subnetId is null || certificate is null)
        {
            throw new CborFormatException("a delegation needs both subnet_id and certificate");
        }

        if (!Principal.TryFromBytes(subnetId, out Principal subnet))
        {
            throw new CborFormatException("delegation subnet_id is longer than 29 bytes");
        }

        return new CertificateDelegation(subnet, certificate);
    }

    /// <summary>The CBOR encoding with the self-describe tag.</summary>
    public byte[] Encode()
    {
        CborWriter writer = IcCbor.CreateWriter();
        writer.WriteStartMap(Delegation is null ? 2 : 3);
        writer.WriteTextString("tree");
        Tree.Write(writer);
        writer.WriteTextString("signature");
        writer.WriteByteString(Signature);
        if (Delegation is not null)
        {
            writer.WriteTextString("delegation");
            writer.WriteStartMap(2);
            writer.WriteTextString("subnet_id");
            writer.WriteByteString(Delegation.SubnetId.Bytes);
            writer.WriteTextString("certificate");
            writer.WriteByteString(Delegation.CertificateBytes);
            writer.WriteEndMap();
        }

        writer.WriteEndMap();
        return writer.Encode();
    }

    /// <summary>A read_state response body <c>tag55799 {certificate: bytes}</c> carrying this certificate.</summary>
    public byte[] EncodeReadStateResponse()
    {
        CborWriter writer = IcCbor.CreateWriter();
        writer.WriteStartMap(1);
        writer.WriteTextString("certificate");
        writer.WriteByteString(Encode());
        writer.WriteEndMap();
        return writer.Encode();
    }
}
