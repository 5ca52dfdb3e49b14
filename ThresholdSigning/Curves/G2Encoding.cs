using System.Diagnostics.CodeAnalysis;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>
/// ZCash encodings of G2 points: 96 bytes compressed (x.c1 || x.c0), 192 bytes uncompressed
/// (x.c1 || x.c0 || y.c1 || y.c0), big-endian; the sort flag is decided on y.c1, or on y.c0 when y.c1 is zero.
/// </summary>
public readonly partial struct G2Affine
{
    /// <summary>Length of the compressed encoding.</summary>
    public const int CompressedLength = 96;

    /// <summary>Length of the uncompressed encoding.</summary>
    public const int UncompressedLength = 192;

    /// <summary>The 96-byte compressed encoding.</summary>
    public byte[] ToCompressed()
    {
        var bytes = new byte[CompressedLength];
        if (IsInfinity)
        {
            bytes[0] = EncodingFlags.Compressed | EncodingFlags.Infinity;
            return bytes;
        }

        X.C1.WriteBigEndian(bytes);
        X.C0.WriteBigEndian(bytes.AsSpan(48));
        bytes[0] |= EncodingFlags.Compressed;
        if (Y.IsLexicographicallyLargest)
        {
            bytes[0] |= EncodingFlags.Sort;
        }

        return bytes;
    }

    /// <summary>The 192-byte uncompressed encoding.</summary>
    public byte[] ToUncompressed()
    {
        var bytes = new byte[UncompressedLength];
        if (IsInfinity)
        {
            bytes[0] = EncodingFlags.Infinity;
            return bytes;
        }

        X.C1.WriteBigEndian(bytes);
        X.C0.WriteBigEndian(bytes.AsSpan(48));
        Y.C1.WriteBigEndian(bytes.AsSpan(96));
        Y.C0.WriteBigEndian(bytes.AsSpan(144));
        return bytes;
    }

    /// <summary>Decodes a compressed point, checking it is on the curve and in G2; false with a reason otherwise.</summary>
    public static bool TryFromCompressed(ReadOnlySpan<byte> data, out G2Affine point, [NotNullWhen(false)] out string? error)
    {
        point = Infinity;
        if (data.Length != CompressedLength)
        {
            error = $"a compressed G2 point is {CompressedLength} bytes, not {data.Length}";
            return false;
        }

        error = EncodingFlags.Check(data, compressed: true, out bool infinity, out bool sort);
        if (error is not null || infinity)
        {
            return error is null;
        }

        Span<byte> c1Bytes = stackalloc byte[48];
        EncodingFlags.CopyWithoutFlags(data, c1Bytes);
        if (!Fp.TryReadBigEndian(c1Bytes, out Fp c1) || !Fp.TryReadBigEndian(data[48..], out Fp c0))
        {
            error = "a coordinate of x is not below the field modulus";
            return false;
        }

        var x = new Fp2(c0, c1);
        if (!(x.Square() * x + B).TrySqrt(out Fp2 y))
        {
            error = "x is not the x coordinate of a point on the curve";
            return false;
        }

        if (y.IsLexicographicallyLargest != sort)
        {
            y = -y;
        }

        return Validate(new G2Affine(x, y), out point, out error);
    }

    /// <summary>Decodes an uncompressed point, checking it is on the curve and in G2; false with a reason otherwise.</summary>
    public static bool TryFromUncompressed(ReadOnlySpan<byte> data, out G2Affine point, [NotNullWhen(false)] out string? error)
    {
        point = Infinity;
        if (data.Length != UncompressedLength)
        {
            error = $"an uncompressed G2 point is {UncompressedLength} bytes, not {data.Length}";
            return false;
        }

        error = EncodingFlags.Check(data, compressed: false, out bool infinity, out _);
        if (error is not null || infinity)
        {
            return error is null;
        }

        Span<byte> first = stackalloc byte[48];
        EncodingFlags.CopyWithoutFlags(data, first);
        if (!Fp.TryReadBigEndian(first, out Fp xc1) || !Fp.TryReadBigEndian(data[48..96], out Fp xc0)
            || !Fp.TryReadBigEndian(data[96..144], out Fp yc1) || !Fp.TryReadBigEndian(data[144..], out Fp yc0))
        {
            error = "a coordinate is not below the field modulus";
            return false;
        }

        var candidate = new G2Affine(new Fp2(xc0, xc1), new Fp2(yc0, yc1));
        if (!candidate.IsOnCurve)
        {
            error = "the point is not on the curve";
            return false;
        }

        return Validate(candidate, out point, out error);
    }

    private static bool Validate(in G2Affine candidate, out G2Affine point, [NotNullWhen(false)] out string? error)
    {
        if (!G2Projective.FromAffine(candidate).IsTorsionFree)
        {
            point = Infinity;
            error = "the point is not in the prime-order subgroup G2";
            return false;
        }

        point = candidate;
        error = null;
        return true;
    }

    /// <summary>Decodes a compressed point or throws <see cref="PointFormatException"/> with the reason.</summary>
    public static G2Affine FromCompressed(ReadOnlySpan<byte> data) =>
        TryFromCompressed(data, out G2Affine p, out string? error) ? p : throw new PointFormatException("invalid G2 point: " + error);
}
