using System.Diagnostics.CodeAnalysis;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Pairing;

namespace InternetIdentity.ThresholdSigning.Signatures;

/// <summary>A BLS public key: a point of G2, 96 bytes compressed. Decoded keys are always in G2 and not the identity.</summary>
public sealed class PublicKey : IEquatable<PublicKey>
{
    private G2Prepared? _prepared;

    internal PublicKey(in G2Affine point)
    {
        Point = point;
    }

    /// <summary>Length of the compressed encoding.</summary>
    public const int ByteLength = G2Affine.CompressedLength;

    /// <summary>The point.</summary>
    public G2Affine Point { get; }

    /// <summary>Precomputed Miller-loop lines for this key, computed once and cached.</summary>
    internal G2Prepared Prepared => _prepared ??= G2Prepared.FromAffine(Point);

    /// <summary>Decodes a compressed key; false with a reason if malformed, off the curve, outside G2, or the identity.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out PublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (!G2Affine.TryFromCompressed(bytes, out G2Affine point, out error))
        {
            return false;
        }

        if (point.IsInfinity)
        {
            error = "the public key is the identity";
            return false;
        }

        key = new PublicKey(point);
        return true;
    }

    /// <summary>Decodes a compressed key or throws <see cref="PointFormatException"/>.</summary>
    public static PublicKey FromBytes(ReadOnlySpan<byte> bytes) =>
        TryFromBytes(bytes, out PublicKey? key, out string? error) ? key : throw new PointFormatException("invalid public key: " + error);

    /// <summary>The 96-byte compressed encoding.</summary>
    public byte[] ToBytes() => Point.ToCompressed();

    /// <summary>Verifies a signature on a message under this key.</summary>
    public bool Verify(ReadOnlySpan<byte> message, Signature signature, string dst = Bls.SignatureDst) =>
        Bls.Verify(this, message, signature, dst);

    /// <inheritdoc/>
    public bool Equals(PublicKey? other) => other is not null && Point.Equals(other.Point);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    /// <inheritdoc/>
    public override int GetHashCode() => Point.GetHashCode();

    /// <summary>Lowercase hex of the compressed encoding.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToBytes());
}
