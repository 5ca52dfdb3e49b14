using System.Diagnostics.CodeAnalysis;
using InternetIdentity.ThresholdSigning.Curves;

namespace InternetIdentity.ThresholdSigning.Signatures;

/// <summary>A BLS signature: a point of G1, 48 bytes compressed. Decoded signatures are always in G1.</summary>
public sealed class Signature : IEquatable<Signature>
{
    internal Signature(in G1Affine point)
    {
        Point = point;
    }

    /// <summary>Length of the compressed encoding.</summary>
    public const int ByteLength = G1Affine.CompressedLength;

    /// <summary>The point.</summary>
    public G1Affine Point { get; }

    /// <summary>Decodes a compressed signature; false with a reason if malformed, off the curve or outside G1.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out Signature? signature, [NotNullWhen(false)] out string? error)
    {
        signature = null;
        if (!G1Affine.TryFromCompressed(bytes, out G1Affine point, out error))
        {
            return false;
        }

        signature = new Signature(point);
        return true;
    }

    /// <summary>Decodes a compressed signature or throws <see cref="PointFormatException"/>.</summary>
    public static Signature FromBytes(ReadOnlySpan<byte> bytes) =>
        TryFromBytes(bytes, out Signature? sig, out string? error) ? sig : throw new PointFormatException("invalid signature: " + error);

    /// <summary>The 48-byte compressed encoding.</summary>
    public byte[] ToBytes() => Point.ToCompressed();

    /// <inheritdoc/>
    public bool Equals(Signature? other) => other is not null && Point.Equals(other.Point);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Signature);

    /// <inheritdoc/>
    public override int GetHashCode() => Point.GetHashCode();

    /// <summary>Lowercase hex of the compressed encoding.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToBytes());
}
