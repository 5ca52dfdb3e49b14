namespace InternetIdentity.Protocol.HashTrees;

/// <summary>
/// A persistent crit-bit tree over labels of one length, keeping the hash-tree digest of every subtree: a leaf hashes
/// as <c>labeled(label, child)</c>, a fork as <c>fork(left, right)</c> where the left side holds the labels whose first
/// bit not shared by all labels of the fork is 0. The shape depends only on the set of labels (not on the order of
/// insertions), so equal sets give equal roots on every replica, and adding or removing one label rehashes only its
/// path: O(log n) expected for uniformly distributed labels such as request ids.
/// </summary>
internal sealed class CritBitNode
{
    private CritBitNode(Label label, LabeledTree child)
    {
        Label = label;
        Min = label;
        Child = child;
        Count = 1;
        Bit = -1;
        Hash = child.DigestUnderForHolder(label); // kept here, so the child need not keep it too
    }

    private CritBitNode(int bit, CritBitNode left, CritBitNode right)
    {
        Bit = bit;
        Left = left;
        Right = right;
        Min = left.Min;
        Count = left.Count + right.Count;
        Hash = HashTree.HashForkDigests(left.Hash, right.Hash);
    }

    /// <summary>The leaf's label (leaves only).</summary>
    public Label Label { get; }

    /// <summary>The leaf's subtree (leaves only).</summary>
    public LabeledTree? Child { get; }

    /// <summary>The smallest label below.</summary>
    public Label Min { get; }

    /// <summary>The index of the bit (most significant first) that splits a fork; -1 for a leaf.</summary>
    public int Bit { get; }

    /// <summary>The fork's sides (forks only).</summary>
    public CritBitNode? Left { get; }

    /// <summary>The fork's right side (forks only).</summary>
    public CritBitNode? Right { get; }

    /// <summary>The number of leaves below.</summary>
    public int Count { get; }

    /// <summary>The digest of this subtree's hash tree.</summary>
    public byte[] Hash { get; }

    /// <summary>Whether this is a leaf.</summary>
    public bool IsLeaf => Bit < 0;

    /// <summary>The tree over labels in strictly increasing order, all of one length (null when there are none).</summary>
    public static CritBitNode? Build(Label[] labels, LabeledTree[] children) =>
        labels.Length == 0 ? null : Build(labels, children, 0, labels.Length);

    private static CritBitNode Build(Label[] labels, LabeledTree[] children, int lo, int hi)
    {
        if (hi - lo == 1)
        {
            return new CritBitNode(labels[lo], children[lo]);
        }

        int bit = CritBit(labels[lo], labels[hi - 1]);

        // Sorted labels sharing the bits before `bit`: those with a 0 there come first.
        int a = lo + 1, b = hi - 1;
        while (a < b)
        {
            int m = a + ((b - a) / 2);
            if (BitAt(labels[m], bit))
            {
                b = m;
            }
            else
            {
                a = m + 1;
            }
        }

        return new CritBitNode(bit, Build(labels, children, lo, a), Build(labels, children, a, hi));
    }

    /// <summary>The tree with <paramref name="child"/> under <paramref name="label"/> (added or replaced).</summary>
    public static CritBitNode Put(CritBitNode? n, Label label, LabeledTree child)
    {
        if (n is null)
        {
            return new CritBitNode(label, child);
        }

        int c = CritBit(n.IsLeaf ? n.Label : n.Min, label);
        if (c < 0 && n.IsLeaf)
        {
            return new CritBitNode(label, child);
        }

        if (n.IsLeaf || (c >= 0 && c < n.Bit))
        {
            // The label leaves this subtree's shared prefix at bit c: a new fork above it.
            var leaf = new CritBitNode(label, child);
            return BitAt(label, c) ? new CritBitNode(c, n, leaf) : new CritBitNode(c, leaf, n);
        }

        return BitAt(label, n.Bit)
            ? new CritBitNode(n.Bit, n.Left!, Put(n.Right, label, child))
            : new CritBitNode(n.Bit, Put(n.Left, label, child), n.Right!);
    }

