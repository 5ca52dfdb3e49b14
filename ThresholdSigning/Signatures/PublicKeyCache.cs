namespace InternetIdentity.ThresholdSigning.Signatures;

/// <summary>
/// Decoded public keys by their bytes. Decompression with the subgroup check, and the Miller-loop lines prepared on
/// first use, cost more than a pairing; verifiers see the same few keys (the root key, subnet keys, node keys) again
/// and again.
/// </summary>
internal static class PublicKeyCache
{
    private static readonly BoundedCache<PublicKey> s_keys = new(4096);

    public static bool TryGet(ReadOnlySpan<byte> bytes, out PublicKey? key)
    {
        if (bytes.Length != PublicKey.ByteLength)
        {
            key = null;
            return false;
        }

        return s_keys.TryGet(Convert.ToBase64String(bytes), out key);
    }

    public static void Add(ReadOnlySpan<byte> bytes, PublicKey key) => s_keys.Add(Convert.ToBase64String(bytes), key);
}
