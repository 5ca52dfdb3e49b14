using System.Security.Cryptography;
using InternetIdentity.ThresholdSigning.Hashing;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace InternetIdentity.Protocol.Signatures;

/// <summary>
/// ECDSA with SHA-256 on P-256 (the platform's implementation) and on secp256k1 (BouncyCastle, since .NET offers that
/// curve only where the operating system's library does).
/// </summary>
public static class EcdsaSignatures
{
    private static readonly X9ECParameters s_secp256k1 = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters s_secp256k1Domain = new(s_secp256k1);

    /// <summary>Verifies a P-256 signature (r || s, 64 bytes, or DER when <paramref name="derSignature"/>) under an uncompressed point.</summary>
    public static bool VerifyP256(ReadOnlySpan<byte> uncompressedPoint, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, bool derSignature = false)
    {
        if (uncompressedPoint.Length != 65 || uncompressedPoint[0] != 0x04 || (!derSignature && signature.Length != 64))
        {
            return false;
        }

        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = uncompressedPoint[1..33].ToArray(), Y = uncompressedPoint[33..].ToArray() },
            });
            return ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256,
                derSignature ? DSASignatureFormat.Rfc3279DerSequence : DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            // The point is not on the curve.
            return false;
        }
    }

    /// <summary>Verifies a secp256k1 signature r || s (64 bytes) on SHA-256(message) under an uncompressed point.</summary>
    public static bool VerifySecp256k1(ReadOnlySpan<byte> uncompressedPoint, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (uncompressedPoint.Length != 65 || uncompressedPoint[0] != 0x04 || signature.Length != 64)
        {
            return false;
        }

        Org.BouncyCastle.Math.EC.ECPoint point;
        try
        {
            point = s_secp256k1.Curve.DecodePoint(uncompressedPoint.ToArray());
        }
        catch (ArgumentException)
        {
            return false;
        }

        var signer = new ECDsaSigner();
        signer.Init(false, new ECPublicKeyParameters(point, s_secp256k1Domain));
        return signer.VerifySignature(
            Sha256.HashData(message),
            new BigInteger(1, signature[..32].ToArray()),
            new BigInteger(1, signature[32..].ToArray()));
    }
}
