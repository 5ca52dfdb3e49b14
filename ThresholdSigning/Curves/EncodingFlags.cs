namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>
/// The three flag bits of the ZCash point encoding (top bits of the first byte): compression, infinity, and
/// "sort" (y is the lexicographically larger root). Shared by the G1 and G2 codecs.
/// </summary>
internal static class EncodingFlags
{
    public const byte Compressed = 0x80;
    public const byte Infinity = 0x40;
    public const byte Sort = 0x20;
    public const byte Mask = 0xE0;

    /// <summary>Checks the flag rules common to both groups; returns an error text or null.</summary>
    public static string? Check(ReadOnlySpan<byte> data, bool compressed, out bool isInfinity, out bool sort)
    {
        byte flags = data[0];
        isInfinity = (flags & Infinity) != 0;
        sort = (flags & Sort) != 0;
        if (((flags & Compressed) != 0) != compressed)
        {
            return compressed ? "the compression flag is not set" : "the compression flag is set on an uncompressed encoding";
        }

        if (isInfinity)
        {
            if (sort)
            {
                return "the point at infinity has the sort flag set";
            }

            if ((data[0] & ~Mask) != 0 || data[1..].ContainsAnyExcept((byte)0))
            {
                return "the point at infinity has non-zero coordinate bytes";
            }
        }
        else if (!compressed && sort)
        {
            return "the sort flag is set on an uncompressed encoding";
        }

        return null;
    }

    /// <summary>Copies a 48-byte coordinate with the flag bits cleared.</summary>
    public static void CopyWithoutFlags(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source[..48].CopyTo(destination);
        destination[0] &= unchecked((byte)~Mask);
    }
}
