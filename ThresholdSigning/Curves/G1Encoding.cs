using System.Diagnostics.CodeAnalysis;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>ZCash encodings of G1 points: 48 bytes compressed, 96 bytes uncompressed, big-endian.</summary>
public readonly partial struct G1Affine
{
    /// <summary>Length of the compressed encoding.</summary>
    public const int CompressedLength = 48;

    /// <summary>Length of the uncompressed encoding.</summary>
    public const int UncompressedLength = 96;

    /// <summary>The 48-byte compressed encoding.</summary>
    public byte[] ToCompressed()
    {
        var bytes = new byte[CompressedLength];
        if (IsInfinity)
        {
            bytes[0] = EncodingFlags.Compressed | EncodingFlags.Infinity;
            return bytes;
        }

        X.WriteBigEndian(bytes);
        bytes[0] |= EncodingFlags.Compressed;
        if (Y.IsLexicographicallyLargest)
        {
            bytes[0] |= EncodingFlags.Sort;
        }

        return bytes;
    }

    /// <summary>The 96-byte uncompressed encoding.</summary>
    public byte[] ToUncompressed()
    {
        var bytes = new byte[UncompressedLength];
        if (IsInfinity)
        {
            bytes[0] = EncodingFlags.Infinity;
            return bytes;
        }

        X.WriteBigEndian(bytes);
        Y.WriteBigEndian(bytes.AsSpan(48));
        return bytes;
    }

    /// <summary>Decodes a compressed point, checking it is on the curve and in G1; false with a reason otherwise.</summary>
    public static bool TryFromCompressed(ReadOnlySpan<byte> data, out G1Affine point, [NotNullWhen(false)] out string? error)
    {
        point = Infinity;
        if (data.Length != CompressedLength)
        {
            error = $"a compressed G1 point is {CompressedLength} bytes, not {data.Length}";
            return false;
        }

        error = EncodingFlags.Check(data, compressed: true, out bool infinity, out bool sort);
        if (error is not null || infinity)
        {
            return error is null;
        }

        Span<byte> xBytes = stackalloc byte[48];
        EncodingFlags.CopyWithoutFlags(data, xBytes);
        if (!Fp.TryReadBigEndian(xBytes, out Fp x))
        {
            error = "the x coordinate is not below the field modulus";
            return false;
        }

        if (!(x.Square() * x + B).TrySqrt(out Fp y))
        {
            error = "x is not the x coordinate of a point on the curve";
            return false;
        }

        if (y.IsLexicographicallyLargest != sort)
        {
            y = -y;
        }

        return Validate(new G1Affine(x, y), out point, out error);
    }

    /// <summary>Decodes an uncompressed point, checking it is on the curve and in G1; false with a reason otherwise.</summary>
    public static bool TryFromUncompressed(ReadOnlySpan<byte> data, out G1Affine point, [NotNullWhen(false)] out string? error)
    {
        point = Infinity;
        if (data.Length != UncompressedLength)
        {
            error = $"an uncompressed G1 point is {UncompressedLength} bytes, not {data.Length}";
            return false;
        }

        error = EncodingFlags.Check(data, compressed: false, out bool infinity, out _);
        if (error is not null || infinity)
        {
            return error is null;
        }

        Span<byte> xBytes = stackalloc byte[48];
        EncodingFlags.CopyWithoutFlags(data, xBytes);
        if (!Fp.TryReadBigEndian(xBytes, out Fp x) || !Fp.TryReadBigEndian(data[48..], out Fp y))
        {
            error = "a coordinate is not below the field modulus";
            return false;
        }

        var candidate = new G1Affine(x, y);
        if (!candidate.IsOnCurve)
        {
            error = "the point is not on the curve";
            return false;
        }

        return Validate(candidate, out point, out error);
    }

    private static bool Validate(in G1Affine candidate, out G1Affine point, [NotNullWhen(false)] out string? error)
    {
        if (!G1Projective.FromAffine(candidate).IsTorsionFree)
        {
            point = Infinity;
            error = "the point is not in the prime-order subgroup G1";
            return false;
        }

        point = candidate;
        error = null;
        return true;
    }

    /// <summary>Decodes a compressed point or throws <see cref="PointFormatException"/> with the reason.</summary>
    public static G1Affine FromCompressed(ReadOnlySpan<byte> data) =>
        TryFromCompressed(data, out G1Affine p, out string? error) ? p : throw new PointFormatException("invalid G1 point: " + error);
}
