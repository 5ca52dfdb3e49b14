using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace InternetIdentity.IdentityCanister.State;

/// <summary>
/// A persistent sorted map: a B+ tree of up to <see cref="Fanout"/> entries per leaf and children per branch, whose
/// updates copy only the path to the changed leaf and leave every earlier version intact. An entry costs its key and
/// value in a leaf's arrays plus a share of the leaf, where an <c>ImmutableDictionary</c> spends a 64-byte node on
/// each: with a million anchors per replica, that is the anchor map's and the credential index's memory. Appending
/// after the largest key (anchor numbers are allocated in order) leaves the full leaf as it is, so such leaves stay
/// full; a removal drops empty nodes but does not merge half-empty ones (II removes credentials rarely).
/// </summary>
/// <typeparam name="TKey">The key type, ordered by the map's comparer.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class PersistentSortedMap<TKey, TValue> : IReadOnlyCollection<KeyValuePair<TKey, TValue>>
{
    /// <summary>Most entries in a leaf, and most children of a branch.</summary>
    internal const int Fanout = 32;

    private readonly Node? _root;
    private readonly IComparer<TKey> _comparer;

    private PersistentSortedMap(Node? root, int count, IComparer<TKey> comparer)
    {
        _root = root;
        Count = count;
        _comparer = comparer;
    }

    /// <summary>The number of entries.</summary>
    public int Count { get; }

    /// <summary>The keys in ascending order.</summary>
    public IEnumerable<TKey> Keys => this.Select(static e => e.Key);

    /// <summary>The values in the order of their keys.</summary>
    public IEnumerable<TValue> Values => this.Select(static e => e.Value);

    /// <summary>The value stored under <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The map has no such key.</exception>
    public TValue this[TKey key] => TryGetValue(key, out TValue? value) ? value : throw new KeyNotFoundException($"the map has no key {key}");

    /// <summary>An empty map ordered by <paramref name="comparer"/>.</summary>
    public static PersistentSortedMap<TKey, TValue> Empty(IComparer<TKey> comparer)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        return new(null, 0, comparer);
    }

    /// <summary>A map of <paramref name="entries"/>, which must be in strictly ascending key order; built with full leaves.</summary>
    /// <exception cref="ArgumentException">Two entries are out of order or have equal keys.</exception>
    public static PersistentSortedMap<TKey, TValue> FromSorted(IComparer<TKey> comparer, ReadOnlySpan<KeyValuePair<TKey, TValue>> entries)
    {
        var builder = new AscendingBuilder(comparer);
        foreach ((TKey key, TValue value) in entries)
        {
            if (!builder.TryAdd(key, value))
            {
                throw new ArgumentException("the entries are not in strictly ascending key order", nameof(entries));
            }
        }

        return builder.ToMap();
    }

    /// <summary>
    /// Builds a map from entries given in strictly ascending key order (a snapshot's), one at a time and with full
    /// leaves, holding no more than one node per level besides what it has built.
    /// </summary>
    internal sealed class AscendingBuilder
    {
        private readonly IComparer<TKey> _comparer;

        // The nodes of each level not yet given a parent (at most Fanout - 1 between adds), leaves at level 0.
        private readonly List<List<Node>> _pending = [];
        private readonly TKey[] _keys = new TKey[Fanout];
        private readonly TValue[] _values = new TValue[Fanout];
        private int _inLeaf;
        private int _count;
        private TKey? _lastKey;
        private bool _built;

        /// <summary>A builder of a map ordered by <paramref name="comparer"/>.</summary>
        public AscendingBuilder(IComparer<TKey> comparer)
        {
            ArgumentNullException.ThrowIfNull(comparer);
            _comparer = comparer;
        }

        /// <summary>Adds an entry; false (and nothing added) when its key is not above every key added before.</summary>
        public bool TryAdd(TKey key, TValue value)
        {
            if (_built)
            {
                throw new InvalidOperationException("the map was already built");
            }

            if (_count > 0 && _comparer.Compare(_lastKey!, key) >= 0)
            {
                return false;
            }

            _keys[_inLeaf] = key;
            _values[_inLeaf] = value;
            _lastKey = key;
            _inLeaf++;
            _count++;
            if (_inLeaf == Fanout)
            {
                FlushLeaf();
            }

            return true;
        }

        /// <summary>The map of every entry added; the builder is done after this.</summary>
        public PersistentSortedMap<TKey, TValue> ToMap()
        {
            if (_built)
            {
                throw new InvalidOperationException("the map was already built");
            }

            _built = true;
            FlushLeaf();
            Node? root = null;
            for (int level = 0; level < _pending.Count; level++)
            {
                List<Node> nodes = _pending[level];
                bool higher = _pending.Skip(level + 1).Any(static l => l.Count > 0);
                if (nodes.Count == 1 && !higher)
                {
                    root = nodes[0];
                    break;
                }

                if (nodes.Count > 0)
                {
                    Push(level + 1, new Branch([.. nodes.Select(static c => c.LowKey)], [.. nodes]));
                    nodes.Clear();
                }
            }

            return new(root, _count, _comparer);
        }

        private void FlushLeaf()
        {
            if (_inLeaf == 0)
            {
                return;
            }

            var leaf = new Leaf(_keys[.._inLeaf], _values[.._inLeaf]);
            Array.Clear(_values);
            _inLeaf = 0;
            Push(0, leaf);
        }

        // Adds a node to a level; a level that fills up becomes one branch a level higher.
        private void Push(int level, Node node)
        {
            while (_pending.Count <= level)
            {
                _pending.Add(new List<Node>(Fanout));
            }

            List<Node> nodes = _pending[level];
            nodes.Add(node);
            if (nodes.Count == Fanout)
            {
                var branch = new Branch([.. nodes.Select(static c => c.LowKey)], [.. nodes]);
                nodes.Clear();
                Push(level + 1, branch);
            }
        }
    }

    /// <summary>Looks <paramref name="key"/> up.</summary>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        Node? node = _root;
        while (node is Branch branch)
        {
            node = branch.Children[ChildIndex(branch, key, _comparer)];
        }

        if (node is Leaf leaf)
        {
            int i = Array.BinarySearch(leaf.Keys, key, _comparer);
            if (i >= 0)
            {
                value = leaf.Values[i];
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>True when the map has <paramref name="key"/>.</summary>
    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    /// <summary>This map with <paramref name="key"/> set to <paramref name="value"/> (added or replaced).</summary>
    public PersistentSortedMap<TKey, TValue> SetItem(TKey key, TValue value)
    {
        if (_root is null)
        {
            return new(new Leaf([key], [value]), 1, _comparer);
        }

        Node root = Insert(_root, key, value, _comparer, rightmost: true, out Node? split, out bool added);
        if (split is not null)
        {
            root = new Branch([root.LowKey, split.LowKey], [root, split]);
        }

        return new(root, added ? Count + 1 : Count, _comparer);
    }

    /// <summary>This map without <paramref name="key"/> (this map itself when it has no such key).</summary>
    public PersistentSortedMap<TKey, TValue> Remove(TKey key)
    {
        if (_root is null)
        {
            return this;
        }

        Node? root = Remove(_root, key, _comparer, out bool removed);
        if (!removed)
        {
            return this;
        }

        while (root is Branch { Children.Length: 1 } single)
        {
            root = single.Children[0];
        }

        return new(root, Count - 1, _comparer);
    }

    /// <summary>The entries in ascending key order.</summary>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
    {
        if (_root is null)
        {
            yield break;
        }

        var path = new Stack<(Branch Branch, int Next)>();
        Node node = _root;
        while (true)
        {
            while (node is Branch branch)
            {
                path.Push((branch, 1));
                node = branch.Children[0];
            }

            var leaf = (Leaf)node;
            for (int i = 0; i < leaf.Keys.Length; i++)
            {
                yield return new(leaf.Keys[i], leaf.Values[i]);
            }

            while (path.Count > 0 && path.Peek().Next == path.Peek().Branch.Children.Length)
            {
                path.Pop();
            }

            if (path.Count == 0)
            {
                yield break;
            }

            (Branch parent, int next) = path.Pop();
            path.Push((parent, next + 1));
            node = parent.Children[next];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The tree's shape, for tests: each leaf's depth (1 for a leaf at the root) and entry count, in key order.</summary>
    internal (int Depth, int Entries)[] Leaves()
    {
        var leaves = new List<(int, int)>();
        Walk(_root, 1);
        return [.. leaves];

        void Walk(Node? node, int depth)
        {
            switch (node)
            {
                case Leaf leaf:
                    leaves.Add((depth, leaf.Keys.Length));
                    break;
                case Branch branch:
                    foreach (Node child in branch.Children)
                    {
                        Walk(child, depth + 1);
                    }

                    break;
            }
        }
    }

    // The child whose range holds the key: child i holds [Keys[i], Keys[i + 1]), and child 0 everything below Keys[1].
    private static int ChildIndex(Branch branch, TKey key, IComparer<TKey> comparer)
    {
        int n = branch.Keys.Length;
        if (n == 1)
        {
            return 0;
        }

        int i = Array.BinarySearch(branch.Keys, 1, n - 1, key, comparer);
        return i >= 0 ? i : ~i - 1;
    }

    // Returns the node's replacement and, when it had to split, its new right sibling (which holds larger keys). A split
    // after the largest key of the whole map keeps the full node as it is; elsewhere a split halves.
    private static Node Insert(Node node, TKey key, TValue value, IComparer<TKey> comparer, bool rightmost, out Node? split, out bool added)
    {
        if (node is Leaf leaf)
        {
            int i = Array.BinarySearch(leaf.Keys, key, comparer);
            if (i >= 0)
            {
                added = false;
                split = null;
                return new Leaf(leaf.Keys, Replaced(leaf.Values, i, value));
            }

            added = true;
            return Split(Inserted(leaf.Keys, ~i, key), Inserted(leaf.Values, ~i, value), appended: rightmost && ~i == leaf.Keys.Length, leaf, Leaf.Make, out split);
        }

        var branch = (Branch)node;
        int c = ChildIndex(branch, key, comparer);
        Node child = Insert(branch.Children[c], key, value, comparer, rightmost && c == branch.Children.Length - 1, out Node? childSplit, out added);
        Node[] children = Replaced(branch.Children, c, child);
        if (childSplit is null)
        {
            split = null;
            return new Branch(branch.Keys, children);
        }

        return Split(Inserted(branch.Keys, c + 1, childSplit.LowKey), Inserted(children, c + 1, childSplit), appended: rightmost && c + 1 == branch.Children.Length,
            new Branch(branch.Keys, children), Branch.Make, out split);
    }

    // Returns the node's replacement, or null when it is left empty.
    private static Node? Remove(Node node, TKey key, IComparer<TKey> comparer, out bool removed)
    {
        if (node is Leaf leaf)
        {
            int i = Array.BinarySearch(leaf.Keys, key, comparer);
            removed = i >= 0;
            return !removed ? leaf : leaf.Keys.Length == 1 ? null : new Leaf(Removed(leaf.Keys, i), Removed(leaf.Values, i));
        }

        var branch = (Branch)node;
        int c = ChildIndex(branch, key, comparer);
        Node? child = Remove(branch.Children[c], key, comparer, out removed);
        if (!removed)
        {
            return branch;
        }

        if (child is not null)
        {
            return new Branch(branch.Keys, Replaced(branch.Children, c, child));
        }

        // Child 0's bound is never read (it takes everything below Keys[1]), so removing it needs no key fixed up.
        return branch.Children.Length == 1 ? null : new Branch(Removed(branch.Keys, c), Removed(branch.Children, c));
    }

    private static T[] Inserted<T>(T[] items, int index, T item)
    {
        var copy = new T[items.Length + 1];
        Array.Copy(items, copy, index);
        copy[index] = item;
        Array.Copy(items, index, copy, index + 1, items.Length - index);
        return copy;
    }

    private static T[] Replaced<T>(T[] items, int index, T item)
    {
        var copy = (T[])items.Clone();
        copy[index] = item;
        return copy;
    }

    private static T[] Removed<T>(T[] items, int index)
    {
        var copy = new T[items.Length - 1];
        Array.Copy(items, copy, index);
        Array.Copy(items, index + 1, copy, index, items.Length - index - 1);
        return copy;
    }

    // Given a node's keys and items (values or children) with one more than before: a node of them, or, when that is
    // more than a node may hold, after an append to the map the full node as it was (unchanged) and a new one with the
    // appended item, else two halves. Leaves and branches split alike.
    private static Node Split<T>(TKey[] keys, T[] items, bool appended, Node unchanged, Func<TKey[], T[], Node> make, out Node? right)
    {
        if (items.Length <= Fanout)
        {
            right = null;
            return make(keys, items);
        }

        if (appended)
        {
            right = make([keys[^1]], [items[^1]]);
            return unchanged;
        }

        int half = items.Length / 2;
        right = make(keys[half..], items[half..]);
        return make(keys[..half], items[..half]);
    }

    private abstract class Node
    {
        // The lowest key the node may hold: its first key (a leaf), its first child's bound (a branch).
        public abstract TKey LowKey { get; }
    }

    private sealed class Leaf(TKey[] keys, TValue[] values) : Node
    {
        public static readonly Func<TKey[], TValue[], Node> Make = static (k, v) => new Leaf(k, v);

        public TKey[] Keys { get; } = keys;

        public TValue[] Values { get; } = values;

        public override TKey LowKey => Keys[0];
    }

    private sealed class Branch(TKey[] keys, Node[] children) : Node
    {
        public static readonly Func<TKey[], Node[], Node> Make = static (k, c) => new Branch(k, c);

        public TKey[] Keys { get; } = keys;

        public Node[] Children { get; } = children;

        public override TKey LowKey => Keys[0];
    }
}
