using System.Security.Cryptography;
using InternetIdentity.Protocol.Signatures;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace InternetIdentity.Agent.Identities;

/// <summary>
/// An ECDSA key pair on secp256k1 with SHA-256 (dfx's default identity kind, agent-js <c>Secp256k1KeyIdentity</c>):
/// deterministic nonces (RFC 6979) and low-s signatures r || s, through BouncyCastle.
/// </summary>
public sealed class Secp256k1Identity : SignIdentity
{
    private static readonly X9ECParameters s_curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters s_domain = new(s_curve);
    private static readonly BigInteger s_halfOrder = s_curve.N.ShiftRight(1);

    private readonly ECPrivateKeyParameters _key;
    private readonly byte[] _point;

    private Secp256k1Identity(BigInteger d)
    {
        _key = new ECPrivateKeyParameters(d, s_domain);
        _point = s_curve.G.Multiply(d).Normalize().GetEncoded(false);
        PublicKeyDer = DerPublicKey.EncodeEcdsa(_point, secp256k1: true);
    }

    /// <inheritdoc/>
    public override byte[] PublicKeyDer { get; }

    /// <summary>A fresh key from the system's random number generator.</summary>
    public static Secp256k1Identity Generate()
    {
        while (true)
        {
            var d = new BigInteger(1, RandomNumberGenerator.GetBytes(32));
            if (d.SignValue > 0 && d.CompareTo(s_curve.N) < 0)
            {
                return new(d);
            }
        }
    }

    /// <summary>The key of a 32-byte private scalar (1 &lt;= d &lt; n).</summary>
    public static Secp256k1Identity FromPrivateKey(ReadOnlySpan<byte> scalar32)
    {
        if (scalar32.Length != 32)
        {
            throw new ArgumentException("a secp256k1 private key has 32 bytes", nameof(scalar32));
        }

        var d = new BigInteger(1, scalar32.ToArray());
        return d.SignValue > 0 && d.CompareTo(s_curve.N) < 0
            ? new(d)
            : throw new ArgumentException("a secp256k1 private key lies in [1, n)", nameof(scalar32));
    }

    /// <summary>Reads dfx's SEC1 <c>EC PRIVATE KEY</c> (or PKCS#8) PEM; throws <see cref="IdentityFormatException"/>.</summary>
    public static Secp256k1Identity FromPem(string pem)
    {
        (PrivateKeyKind kind, byte[] secret) = PrivateKeyPem.Read(pem);
        return kind == PrivateKeyKind.EcdsaSecp256k1 ? FromPrivateKey(secret) : throw new IdentityFormatException($"the PEM holds a {kind} key, not secp256k1");
    }

    /// <summary>The 32-byte private scalar.</summary>
    public byte[] ExportPrivateKey() => _key.D.ToByteArrayUnsigned() is var b && b.Length == 32 ? b : [.. new byte[32 - b.Length], .. b];

    /// <summary>SEC1 <c>EC PRIVATE KEY</c> PEM with the curve and public point (the form dfx writes).</summary>
    public string ToPem() => PrivateKeyPem.WriteSec1(PrivateKeyKind.EcdsaSecp256k1, ExportPrivateKey(), _point);

    /// <inheritdoc/>
    public override byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, _key);
        BigInteger[] rs = signer.GenerateSignature(SHA256.HashData(message));
        BigInteger s = rs[1].CompareTo(s_halfOrder) > 0 ? s_curve.N.Subtract(rs[1]) : rs[1];
        var signature = new byte[64];
        rs[0].ToByteArrayUnsigned().CopyTo(signature.AsSpan(32 - rs[0].ToByteArrayUnsigned().Length));
        s.ToByteArrayUnsigned().CopyTo(signature.AsSpan(64 - s.ToByteArrayUnsigned().Length));
        return signature;
    }
}
