using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Replica.Execution;

/// <summary>
/// One replica's record of request signatures it verified: its gateway checks a call's signatures when the call arrives,
/// and it checks calls gossiped by peers as they arrive, so executing a block re-checks only what depends on the block
/// (time, expiry, targets) instead of every signature again on the block's critical path. Entries are SHA-256 digests of
/// (key, message, signature), at most <see cref="Capacity"/> of them, the oldest forgotten first; safe for concurrent use.
/// </summary>
public sealed class SignatureCache : ISignatureCache
{
    private readonly ConcurrentDictionary<(UInt128, UInt128), byte> _valid = new();
    private readonly ConcurrentQueue<(UInt128, UInt128)> _order = new();
    private int _count; // ConcurrentDictionary.Count takes every lock: too dear on each add

    /// <summary>Creates a cache holding at most <paramref name="capacity"/> signatures.</summary>
    public SignatureCache(int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most signatures held.</summary>
    public int Capacity { get; }

    /// <summary>Signatures held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc/>
    public bool Contains(ReadOnlySpan<byte> derPublicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        _valid.ContainsKey(Key(derPublicKey, message, signature));

    /// <inheritdoc/>
    public void Add(ReadOnlySpan<byte> derPublicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        (UInt128, UInt128) key = Key(derPublicKey, message, signature);
        if (!_valid.TryAdd(key, 0))
        {
            return;
        }

        _order.Enqueue(key);
        Interlocked.Increment(ref _count);
        while (Volatile.Read(ref _count) > Capacity && _order.TryDequeue(out (UInt128, UInt128) oldest))
        {
            if (_valid.TryRemove(oldest, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    private static (UInt128, UInt128) Key(ReadOnlySpan<byte> derPublicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        // One SHA-256 over the length-prefixed parts (no two triples hash alike by shifting bytes); one call into the
        // hash instead of an incremental hash's seven, for every call, gossiped call and query checked.
        int length = 12 + derPublicKey.Length + message.Length + signature.Length;
        byte[]? rented = length <= 1024 ? null : ArrayPool<byte>.Shared.Rent(length);
        Span<byte> all = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        int at = Append(all, 0, derPublicKey);
        at = Append(all, at, message);
        Append(all, at, signature);
        Span<byte> digest = stackalloc byte[32];
        Sha256.HashData(all, digest);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return (BinaryPrimitives.ReadUInt128LittleEndian(digest), BinaryPrimitives.ReadUInt128LittleEndian(digest[16..]));
    }

    private static int Append(Span<byte> all, int at, ReadOnlySpan<byte> part)
    {
        BinaryPrimitives.WriteInt32BigEndian(all[at..], part.Length);
        part.CopyTo(all[(at + 4)..]);
        return at + 4 + part.Length;
    }
}
