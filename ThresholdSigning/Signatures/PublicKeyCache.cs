using System.Collections.Concurrent;

namespace InternetIdentity.ThresholdSigning.Signatures;

/// <summary>
/// Decoded public keys by their bytes. Decompression with the subgroup check, and the Miller-loop lines prepared on
/// first use, cost more than a pairing; verifiers see the same few keys (the root key, subnet keys, node keys) again
/// and again. Bounded: when full it starts over, which keeps memory fixed without an eviction policy.
/// </summary>
internal static class PublicKeyCache
{
    private const int Capacity = 4096;
    private static readonly ConcurrentDictionary<string, PublicKey> s_keys = new(StringComparer.Ordinal);

    public static bool TryGet(ReadOnlySpan<byte> bytes, out PublicKey? key)
    {
        if (bytes.Length != PublicKey.ByteLength)
        {
            key = null;
            return false;
        }

        return s_keys.TryGetValue(Convert.ToBase64String(bytes), out key);
    }

    public static void Add(ReadOnlySpan<byte> bytes, PublicKey key)
    {
        if (s_keys.Count >= Capacity)
        {
            s_keys.Clear();
        }

        s_keys[Convert.ToBase64String(bytes)] = key;
    }
}
