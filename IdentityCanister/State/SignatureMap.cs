using System.Collections.Immutable;
using InternetIdentity.Protocol.HashTrees;

namespace InternetIdentity.IdentityCanister.State;

/// <summary>One pending expiry of the signature map.</summary>
internal readonly record struct SignatureExpiration(byte[] SeedHash, byte[] MessageHash, ulong ExpiresAt);

/// <summary>
/// II's signature map (ic-canister-sig-creation <c>SignatureMap</c>): certified entries
/// <c>SHA-256(seed) → message hash → ""</c>; each entry lives 60 s after it was added and at most 50 expired entries
/// are pruned when a new one is added. Immutable: every change returns a new map.
/// </summary>
internal sealed class SignatureMap
{
    /// <summary>How long an entry lives (SIGNATURE_EXPIRATION_PERIOD_NS).</summary>
    public const ulong ExpirationPeriodNs = Time.MinuteNs;

    /// <summary>At most this many expired entries are pruned per added signature (MAX_SIGS_TO_PRUNE).</summary>
    public const int MaxSigsToPrune = 50;

    private SignatureMap(TreapNode? root, ImmutableQueue<SignatureExpiration> queue, int queueLength)
    {
        Root = root;
        Queue = queue;
        QueueLength = queueLength;
    }

    /// <summary>The empty map.</summary>
    public static SignatureMap Empty { get; } = new(null, ImmutableQueue<SignatureExpiration>.Empty, 0);

    /// <summary>The outer treap (seed hash → inner treap of message hashes).</summary>
    public TreapNode? Root { get; }

    /// <summary>Expiries in the order they were added (time only moves forward, so this is expiry order).</summary>
    public ImmutableQueue<SignatureExpiration> Queue { get; }

    /// <summary>Entries in <see cref="Queue"/>.</summary>
    public int QueueLength { get; }

    /// <summary>The certified root hash of the map.</summary>
    public byte[] RootHash => TreapNode.RootHash(Root);

    /// <summary>Number of (seed, message) entries.</summary>
    public int Count => TreapNode.InOrder(Root).Sum(n => TreapNode.Count(n.Inner));

    /// <summary>Prunes expired entries (at most 50), then adds the entry to expire 60 s from now.</summary>
    public SignatureMap Add(byte[] seedHash, byte[] messageHash, ulong now) =>
        PruneExpired(now).Put(seedHash, messageHash, Time.SaturatingAdd(now, ExpirationPeriodNs));

    /// <summary>Puts an entry with a given expiry (no pruning).</summary>
    public SignatureMap Put(byte[] seedHash, byte[] messageHash, ulong expiresAt)
    {
        TreapNode? inner = TreapNode.Get(Root, seedHash)?.Inner;
        TreapNode root = TreapNode.Put(Root, seedHash, TreapNode.Put(inner, messageHash, null));
        return new SignatureMap(root, Queue.Enqueue(new SignatureExpiration(seedHash, messageHash, expiresAt)), QueueLength + 1);
    }

    /// <summary>Removes up to <see cref="MaxSigsToPrune"/> entries that expired at or before <paramref name="now"/>.</summary>
    public SignatureMap PruneExpired(ulong now)
    {
        TreapNode? root = Root;
        ImmutableQueue<SignatureExpiration> queue = Queue;
        int length = QueueLength;
        for (int i = 0; i < MaxSigsToPrune && !queue.IsEmpty; i++)
        {
            SignatureExpiration e = queue.Peek();
            if (e.ExpiresAt > now)
            {
                break;
            }

            queue = queue.Dequeue();
            length--;
            TreapNode? seedNode = TreapNode.Get(root, e.SeedHash);
            if (seedNode is not null)
            {
                TreapNode? inner = TreapNode.Remove(seedNode.Inner, e.MessageHash);
                root = inner is null ? TreapNode.Remove(root, e.SeedHash) : TreapNode.Put(root, e.SeedHash, inner);
            }
        }

        return length == QueueLength ? this : new SignatureMap(root, queue, length);
    }

    /// <summary>True when the entry is present.</summary>
    public bool Contains(ReadOnlySpan<byte> seedHash, ReadOnlySpan<byte> messageHash) =>
        TreapNode.Get(TreapNode.Get(Root, seedHash)?.Inner, messageHash) is not null;

    /// <summary>The witness of an entry within the map (the subtree under the <c>sig</c> label), or null.</summary>
    public HashTree? Witness(byte[] seedHash, byte[] messageHash) =>
        Contains(seedHash, messageHash)
            ? TreapNode.Witness(Root, seedHash, n => TreapNode.Witness(n.Inner, messageHash, _ => HashTree.Leaf([]))!)
            : null;

    /// <summary>Rebuilds a map from its entries and queue (snapshot restore).</summary>
    public static SignatureMap Restore(IEnumerable<(byte[] SeedHash, byte[] MessageHash)> entries, IEnumerable<SignatureExpiration> queue)
    {
        TreapNode? root = null;
        foreach (var (seed, msg) in entries)
        {
            TreapNode? inner = TreapNode.Get(root, seed)?.Inner;
            root = TreapNode.Put(root, seed, TreapNode.Put(inner, msg, null));
        }

        var q = ImmutableQueue<SignatureExpiration>.Empty;
        int n = 0;
        foreach (SignatureExpiration e in queue)
        {
            q = q.Enqueue(e);
            n++;
        }

        return new SignatureMap(root, q, n);
    }
}