    /// <summary>The tree without <paramref name="label"/> (the same tree when absent).</summary>
    public static CritBitNode? Remove(CritBitNode? n, Label label)
    {
        if (n is null)
        {
            return null;
        }

        if (n.IsLeaf)
        {
            return n.Label == label ? null : n;
        }

        bool right = BitAt(label, n.Bit);
        CritBitNode side = right ? n.Right! : n.Left!;
        CritBitNode? after = Remove(side, label);
        if (ReferenceEquals(after, side))
        {
            return n;
        }

        if (after is null)
        {
            return right ? n.Left : n.Right;
        }

        return right ? new CritBitNode(n.Bit, n.Left!, after) : new CritBitNode(n.Bit, after, n.Right!);
    }

    /// <summary>The child under <paramref name="label"/> (of the tree's label length), or null.</summary>
    public static LabeledTree? Find(CritBitNode? n, Label label)
    {
        while (n is not null && !n.IsLeaf)
        {
            n = BitAt(label, n.Bit) ? n.Right : n.Left;
        }

        return n is not null && n.Label == label ? n.Child : null;
    }

    /// <summary>
    /// How many labels of the tree sort before <paramref name="label"/> (of the tree's label length), and whether it is
    /// one of them: its index among the sorted labels, or where it would be inserted.
    /// </summary>
    public static int Rank(CritBitNode root, Label label, out bool found)
    {
        // The leaf the label's bits lead to shares the longest prefix with it; the first bit where they differ (c) decides
        // on which side of the subtree that splits there the label falls.
        CritBitNode n = root;
        while (!n.IsLeaf)
        {
            n = BitAt(label, n.Bit) ? n.Right! : n.Left!;
        }

        int c = CritBit(n.Label, label);
        found = c < 0;
        int rank = 0;
        n = root;
        while (!n.IsLeaf && (found || n.Bit < c))
        {
            if (BitAt(label, n.Bit))
            {
                rank += n.Left!.Count;
                n = n.Right!;
            }
            else
            {
                n = n.Left!;
            }
        }

        // Not found: every label below n shares the label's bits before c and differs at c, all in the same direction.
        return found || !BitAt(label, c) ? rank : rank + n.Count;
    }

    /// <summary>The labels and children in label order.</summary>
    public void CopyTo(Label[] labels, LabeledTree[] children, int at)
    {
        if (IsLeaf)
        {
            labels[at] = Label;
            children[at] = Child!;
            return;
        }

        Left!.CopyTo(labels, children, at);
        Right!.CopyTo(labels, children, at + Left.Count);
    }

    /// <summary>The full hash tree of this subtree.</summary>
    public HashTree ToHashTree() => IsLeaf
        ? HashTree.Labeled(Label, Child!.ToHashTree())
        : HashTree.Fork(Left!.ToHashTree(), Right!.ToHashTree());

    /// <summary>Checks that every label has the length the tree's labels have.</summary>
    public static void CheckLength(Label label, int length)
    {
        if (label.Bytes.Length != length)
        {
            throw new ArgumentException($"a crit-bit node holds labels of one length ({length} bytes), not {label.Bytes.Length} bytes: {label}", nameof(label));
        }
    }

    // The index of the first bit in which two labels of one length differ, or -1 if they are equal.
    private static int CritBit(Label a, Label b)
    {
        ReadOnlySpan<byte> x = a.Bytes, y = b.Bytes;
        int i = x.CommonPrefixLength(y);
        return i == x.Length ? -1 : (i * 8) + System.Numerics.BitOperations.LeadingZeroCount((uint)(x[i] ^ y[i])) - 24;
    }

    private static bool BitAt(Label label, int bit) => (label.Bytes[bit >> 3] & (0x80 >> (bit & 7))) != 0;
}
