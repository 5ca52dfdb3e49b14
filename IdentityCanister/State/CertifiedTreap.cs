using System.Buffers.Binary;
using InternetIdentity.Protocol.HashTrees;

namespace InternetIdentity.IdentityCanister.State;

/// <summary>
/// A persistent (immutable, path-copying) treap of 32-byte keys that keeps the IC hash-tree digest of every subtree,
/// like ic-certification's RbTree: a node hashes as <c>labeled(key, value)</c> forked with its children
/// (<c>fork(L, fork(data, R))</c>, leaving out absent children). The priority of a key is its last 8 bytes (keys are
/// SHA-256 outputs), so the shape depends only on the set of keys: equal maps have equal root hashes whatever their
/// history, which keeps snapshots and restores exact. Values are either the empty leaf (<c>Inner</c> null) or a
/// nested treap.
/// </summary>
internal sealed class TreapNode
{
    private static readonly byte[] s_emptyLeafHash = HashTree.HashLeaf([]);

    private TreapNode(byte[] key, TreapNode? left, TreapNode? right, TreapNode? inner)
        : this(key, left, right, inner, Labeled(key, inner?.SubtreeHash ?? s_emptyLeafHash))
    {
    }

    /// <summary>A node whose data (key and value) is unchanged: its labeled hash is reused.</summary>
    private TreapNode(TreapNode data, TreapNode? left, TreapNode? right)
        : this(data.Key, left, right, data.Inner, data.DataHash)
    {
    }

    private TreapNode(byte[] key, TreapNode? left, TreapNode? right, TreapNode? inner, byte[] dataHash)
    {
        Key = key;
        Priority = PriorityOf(key);
        Left = left;
        Right = right;
        Inner = inner;
        DataHash = dataHash;
        SubtreeHash = (left, right) switch
        {
            (null, null) => DataHash,
            (not null, null) => HashTree.HashForkDigests(left.SubtreeHash, DataHash),
            (null, not null) => HashTree.HashForkDigests(DataHash, right.SubtreeHash),
            _ => HashTree.HashForkDigests(left!.SubtreeHash, HashTree.HashForkDigests(DataHash, right!.SubtreeHash)),
        };
    }

    /// <summary>labeled_hash(label, subtree digest).</summary>
    public static byte[] Labeled(ReadOnlySpan<byte> key, ReadOnlySpan<byte> valueHash) => HashTree.HashLabeledDigest(key, valueHash);

    public byte[] Key { get; }

    /// <summary>
    /// The heap priority: the key's last 8 bytes. Keys are SHA-256 outputs ordered by their first bytes, so the last
    /// bytes are independent of the order (a priority correlated with the order would make the treap a list).
    /// </summary>
    public static ulong PriorityOf(ReadOnlySpan<byte> key) =>
        key.Length >= 8 ? BinaryPrimitives.ReadUInt64BigEndian(key[^8..]) : 0;

    public ulong Priority { get; }

    public TreapNode? Left { get; }

    public TreapNode? Right { get; }

    /// <summary>The nested treap (for the outer map), or null for the empty leaf.</summary>
    public TreapNode? Inner { get; }

    public byte[] DataHash { get; }

    public byte[] SubtreeHash { get; }

    /// <summary>Digest of an empty map.</summary>
    public static byte[] EmptyHash { get; } = HashTree.Empty.DigestArray();

    public static byte[] RootHash(TreapNode? root) => root?.SubtreeHash ?? EmptyHash;

    private bool Above(byte[] key, ulong priority) =>
        Priority != priority ? Priority > priority : Key.AsSpan().SequenceCompareTo(key) < 0;

    public static TreapNode? Get(TreapNode? n, ReadOnlySpan<byte> key)
    {
        while (n is not null)
        {
            int c = key.SequenceCompareTo(n.Key);
            if (c == 0)
            {
                return n;
            }

            n = c < 0 ? n.Left : n.Right;
        }

        return null;
    }

    /// <summary>Inserts or replaces the value at <paramref name="key"/>.</summary>
    public static TreapNode Put(TreapNode? n, byte[] key, TreapNode? inner)
    {
        if (n is null)
        {
            return new TreapNode(key, null, null, inner);
        }

        int c = key.AsSpan().SequenceCompareTo(n.Key);
        if (c == 0)
        {
            return new TreapNode(n.Key, n.Left, n.Right, inner);
        }

        ulong priority = PriorityOf(key);
        if (!n.Above(key, priority))
        {
            (TreapNode? l, TreapNode? r) = Split(n, key);
            return new TreapNode(key, l, r, inner);
        }

        return c < 0
            ? new TreapNode(n, Put(n.Left, key, inner), n.Right)
            : new TreapNode(n, n.Left, Put(n.Right, key, inner));
    }

