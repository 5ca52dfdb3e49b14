namespace InternetIdentity.Protocol.Tests.Candid.SpecSuite;

/// <summary>
/// Decodes textual principals for the test runner only: base32 (RFC 4648, lower case, no padding) of
/// CRC32(bytes) || bytes, grouped by dashes. The library's principal type lives in the principal module.
/// </summary>
internal static class PrincipalText
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static byte[] Decode(string text)
    {
        string s = text.Replace("-", "", StringComparison.Ordinal);
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (char c in s)
        {
            int v = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (v < 0)
            {
                throw new FormatException($"'{c}' is not a base32 character");
            }

            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
                buffer &= (1 << bits) - 1;
            }
        }

        if (bytes.Count < 4)
        {
            throw new FormatException("principal text too short");
        }

        byte[] body = bytes.Skip(4).ToArray();
        uint crc = Crc32(body);
        uint expected = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        if (crc != expected)
        {
            throw new FormatException("principal checksum mismatch");
        }

        return body;
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
