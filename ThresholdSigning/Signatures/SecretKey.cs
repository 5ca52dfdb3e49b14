using System.Diagnostics.CodeAnalysis;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Signatures;

/// <summary>A BLS secret key: a non-zero scalar of F_r. Dispose it to wipe the scalar.</summary>
public sealed class SecretKey : IDisposable
{
    private Fr _scalar;
    private PublicKey? _publicKey;

    internal SecretKey(in Fr scalar)
    {
        if (scalar.IsZero)
        {
            throw new ArgumentException("A secret key must not be zero.", nameof(scalar));
        }

        _scalar = scalar;
    }

    /// <summary>Length of the big-endian encoding.</summary>
    public const int ByteLength = Fr.ByteLength;

    internal Fr Scalar => _scalar;

    /// <summary>Derives a key from a seed of at least 32 bytes with the IETF KeyGen.</summary>
    public static SecretKey FromSeed(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> keyInfo = default) =>
        new(KeyGen.DeriveScalar(seed, keyInfo));

    /// <summary>Parses a 32-byte big-endian scalar; false if it is not in [1, r-1] or has the wrong length.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out SecretKey? key)
    {
        key = null;
        if (bytes.Length != ByteLength || !Fr.TryReadBigEndian(bytes, out Fr s) || s.IsZero)
        {
            return false;
        }

        key = new SecretKey(s);
        return true;
    }

    /// <summary>Parses a 32-byte big-endian scalar or throws <see cref="FormatException"/>.</summary>
    public static SecretKey FromBytes(ReadOnlySpan<byte> bytes) =>
        TryFromBytes(bytes, out SecretKey? key) ? key
            : throw new FormatException($"a secret key is a {ByteLength}-byte big-endian integer in [1, r-1]");

    /// <summary>The 32-byte big-endian encoding.</summary>
    public byte[] ToBytes() => _scalar.ToBigEndian();

    /// <summary>The public key [sk]G2.</summary>
    public PublicKey PublicKey => _publicKey ??= new PublicKey(G2Projective.Generator.Multiply(_scalar).ToAffine());

    /// <summary>Signs a message: [sk]H(m), with H the IC's hash to G1 unless another DST is given.</summary>
    public Signature Sign(ReadOnlySpan<byte> message, string dst = Bls.SignatureDst) =>
        new(HashToG1.Hash(message, dst).Multiply(_scalar).ToAffine());

    /// <summary>Wipes the scalar.</summary>
    public void Dispose() => _scalar = default;
}
