namespace InternetIdentity.Protocol.Principals;

/// <summary>CRC-32 as ISO 3309 / zlib / PNG define it (reflected polynomial 0xEDB88320), the checksum of textual principals.</summary>
public static class Crc32
{
    private static readonly uint[] s_table = BuildTable();

    /// <summary>The CRC-32 of the data.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
