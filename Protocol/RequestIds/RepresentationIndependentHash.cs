using System.Collections.Concurrent;
using System.Numerics;
using System.Text;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Protocol.RequestIds;

/// <summary>
/// The IC's representation-independent hash: blobs and text hash their bytes, nats and ints their LEB128, arrays
/// the concatenation of their element hashes, and maps the sorted concatenation of SHA256(key) || hash(value).
/// </summary>
public static class RepresentationIndependentHash
{
    /// <summary>hash(blob) = SHA-256 of the bytes.</summary>
    public static byte[] Blob(ReadOnlySpan<byte> blob) => Sha256.HashData(blob);

    /// <summary>hash(text) = SHA-256 of the UTF-8 bytes.</summary>
    public static byte[] Text(string text) => Sha256.HashData(Encoding.UTF8.GetBytes(text));

    /// <summary>hash(nat) = SHA-256 of the unsigned LEB128.</summary>
    public static byte[] Nat(ulong value)
    {
        Span<byte> leb = stackalloc byte[10];
        return Sha256.HashData(leb[..Leb128.WriteUnsigned(value, leb)]);
    }

    /// <summary>hash(nat) for nats beyond 64 bits.</summary>
    public static byte[] Nat(BigInteger value) => Sha256.HashData(Leb128.EncodeUnsigned(value));

    /// <summary>hash(int) = SHA-256 of the signed LEB128.</summary>
    public static byte[] Int(BigInteger value) => Sha256.HashData(Leb128.EncodeSigned(value));

    /// <summary>hash(array) = SHA-256 of the concatenated element hashes.</summary>
    public static byte[] Array(IEnumerable<byte[]> elementHashes)
    {
        byte[][] hashes = elementHashes as byte[][] ?? elementHashes.ToArray();
        return Sha256.HashData(Concat(hashes));
    }

    /// <summary>
    /// hash_of_map: SHA-256 of the bytewise-sorted concatenations SHA256(utf8 key) || valueHash. Absent optional
    /// fields must simply not be passed.
    /// </summary>
    public static byte[] Map(IEnumerable<KeyValuePair<string, byte[]>> fields)
    {
        var entries = new List<byte[]>();
        foreach ((string name, byte[] valueHash) in fields)
        {
            var entry = new byte[64];
            KeyHash(name, entry);
            valueHash.CopyTo(entry, 32);
            entries.Add(entry);
        }

        entries.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        return Sha256.HashData(Concat(entries));
    }

    // SHA-256 of a map key. The keys of the IC's messages are a few fixed names ("request_type", "sender", "arg",
    // "status", ...), hashed again for every request id and query response: the short ones are remembered (at most
    // MaxRememberedKeys of them, so arbitrary keys cannot grow the table without bound).
    private static void KeyHash(string name, Span<byte> destination)
    {
        if (KeyHashes.TryGetValue(name, out byte[]? known))
        {
            known.CopyTo(destination);
            return;
        }

        Span<byte> key = stackalloc byte[256];
        int n = Encoding.UTF8.GetMaxByteCount(name.Length) <= key.Length ? Encoding.UTF8.GetBytes(name, key) : -1;
        if (n >= 0)
        {
            Sha256.HashData(key[..n], destination);
        }
        else
        {
            Sha256.HashData(Encoding.UTF8.GetBytes(name), destination);
        }

        if (name.Length <= MaxRememberedKeyLength && Volatile.Read(ref _rememberedKeys) < MaxRememberedKeys
            && KeyHashes.TryAdd(name, destination[..32].ToArray()))
        {
            Interlocked.Increment(ref _rememberedKeys);
        }
    }

    private const int MaxRememberedKeys = 1024;
    private const int MaxRememberedKeyLength = 64;
    private static readonly ConcurrentDictionary<string, byte[]> KeyHashes = new(StringComparer.Ordinal);
    private static int _rememberedKeys;

    private static byte[] Concat(IReadOnlyList<byte[]> parts)
    {
        int length = 0;
        foreach (byte[] p in parts)
        {
            length += p.Length;
        }

        var all = new byte[length];
        int offset = 0;
        foreach (byte[] p in parts)
        {
            p.CopyTo(all, offset);
            offset += p.Length;
        }

        return all;
    }

    /// <summary>hash_of_map for fields given as (key, value hash) tuples.</summary>
    public static byte[] Map(params (string Key, byte[] ValueHash)[] fields) =>
        Map(fields.Select(f => new KeyValuePair<string, byte[]>(f.Key, f.ValueHash)));
}