    /// <summary>Removes <paramref name="key"/> (unchanged when absent).</summary>
    public static TreapNode? Remove(TreapNode? n, ReadOnlySpan<byte> key)
    {
        if (n is null)
        {
            return null;
        }

        int c = key.SequenceCompareTo(n.Key);
        if (c == 0)
        {
            return Merge(n.Left, n.Right);
        }

        if (c < 0)
        {
            TreapNode? left = Remove(n.Left, key);
            return ReferenceEquals(left, n.Left) ? n : new TreapNode(n, left, n.Right);
        }

        TreapNode? right = Remove(n.Right, key);
        return ReferenceEquals(right, n.Right) ? n : new TreapNode(n, n.Left, right);
    }

    private static (TreapNode? Less, TreapNode? Greater) Split(TreapNode? n, byte[] key)
    {
        if (n is null)
        {
            return (null, null);
        }

        if (key.AsSpan().SequenceCompareTo(n.Key) < 0)
        {
            (TreapNode? l, TreapNode? r) = Split(n.Left, key);
            return (l, new TreapNode(n, r, n.Right));
        }
        else
        {
            (TreapNode? l, TreapNode? r) = Split(n.Right, key);
            return (new TreapNode(n, n.Left, l), r);
        }
    }

    private static TreapNode? Merge(TreapNode? a, TreapNode? b)
    {
        if (a is null)
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        return a.Above(b.Key, b.Priority)
            ? new TreapNode(a, a.Left, Merge(a.Right, b))
            : new TreapNode(b, Merge(a, b.Left), b.Right);
    }

    /// <summary>The nodes in key order (a list, not an iterator: iterators read the thread id, banned in the pure core).</summary>
    public static List<TreapNode> InOrder(TreapNode? n)
    {
        var result = new List<TreapNode>();
        var stack = new Stack<TreapNode>();
        while (n is not null || stack.Count > 0)
        {
            while (n is not null)
            {
                stack.Push(n);
                n = n.Left;
            }

            n = stack.Pop();
            result.Add(n);
            n = n.Right;
        }

        return result;
    }

    public static int Count(TreapNode? n) => n is null ? 0 : 1 + Count(n.Left) + Count(n.Right);

    /// <summary>The full hash tree of the subtree (tests check it against <see cref="SubtreeHash"/>).</summary>
    public HashTree ToHashTree() => Shape(
        Left?.ToHashTree(),
        HashTree.Labeled(Key, Inner?.ToHashTree() ?? HashTree.Leaf([])),
        Right?.ToHashTree());

    /// <summary>
    /// A witness for <paramref name="key"/>: the path to it is expanded, everything else pruned; the value at the key
    /// is given by <paramref name="valueWitness"/>. Null when the key is absent.
    /// </summary>
    public static HashTree? Witness(TreapNode? n, ReadOnlySpan<byte> key, Func<TreapNode, HashTree> valueWitness)
    {
        if (n is null)
        {
            return null;
        }

        int c = key.SequenceCompareTo(n.Key);
        HashTree? left = n.Left is null ? null : HashTree.Pruned(n.Left.SubtreeHash);
        HashTree? right = n.Right is null ? null : HashTree.Pruned(n.Right.SubtreeHash);
        HashTree data;
        if (c == 0)
        {
            data = HashTree.Labeled(n.Key, valueWitness(n));
        }
        else
        {
            data = HashTree.Pruned(n.DataHash);
            HashTree? below = Witness(c < 0 ? n.Left : n.Right, key, valueWitness);
            if (below is null)
            {
                return null;
            }

            if (c < 0)
            {
                left = below;
            }
            else
            {
                right = below;
            }
        }

        return Shape(left, data, right);
    }

    private static HashTree Shape(HashTree? left, HashTree data, HashTree? right) => (left, right) switch
    {
        (null, null) => data,
        (not null, null) => HashTree.Fork(left, data),
        (null, not null) => HashTree.Fork(data, right),
        _ => HashTree.Fork(left!, HashTree.Fork(data, right!)),
    };
}
