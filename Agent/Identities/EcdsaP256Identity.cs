using System.Security.Cryptography;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Agent.Identities;

/// <summary>An ECDSA key pair on NIST P-256 with SHA-256 (agent-js <c>ECDSAKeyIdentity</c>); signatures r || s.</summary>
public sealed class EcdsaP256Identity : SignIdentity, IDisposable
{
    private readonly ECDsa _key;
    private readonly byte[] _point;

    private EcdsaP256Identity(ECDsa key)
    {
        _key = key;
        ECParameters p = key.ExportParameters(false);
        _point = [0x04, .. p.Q.X!, .. p.Q.Y!];
        PublicKeyDer = DerPublicKey.EncodeEcdsa(_point);
    }

    /// <inheritdoc/>
    public override byte[] PublicKeyDer { get; }

    /// <summary>A fresh key from the system's random number generator.</summary>
    public static EcdsaP256Identity Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The key of a 32-byte private scalar.</summary>
    public static EcdsaP256Identity FromPrivateKey(ReadOnlySpan<byte> scalar32)
    {
        if (scalar32.Length != 32)
        {
            throw new ArgumentException("a P-256 private key has 32 bytes", nameof(scalar32));
        }

        try
        {
            return new(ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar32.ToArray() }));
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException("not a valid P-256 private key", nameof(scalar32), e);
        }
    }

    /// <summary>Reads a SEC1 <c>EC PRIVATE KEY</c> or PKCS#8 <c>PRIVATE KEY</c> PEM; throws <see cref="IdentityFormatException"/>.</summary>
    public static EcdsaP256Identity FromPem(string pem)
    {
        (PrivateKeyKind kind, byte[] secret) = PrivateKeyPem.Read(pem);
        return kind == PrivateKeyKind.EcdsaP256 ? FromPrivateKey(secret) : throw new IdentityFormatException($"the PEM holds a {kind} key, not P-256");
    }

    /// <summary>The 32-byte private scalar.</summary>
    public byte[] ExportPrivateKey() => _key.ExportParameters(true).D!;

    /// <summary>SEC1 <c>EC PRIVATE KEY</c> PEM with the curve and public point.</summary>
    public string ToPem() => PrivateKeyPem.WriteSec1(PrivateKeyKind.EcdsaP256, ExportPrivateKey(), _point);

    /// <inheritdoc/>
    public override byte[] Sign(ReadOnlySpan<byte> message) =>
        _key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();
}
