using System.Buffers.Binary;

namespace InternetIdentity.IdentityCanister.Captchas;

/// <summary>
/// A minimal PNG encoder for 8-bit grayscale images: zlib stream of stored (uncompressed) deflate blocks, so the bytes
/// depend only on the pixels, on every platform and runtime version.
/// </summary>
internal static class PngEncoder
{
    private static readonly byte[] s_signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes <paramref name="pixels"/> (row-major, one byte per pixel) as a grayscale PNG.</summary>
    public static byte[] EncodeGrayscale(int width, int height, ReadOnlySpan<byte> pixels)
    {
        if (width <= 0 || height <= 0 || pixels.Length != width * height)
        {
            throw new ArgumentException("pixel buffer does not match the image size", nameof(pixels));
        }

        // Scanlines, each with filter type 0 (None).
        byte[] raw = new byte[height * (width + 1)];
        for (int y = 0; y < height; y++)
        {
            pixels.Slice(y * width, width).CopyTo(raw.AsSpan((y * (width + 1)) + 1));
        }

        var png = new List<byte>(raw.Length + 128);
        png.AddRange(s_signature);

        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // colour type: grayscale
        WriteChunk(png, "IHDR"u8, ihdr);
        WriteChunk(png, "IDAT"u8, ZlibStored(raw));
        WriteChunk(png, "IEND"u8, []);
        return [.. png];
    }

    /// <summary>A zlib stream holding <paramref name="data"/> in stored deflate blocks.</summary>
    internal static byte[] ZlibStored(ReadOnlySpan<byte> data)
    {
        const int maxBlock = 65_535;
        int blocks = Math.Max(1, (data.Length + maxBlock - 1) / maxBlock);
        byte[] output = new byte[2 + (blocks * 5) + data.Length + 4];
        output[0] = 0x78; // CM = 8 (deflate), 32 KiB window
        output[1] = 0x01; // no dictionary, fastest level; (0x7801 % 31 == 0)
        int pos = 2;
        int offset = 0;
        for (int b = 0; b < blocks; b++)
        {
            int len = Math.Min(maxBlock, data.Length - offset);
            output[pos++] = (byte)(b == blocks - 1 ? 1 : 0); // BFINAL, BTYPE = 00
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(pos), (ushort)len);
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(pos + 2), (ushort)~len);
            pos += 4;
            data.Slice(offset, len).CopyTo(output.AsSpan(pos));
            pos += len;
            offset += len;
        }

        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(pos), Adler32(data));
        return output;
    }

    /// <summary>Adler-32 (RFC 1950).</summary>
    internal static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint mod = 65_521;
        uint a = 1, b = 0;
        foreach (byte x in data)
        {
            a = (a + x) % mod;
            b = (b + a) % mod;
        }

        return (b << 16) | a;
    }

    /// <summary>CRC-32 as PNG and zlib define it (reflected polynomial 0xEDB88320).</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data) => Protocol.Principals.Crc32.Compute(data);

    private static void WriteChunk(List<byte> png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> u32 = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(u32, (uint)data.Length);
        png.AddRange(u32);
        byte[] typeAndData = [.. type, .. data];
        png.AddRange(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(u32, Crc32(typeAndData));
        png.AddRange(u32);
    }
}
