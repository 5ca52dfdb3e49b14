using System.Formats.Asn1;
using System.Security.Cryptography;

namespace InternetIdentity.Agent.Identities;

/// <summary>The curve or scheme of a private key read from PEM.</summary>
public enum PrivateKeyKind
{
    /// <summary>Ed25519: the 32-byte seed.</summary>
    Ed25519,

    /// <summary>ECDSA on NIST P-256: the 32-byte scalar.</summary>
    EcdsaP256,

    /// <summary>ECDSA on secp256k1: the 32-byte scalar.</summary>
    EcdsaSecp256k1,
}

/// <summary>
/// Private keys in the PEM forms dfx and agent-js use: PKCS#8 <c>PRIVATE KEY</c> (Ed25519 v1 or v2, or EC), and SEC1
/// <c>EC PRIVATE KEY</c> (P-256 or secp256k1, possibly after an <c>EC PARAMETERS</c> block as dfx writes it).
/// </summary>
public static class PrivateKeyPem
{
    private const string OidEd25519 = "1.3.101.112";
    private const string OidEcPublicKey = "1.2.840.10045.2.1";
    private const string OidP256 = "1.2.840.10045.3.1.7";
    private const string OidSecp256k1 = "1.3.132.0.10";

    /// <summary>Reads the first private key block; throws <see cref="IdentityFormatException"/>.</summary>
    public static (PrivateKeyKind Kind, byte[] Secret) Read(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        ReadOnlySpan<char> rest = pem;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            ReadOnlySpan<char> label = rest[fields.Label];
            byte[] der;
            try
            {
                der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
            }
            catch (FormatException e)
            {
                throw new IdentityFormatException("PEM block is not valid base64", e);
            }

            try
            {
                if (label.SequenceEqual("PRIVATE KEY"))
                {
                    return ReadPkcs8(der);
                }

                if (label.SequenceEqual("EC PRIVATE KEY"))
                {
                    return ReadSec1(der, null);
                }
            }
            catch (AsnContentException e)
            {
                throw new IdentityFormatException($"malformed {label} DER: {e.Message}", e);
            }

            rest = rest[fields.Location.End..];
        }

        throw new IdentityFormatException("no PRIVATE KEY or EC PRIVATE KEY block in the PEM text");
    }

    /// <summary>PKCS#8 v1 <c>PRIVATE KEY</c> of an Ed25519 seed (what agent-js and dfx read).</summary>
    public static string WriteEd25519(ReadOnlySpan<byte> seed32)
    {
        if (seed32.Length != 32)
        {
            throw new ArgumentException("an Ed25519 seed has 32 bytes", nameof(seed32));
        }

        var inner = new AsnWriter(AsnEncodingRules.DER);
        inner.WriteOctetString(seed32);
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(0);
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(OidEd25519);
            }

            w.WriteOctetString(inner.Encode());
        }

        return PemEncoding.WriteString("PRIVATE KEY", w.Encode());
    }

    /// <summary>SEC1 <c>EC PRIVATE KEY</c> with the curve and the uncompressed public point, as dfx writes secp256k1 keys.</summary>
    public static string WriteSec1(PrivateKeyKind kind, ReadOnlySpan<byte> scalar32, ReadOnlySpan<byte> uncompressedPoint)
    {
        if (kind == PrivateKeyKind.Ed25519)
        {
            throw new ArgumentException("SEC1 holds EC keys only", nameof(kind));
        }

        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(1);
            w.WriteOctetString(scalar32);
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
            {
                w.WriteObjectIdentifier(kind == PrivateKeyKind.EcdsaP256 ? OidP256 : OidSecp256k1);
            }

            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
            {
                w.WriteBitString(uncompressedPoint);
            }
        }

        return PemEncoding.WriteString("EC PRIVATE KEY", w.Encode());
    }

    private static (PrivateKeyKind, byte[]) ReadPkcs8(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader info = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        info.ReadInteger();
        AsnReader algorithm = info.ReadSequence();
        string oid = algorithm.ReadObjectIdentifier();
        string? parameter = algorithm.HasData && algorithm.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier) ? algorithm.ReadObjectIdentifier() : null;
        byte[] privateKey = info.ReadOctetString();

        // Version 2 (RFC 5958) may carry attributes and the public key after it; the secret is enough.
        switch (oid)
        {
            case OidEd25519:
                byte[] seed = new AsnReader(privateKey, AsnEncodingRules.DER).ReadOctetString();
                return seed.Length == 32 ? (PrivateKeyKind.Ed25519, seed) : throw new IdentityFormatException($"Ed25519 private key has {seed.Length} bytes, expected 32");
            case OidEcPublicKey:
                return ReadSec1(privateKey, parameter);
            default:
                throw new IdentityFormatException($"unsupported private key algorithm {oid}");
        }
    }

    private static (PrivateKeyKind, byte[]) ReadSec1(byte[] der, string? curveFromPkcs8)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader key = reader.ReadSequence();
        key.ReadInteger();
        byte[] scalar = key.ReadOctetString();
        string? curve = curveFromPkcs8;
        var parametersTag = new Asn1Tag(TagClass.ContextSpecific, 0, true);
        if (key.HasData && key.PeekTag().HasSameClassAndValue(parametersTag))
        {
            AsnReader parameters = key.ReadSequence(parametersTag);
            curve ??= parameters.ReadObjectIdentifier();
        }

        PrivateKeyKind kind = curve switch
        {
            OidP256 => PrivateKeyKind.EcdsaP256,
            OidSecp256k1 => PrivateKeyKind.EcdsaSecp256k1,
            null => throw new IdentityFormatException("EC private key names no curve"),
            _ => throw new IdentityFormatException($"unsupported EC curve {curve} (P-256 and secp256k1 are supported)"),
        };

        // SEC1 writes the scalar big-endian in the curve's byte length; pad a short one.
        if (scalar.Length is 0 or > 32)
        {
            throw new IdentityFormatException($"EC private key has {scalar.Length} bytes, expected 32");
        }

        return (kind, [.. new byte[32 - scalar.Length], .. scalar]);
    }
}
