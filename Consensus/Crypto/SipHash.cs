using System.Buffers.Binary;
using System.Numerics;

namespace InternetIdentity.Consensus.Crypto;

/// <summary>
/// SipHash-2-4 (Aumasson and Bernstein), a fast keyed pseudorandom function. The stand-in crypto uses it as a MAC:
/// without the key no simulated replica can produce another's tag. It is not a signature scheme.
/// </summary>
internal static class SipHash
{
    /// <summary>A 16-byte tag: SipHash-2-4 under (k0, k1) and under (k1, k0 ^ 0xee), concatenated.</summary>
    public static byte[] Tag16(ulong k0, ulong k1, ReadOnlySpan<byte> message)
    {
        byte[] tag = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(tag, Hash(k0, k1, message));
        BinaryPrimitives.WriteUInt64LittleEndian(tag.AsSpan(8), Hash(k1, k0 ^ 0xee, message));
        return tag;
    }

    public static ulong Hash(ulong k0, ulong k1, ReadOnlySpan<byte> message)
    {
        ulong v0 = 0x736f6d6570736575UL ^ k0;
        ulong v1 = 0x646f72616e646f6dUL ^ k1;
        ulong v2 = 0x6c7967656e657261UL ^ k0;
        ulong v3 = 0x7465646279746573UL ^ k1;
        int blocks = message.Length / 8;
        for (int i = 0; i < blocks; i++)
        {
            ulong m = BinaryPrimitives.ReadUInt64LittleEndian(message[(i * 8)..]);
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }
        ulong last = (ulong)message.Length << 56;
        ReadOnlySpan<byte> tail = message[(blocks * 8)..];
        for (int i = 0; i < tail.Length; i++)
        {
            last |= (ulong)tail[i] << (8 * i);
        }
        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;
        v2 ^= 0xff;
        for (int i = 0; i < 4; i++)
        {
            Round(ref v0, ref v1, ref v2, ref v3);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1; v1 = BitOperations.RotateLeft(v1, 13); v1 ^= v0; v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3; v3 = BitOperations.RotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = BitOperations.RotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = BitOperations.RotateLeft(v1, 17); v1 ^= v2; v2 = BitOperations.RotateLeft(v2, 32);
    }
}
