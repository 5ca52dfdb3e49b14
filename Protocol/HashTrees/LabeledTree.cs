namespace InternetIdentity.Protocol.HashTrees;

/// <summary>
/// Labeled data from which hash trees are built: a leaf value, or a node with children under distinct labels kept in
/// sorted order. Immutable; subtree hashes are computed once, so witnesses for a few paths cost O(paths · log n).
/// </summary>
public sealed class LabeledTree
{
    private readonly byte[]? _value;

    // The children in label order. A crit-bit node changed by CritBitNodeWithChanges, WithChild or WithoutChild holds them
    // only in its tree, and these are made from it when first needed (Labels, a label of another length): copying
    // tens of thousands of request statuses into new arrays at every height cost more than the changes.
    private Label[]? _labels;
    private LabeledTree[]? _children;

    // Preorder array of the hashes of the balanced fork structure over the children (2n-1 entries of 32 bytes).
    private byte[]? _rangeHashes;

    // The digest of Labeled(label, this) for the last label this subtree was hashed under: a subtree kept from one
    // state tree to the next (a canister's) is hashed under the same label every time. Not set on leaves, nor by a
    // crit-bit leaf (such as a request status's), which keeps the digest itself.
    private LabeledDigest? _labeledDigest;

    // For a node whose fork shape is a crit-bit tree (see CritBitNode), that tree; null for the balanced shape.
    private readonly CritBitNode? _critBit;

    private LabeledTree(byte[]? value, Label[]? labels, LabeledTree[]? children, CritBitNode? critBit = null)
    {
        _value = value;
        _labels = labels;
        _children = children;
        _critBit = critBit;
    }

    /// <summary>A node with no children (its hash tree is Empty).</summary>
    public static LabeledTree EmptyNode { get; } = new(null, [], []);

    /// <summary>Whether this is a leaf.</summary>
    public bool IsLeaf => _value is not null;

    /// <summary>The leaf value (empty for nodes).</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>The children's labels, sorted.</summary>
    public IReadOnlyList<Label> Labels => FlatLabels;

    /// <summary>How many children this node has (0 for a leaf).</summary>
    public int ChildCount => _critBit?.Count ?? _labels!.Length;

    private Label[] FlatLabels
    {
        get
        {
            Flatten();
            return _labels!;
        }
    }

    private LabeledTree[] FlatChildren
    {
        get
        {
            Flatten();
            return _children!;
        }
    }

    // Made from the crit-bit tree when a node holds its children only there (deterministic, so a racing second copy is
    // the same; children before labels, so a reader that sees the labels sees the children).
    private void Flatten()
    {
        if (_labels is not null)
        {
            return;
        }

        var labels = new Label[_critBit!.Count];
        var children = new LabeledTree[labels.Length];
        _critBit.CopyTo(labels, children, 0);
        Volatile.Write(ref _children, children);
        Volatile.Write(ref _labels, labels);
    }

    /// <summary>A leaf holding a value (not copied).</summary>
    public static LabeledTree Leaf(byte[] value) => new(value ?? throw new ArgumentNullException(nameof(value)), [], []);

    /// <summary>A node from labeled children in any order; throws <see cref="ArgumentException"/> on a duplicate label.</summary>
    public static LabeledTree Node(IEnumerable<KeyValuePair<Label, LabeledTree>> children)
    {
        var list = children.ToList();
        list.Sort((a, b) => a.Key.CompareTo(b.Key));
        for (int i = 1; i < list.Count; i++)
        {
            if (list[i - 1].Key == list[i].Key)
            {
                throw new ArgumentException($"duplicate label {list[i].Key} in a labeled tree node", nameof(children));
            }
        }

        return new LabeledTree(null, list.Select(c => c.Key).ToArray(), list.Select(c => c.Value).ToArray());
    }

