namespace InternetIdentity.Protocol.Principals;

/// <summary>RFC 4648 base32 without padding, lower case, as used by textual principals.</summary>
internal static class Base32
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, j = 0;
        foreach (byte b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[j++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[j++] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(chars, 0, j);
    }

    /// <summary>Decodes lower- or upper-case base32; false on a foreign character or non-zero trailing bits.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        int length = text.Length * 5 / 8;
        var output = new byte[length];
        int buffer = 0, bits = 0, j = 0;
        foreach (char ch in text)
        {
            int v = ch switch
            {
                >= 'a' and <= 'z' => ch - 'a',
                >= 'A' and <= 'Z' => ch - 'A',
                >= '2' and <= '7' => ch - '2' + 26,
                _ => -1,
            };
            if (v < 0)
            {
                return false;
            }

            buffer = ((buffer << 5) | v) & 0xFFFF;
            bits += 5;
            if (bits >= 8)
            {
                output[j++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }

        // A valid encoding leaves fewer than 5 bits over, all zero.
        if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0)
        {
            return false;
        }

        bytes = output;
        return true;
    }
}