    /// <summary>
    /// A node from labels already in strictly increasing order and their children (both arrays are kept, not copied:
    /// the caller must not change them). Skips the sort of <see cref="Node(IEnumerable{KeyValuePair{Label, LabeledTree}})"/>
    /// for large nodes rebuilt often; throws <see cref="ArgumentException"/> if the order is wrong or the lengths differ.
    /// </summary>
    public static LabeledTree NodeFromSorted(Label[] labels, LabeledTree[] children)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(children);
        if (labels.Length != children.Length)
        {
            throw new ArgumentException($"{labels.Length} labels but {children.Length} children", nameof(children));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (children[i] is null)
            {
                throw new ArgumentException($"child {i} is null", nameof(children));
            }

            if (i > 0 && labels[i - 1].CompareTo(labels[i]) >= 0)
            {
                throw new ArgumentException($"labels are not strictly increasing at index {i}: {labels[i - 1]} then {labels[i]}", nameof(labels));
            }
        }

        return new LabeledTree(null, labels, children);
    }

    /// <summary>
    /// A node whose fork structure is the crit-bit tree of its labels (all of one length) instead of the balanced one:
    /// the shape depends only on the set of labels, and a node made from a previous one with
    /// <see cref="CritBitNodeWithChanges"/> rehashes only the paths of the labels added or removed. Throws
    /// <see cref="ArgumentException"/> on a duplicate label or labels of different lengths.
    /// </summary>
    public static LabeledTree CritBitNode(IEnumerable<KeyValuePair<Label, LabeledTree>> children)
    {
        LabeledTree node = Node(children);
        Label[] labels = node.FlatLabels;
        if (labels.Length == 0)
        {
            return node;
        }

        foreach (Label l in labels)
        {
            HashTrees.CritBitNode.CheckLength(l, labels[0].Bytes.Length);
        }

        return WithCritBit(node, HashTrees.CritBitNode.Build(labels, node.FlatChildren));
    }

    /// <summary>
    /// <paramref name="previous"/> (a crit-bit node, see <see cref="CritBitNode(IEnumerable{KeyValuePair{Label, LabeledTree}})"/>;
    /// null for an empty one) without the children under <paramref name="removed"/> and with <paramref name="added"/> (a
    /// label both removed and added gets its new child). Only the changes are checked and only their paths rehashed, the
    /// kept children are block-copied: k changes to n children cost O(k log n) comparisons and hashes. Throws
    /// <see cref="ArgumentException"/> when a removed label is not a child, an added one already is (and is not removed),
    /// added labels repeat, labels differ in length, or <paramref name="previous"/> is not a crit-bit node.
    /// </summary>
    public static LabeledTree CritBitNodeWithChanges(LabeledTree? previous, IEnumerable<Label> removed, IEnumerable<KeyValuePair<Label, LabeledTree>> added)
    {
        ArgumentNullException.ThrowIfNull(removed);
        ArgumentNullException.ThrowIfNull(added);
        previous ??= EmptyNode;
        if (previous._value is not null || (previous.ChildCount > 0 && previous._critBit is null))
        {
            throw new ArgumentException("the previous tree is not a crit-bit node", nameof(previous));
        }

        CritBitNode? tree = previous._critBit;
        Label[] drops = [.. removed.Order()];
        KeyValuePair<Label, LabeledTree>[] adds = [.. added.OrderBy(a => a.Key)];
        int length = tree is not null ? tree.Min.Bytes.Length : adds.Length > 0 ? adds[0].Key.Bytes.Length : 0;
        for (int i = 0; i < drops.Length; i++)
        {
            if (i > 0 && drops[i] == drops[i - 1])
            {
                throw new ArgumentException($"{drops[i]} is removed twice", nameof(removed));
            }

            if (drops[i].Bytes.Length != length || HashTrees.CritBitNode.Find(tree, drops[i]) is null)
            {
                throw new ArgumentException($"{drops[i]} is not a child of the previous node", nameof(removed));
            }
        }

        for (int a = 0; a < adds.Length; a++)
        {
            (Label label, LabeledTree child) = (adds[a].Key, adds[a].Value);
            ArgumentNullException.ThrowIfNull(child, nameof(added));
            HashTrees.CritBitNode.CheckLength(label, length);
            if (a > 0 && adds[a - 1].Key.Equals(label))
            {
                throw new ArgumentException($"{label} is added twice", nameof(added));
            }

            if (HashTrees.CritBitNode.Find(tree, label) is not null && Array.BinarySearch(drops, label) < 0)
            {
                throw new ArgumentException($"{label} is already a child and not removed", nameof(added));
            }
        }

        // Only the changed paths of the persistent tree are rebuilt and rehashed: k changes to n children cost
        // O(k log n), with no copy of the n children.
        foreach (Label label in drops)
        {
            tree = HashTrees.CritBitNode.Remove(tree, label);
        }

        foreach (KeyValuePair<Label, LabeledTree> a in adds)
        {
            tree = HashTrees.CritBitNode.Put(tree, a.Key, a.Value);
        }

        return tree is null ? EmptyNode : new LabeledTree(null, null, null, tree);
    }

    private static LabeledTree WithCritBit(LabeledTree node, CritBitNode? critBit) =>
        critBit is null ? node : new LabeledTree(null, node.FlatLabels, node.FlatChildren, critBit);

    /// <summary>A node from (label, child) pairs.</summary>
    public static LabeledTree Node(params (Label Label, LabeledTree Child)[] children) =>
        Node(children.Select(c => new KeyValuePair<Label, LabeledTree>(c.Label, c.Child)));

    /// <summary>
    /// A copy of this node with <paramref name="child"/> under <paramref name="label"/> (added or replaced). Costs O(n)
    /// in the number of children; unchanged children keep their cached hashes.
    /// </summary>
    public LabeledTree WithChild(Label label, LabeledTree child)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (_value is not null)
        {
            throw new InvalidOperationException("a leaf has no children");
        }

        if (_critBit is not null)
        {
            HashTrees.CritBitNode.CheckLength(label, _critBit.Min.Bytes.Length);
            return new LabeledTree(null, null, null, HashTrees.CritBitNode.Put(_critBit, label, child));
        }

        Label[] labels = FlatLabels;
        LabeledTree[] all = FlatChildren;
        int i = Array.BinarySearch(labels, label);
        if (i >= 0)
        {
            LabeledTree[] children = (LabeledTree[])all.Clone();
            children[i] = child;
            return new LabeledTree(null, labels, children);
        }

        int at = ~i;
        return new LabeledTree(null, [.. labels[..at], label, .. labels[at..]], [.. all[..at], child, .. all[at..]]);
    }

    /// <summary>A copy of this node without the child under <paramref name="label"/> (unchanged if absent).</summary>
    public LabeledTree WithoutChild(Label label)
    {
        if (_critBit is not null)
        {
            if (label.Bytes.Length != _critBit.Min.Bytes.Length)
            {
                return this;
            }

            CritBitNode? tree = HashTrees.CritBitNode.Remove(_critBit, label);
            return ReferenceEquals(tree, _critBit) ? this : tree is null ? EmptyNode : new LabeledTree(null, null, null, tree);
        }

        Label[] labels = FlatLabels;
        LabeledTree[] children = FlatChildren;
        int i = _value is null ? Array.BinarySearch(labels, label) : -1;
        return i < 0 ? this : new LabeledTree(null, [.. labels[..i], .. labels[(i + 1)..]], [.. children[..i], .. children[(i + 1)..]]);
    }

    /// <summary>The child under a label, or null.</summary>
    public LabeledTree? Child(Label label)
    {
        if (_critBit is not null)
        {
            return label.Bytes.Length == _critBit.Min.Bytes.Length ? HashTrees.CritBitNode.Find(_critBit, label) : null;
        }

        int i = Array.BinarySearch(FlatLabels, label);
        return i >= 0 ? FlatChildren[i] : null;
    }

    /// <summary>The root hash of the hash tree built from this labeled tree.</summary>
    public ReadOnlySpan<byte> Digest
    {
        get
        {
            if (_value is not null)
            {
                return HashTree.HashLeaf(_value);
            }

            if (ChildCount == 0)
            {
                return HashTree.Empty.Digest;
            }

            return _critBit is not null ? _critBit.Hash : RangeHashes().AsSpan(0, 32);
        }
    }

    /// <summary>The full hash tree (nothing pruned).</summary>
    public HashTree ToHashTree()
    {
        if (_value is not null)
        {
            return HashTree.Leaf(_value);
        }

        return ChildCount == 0 ? HashTree.Empty : _critBit is not null ? _critBit.ToHashTree() : BuildFull(0, ChildCount);
    }

    private HashTree BuildFull(int lo, int hi)
    {
        if (hi - lo == 1)
        {
            return HashTree.Labeled(FlatLabels[lo], FlatChildren[lo].ToHashTree());
        }

        int mid = lo + (hi - lo) / 2;
        return HashTree.Fork(BuildFull(lo, mid), BuildFull(mid, hi));
    }

    /// <summary>
    /// A witness revealing every value under each of <paramref name="paths"/> and pruning everything else; a path
    /// that is absent keeps its neighbouring labels so that the absence is provable. The witness has this tree's root hash.
    /// </summary>
    public HashTree Witness(IEnumerable<IReadOnlyList<Label>> paths)
    {
        var list = paths.Select(p => (IReadOnlyList<Label>)p).ToList();
        return Witness(list, 0);
    }

    private HashTree Witness(List<IReadOnlyList<Label>> paths, int depth)
    {
        if (paths.Count == 0)
        {
            return HashTree.Pruned(Digest);
        }

        if (_value is not null || paths.Any(p => p.Count == depth))
        {
            // A path ends here (reveal all below), or passes through a leaf (reveal the leaf: lookup says Error).
            return ToHashTree();
        }

        int count = ChildCount;
        if (count == 0)
        {
            return HashTree.Empty;
        }

        // For each child index: the sub-paths to reveal, or an empty list for a neighbour kept only as an absence proof.
        var marked = new SortedDictionary<int, List<IReadOnlyList<Label>>>();
        foreach (IReadOnlyList<Label> path in paths)
        {
            int i = IndexOf(path[depth]);
            if (i >= 0)
            {
                Mark(marked, i).Add(path);
            }
            else
            {
                int insert = ~i;
                if (insert > 0)
                {
                    Mark(marked, insert - 1);
                }

                if (insert < count)
                {
                    Mark(marked, insert);
                }
            }
        }

        int[] indices = [.. marked.Keys];
        return _critBit is not null
            ? BuildCritBitWitness(_critBit, 0, indices, marked, depth)
            : BuildWitness(0, count, 0, indices, marked, depth);
    }

    // The child's index among the sorted labels, or the complement of where it would go (as Array.BinarySearch answers);
    // a crit-bit node answers from its tree unless the label has another length (a malformed path, from the arrays).
    private int IndexOf(Label label)
    {
        if (_critBit is not null && label.Bytes.Length == _critBit.Min.Bytes.Length)
        {
            int rank = HashTrees.CritBitNode.Rank(_critBit, label, out bool found);
            return found ? rank : ~rank;
        }

        return Array.BinarySearch(FlatLabels, label);
    }

    private static List<IReadOnlyList<Label>> Mark(SortedDictionary<int, List<IReadOnlyList<Label>>> marked, int index)
    {
        if (!marked.TryGetValue(index, out List<IReadOnlyList<Label>>? list))
        {
            list = [];
            marked[index] = list;
        }

        return list;
    }

    private HashTree BuildWitness(int lo, int hi, int offset, int[] indices, SortedDictionary<int, List<IReadOnlyList<Label>>> marked, int depth)
    {
        int first = Array.BinarySearch(indices, lo);
        if (first < 0)
        {
            first = ~first;
        }

        if (first >= indices.Length || indices[first] >= hi)
        {
            return HashTree.Pruned(RangeHashes().AsSpan(offset * 32, 32));
        }

        if (hi - lo == 1)
        {
            List<IReadOnlyList<Label>> sub = marked[lo];
            HashTree child = sub.Count == 0 ? HashTree.Pruned(FlatChildren[lo].Digest) : FlatChildren[lo].Witness(sub, depth + 1);
            return HashTree.Labeled(FlatLabels[lo], child);
        }

        int mid = lo + (hi - lo) / 2;
        return HashTree.Fork(
            BuildWitness(lo, mid, offset + 1, indices, marked, depth),
            BuildWitness(mid, hi, offset + 2 * (mid - lo), indices, marked, depth));
    }

    // The witness over the crit-bit shape: a subtree holding leaves lo..lo+Count-1 (in label order) is pruned unless a
    // marked index falls in it.
    private HashTree BuildCritBitWitness(CritBitNode n, int lo, int[] indices, SortedDictionary<int, List<IReadOnlyList<Label>>> marked, int depth)
    {
        int first = Array.BinarySearch(indices, lo);
        if (first < 0)
        {
            first = ~first;
        }

        if (first >= indices.Length || indices[first] >= lo + n.Count)
        {
            return HashTree.Pruned(n.Hash);
        }

        if (n.IsLeaf)
        {
            List<IReadOnlyList<Label>> sub = marked[lo];
            HashTree child = sub.Count == 0 ? HashTree.Pruned(n.Child!.Digest) : n.Child!.Witness(sub, depth + 1);
            return HashTree.Labeled(n.Label, child);
        }

        return HashTree.Fork(
            BuildCritBitWitness(n.Left!, lo, indices, marked, depth),
            BuildCritBitWitness(n.Right!, lo + n.Left!.Count, indices, marked, depth));
    }

    private byte[] RangeHashes()
    {
        if (_rangeHashes is null)
        {
            var hashes = new byte[(2 * ChildCount - 1) * 32];
            FillRange(hashes, 0, ChildCount, 0);
            _rangeHashes = hashes;
        }

        return _rangeHashes;
    }

    // HashLabeledDigest(label, Digest), remembered for the last label asked (one reference write: safe to race). A
    // leaf's is not remembered: it costs two short hashes, and most leaves are request statuses' replies, tens of
    // thousands of them under load, whose node keeps its range hashes anyway.
    internal byte[] DigestUnder(Label label)
    {
        if (_value is not null)
        {
            return HashTree.HashLabeledDigest(label.Bytes, Digest);
        }

        LabeledDigest? cached = _labeledDigest;
        if (cached is not null && cached.Label == label)
        {
            return cached.Digest;
        }

        byte[] digest = HashTree.HashLabeledDigest(label.Bytes, Digest);
        _labeledDigest = new LabeledDigest(label, digest);
        return digest;
    }

    // The same digest, not remembered here: for a holder that keeps it (a crit-bit leaf keeps its hash).
    internal byte[] DigestUnderForHolder(Label label) =>
        _labeledDigest is { } cached && cached.Label == label ? cached.Digest : HashTree.HashLabeledDigest(label.Bytes, Digest);

    private sealed record LabeledDigest(Label Label, byte[] Digest);

    private void FillRange(byte[] hashes, int lo, int hi, int offset)
    {
        if (hi - lo == 1)
        {
            FlatChildren[lo].DigestUnder(FlatLabels[lo]).CopyTo(hashes, offset * 32);
            return;
        }

        int mid = lo + (hi - lo) / 2;
        int left = offset + 1, right = offset + 2 * (mid - lo);
        FillRange(hashes, lo, mid, left);
        FillRange(hashes, mid, hi, right);
        HashTree.HashForkDigests(hashes.AsSpan(left * 32, 32), hashes.AsSpan(right * 32, 32), hashes.AsSpan(offset * 32, 32));
    }
}
