using System.Formats.Cbor;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Protocol.HashTrees;

/// <summary>The kind of a hash-tree node, with the CBOR tag the interface specification gives it.</summary>
public enum HashTreeKind
{
    /// <summary><c>[0]</c>.</summary>
    Empty = 0,

    /// <summary><c>[1, left, right]</c>.</summary>
    Fork = 1,

    /// <summary><c>[2, label, subtree]</c>.</summary>
    Labeled = 2,

    /// <summary><c>[3, value]</c>.</summary>
    Leaf = 3,

    /// <summary><c>[4, hash]</c>.</summary>
    Pruned = 4,
}

/// <summary>
/// A (possibly pruned) IC hash tree. Immutable; the root hash is computed once with the domain-separated
/// reconstruct function of the interface specification.
/// </summary>
public sealed class HashTree
{
    private static readonly HashTree s_empty = new(HashTreeKind.Empty, null, null, default, null);
    private byte[]? _digest;

    private HashTree(HashTreeKind kind, HashTree? left, HashTree? right, Label label, byte[]? bytes)
    {
        Kind = kind;
        Left = left;
        Right = right;
        NodeLabel = label;
        _bytes = bytes;
    }

    private readonly byte[]? _bytes;

    /// <summary>The node kind.</summary>
    public HashTreeKind Kind { get; }

    /// <summary>Left subtree of a fork; the subtree of a labeled node.</summary>
    public HashTree? Left { get; }

    /// <summary>Right subtree of a fork.</summary>
    public HashTree? Right { get; }

    /// <summary>The subtree of a labeled node (null for other kinds).</summary>
    public HashTree? Subtree => Kind == HashTreeKind.Labeled ? Left : null;

    /// <summary>The label of a labeled node.</summary>
    public Label NodeLabel { get; }

    /// <summary>The value of a leaf, or the 32-byte hash of a pruned node.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The empty tree.</summary>
    public static HashTree Empty => s_empty;

    /// <summary>A fork of two subtrees.</summary>
    public static HashTree Fork(HashTree left, HashTree right) =>
        new(HashTreeKind.Fork, left ?? throw new ArgumentNullException(nameof(left)), right ?? throw new ArgumentNullException(nameof(right)), default, null);

    /// <summary>A labeled subtree.</summary>
    public static HashTree Labeled(Label label, HashTree subtree) =>
        new(HashTreeKind.Labeled, subtree ?? throw new ArgumentNullException(nameof(subtree)), null, label, null);

    /// <summary>A leaf holding a value (not copied).</summary>
    public static HashTree Leaf(byte[] value) => new(HashTreeKind.Leaf, null, null, default, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A pruned subtree, represented by its 32-byte hash.</summary>
    public static HashTree Pruned(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException($"a pruned node holds a 32-byte hash, got {hash.Length}", nameof(hash));
        }

        return new(HashTreeKind.Pruned, null, null, default, hash.ToArray());
    }

    /// <summary>The root hash (reconstruct in the specification).</summary>
    public ReadOnlySpan<byte> Digest => _digest ??= ComputeDigest();

    /// <summary>The root hash as a new array.</summary>
    public byte[] DigestArray() => Digest.ToArray();

    private byte[] ComputeDigest()
    {
        switch (Kind)
        {
            case HashTreeKind.Empty:
                return Sha256.HashData(DomainSeparators.HashTreeEmpty);
            case HashTreeKind.Fork:
                return HashForkDigests(Left!.Digest, Right!.Digest);
            case HashTreeKind.Labeled:
                return HashLabeledDigest(NodeLabel.Bytes, Left!.Digest);
            case HashTreeKind.Leaf:
                return HashLeaf(_bytes);
            default:
                return _bytes!;
        }
    }

    /// <summary>SHA256(<c>\x10ic-hashtree-fork</c> || left || right).</summary>
    public static byte[] HashForkDigests(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        byte[] digest = new byte[32];
        HashForkDigests(left, right, digest);
        return digest;
    }

    /// <summary>SHA256(<c>\x10ic-hashtree-fork</c> || left || right) into <paramref name="destination"/> (32 bytes; may overlap the inputs).</summary>
    internal static void HashForkDigests(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[17 + 64];
        DomainSeparators.HashTreeFork.CopyTo(buffer);
        left.CopyTo(buffer[17..]);
        right.CopyTo(buffer[49..]);
        Sha256.HashData(buffer, destination);
    }

    /// <summary>SHA256(<c>\x13ic-hashtree-labeled</c> || label || subtree digest).</summary>
    public static byte[] HashLabeledDigest(ReadOnlySpan<byte> label, ReadOnlySpan<byte> subtree)
    {
        ReadOnlySpan<byte> separator = DomainSeparators.HashTreeLabeled;
        int length = separator.Length + label.Length + subtree.Length;
        if (length > 512)
        {
            using var sha = new Sha256Hasher();
            sha.Append(separator);
            sha.Append(label);
            sha.Append(subtree);
            return sha.GetHashAndReset();
        }

        // One-shot hashing of a stack buffer: labels are short, and this runs for every node of the state tree.
        Span<byte> buffer = stackalloc byte[length];
        separator.CopyTo(buffer);
        label.CopyTo(buffer[separator.Length..]);
        subtree.CopyTo(buffer[(separator.Length + label.Length)..]);
        return Sha256.HashData(buffer);
    }

    /// <summary>SHA256(<c>\x10ic-hashtree-leaf</c> || value).</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> value)
    {
        ReadOnlySpan<byte> separator = DomainSeparators.HashTreeLeaf;
        if (value.Length > 512)
        {
            using var sha = new Sha256Hasher();
            sha.Append(separator);
            sha.Append(value);
            return sha.GetHashAndReset();
        }

        Span<byte> buffer = stackalloc byte[separator.Length + value.Length];
        separator.CopyTo(buffer);
        value.CopyTo(buffer[separator.Length..]);
        return Sha256.HashData(buffer);
    }

    /// <summary>lookup_path of the specification: Found with the leaf value, Absent, Unknown or Error.</summary>
    public LookupResult LookupPath(params ReadOnlySpan<Label> path)
    {
        SubtreeLookupResult sub = Descend(path);
        if (sub.Status != LookupStatus.Found)
        {
            return new LookupResult(sub.Status, default);
        }

        HashTree t = sub.Tree!;
        return t.Kind switch
        {
            HashTreeKind.Empty => LookupResult.Absent,
            HashTreeKind.Leaf => new LookupResult(LookupStatus.Found, t._bytes),
            HashTreeKind.Pruned => LookupResult.Unknown,
            _ => LookupResult.Error,
        };
    }

    /// <summary>Looks up the subtree at a path; Found with the subtree (of any kind), or Absent, Unknown or Error.</summary>
    public SubtreeLookupResult LookupSubtree(params ReadOnlySpan<Label> path) => Descend(path);

    private SubtreeLookupResult Descend(ReadOnlySpan<Label> path)
    {
        HashTree current = this;
        var forest = new List<HashTree>();
        foreach (Label label in path)
        {
            forest.Clear();
            current.Flatten(forest);
            (LookupStatus status, HashTree? found) = FindLabel(label, forest);
            if (status != LookupStatus.Found)
            {
                return new SubtreeLookupResult(status, null);
            }

            current = found!;
        }

        return new SubtreeLookupResult(LookupStatus.Found, current);
    }

    /// <summary>The labeled children one level down (forks flattened), in tree order.</summary>
    public IReadOnlyList<(Label Label, HashTree Subtree)> Children()
    {
        var forest = new List<HashTree>();
        Flatten(forest);
        return forest.Where(t => t.Kind == HashTreeKind.Labeled).Select(t => (t.NodeLabel, t.Left!)).ToList();
    }

    private void Flatten(List<HashTree> into)
    {
        // Iterative, so that a long fork chain cannot exhaust the stack.
        var stack = new Stack<HashTree>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            HashTree t = stack.Pop();
            if (t.Kind == HashTreeKind.Fork)
            {
                stack.Push(t.Right!);
                stack.Push(t.Left!);
            }
            else if (t.Kind != HashTreeKind.Empty)
            {
                into.Add(t);
            }
        }
    }

    // find_label of the specification, clause by clause.
    private static (LookupStatus, HashTree?) FindLabel(Label l, List<HashTree> trees)
    {
        foreach (HashTree t in trees)
        {
            if (t.Kind == HashTreeKind.Labeled && t.NodeLabel == l)
            {
                return (LookupStatus.Found, t.Left);
            }
        }

        for (int i = 0; i + 1 < trees.Count; i++)
        {
            if (trees[i].Kind == HashTreeKind.Labeled && trees[i + 1].Kind == HashTreeKind.Labeled
                && trees[i].NodeLabel.CompareTo(l) < 0 && l.CompareTo(trees[i + 1].NodeLabel) < 0)
            {
                return (LookupStatus.Absent, null);
            }
        }

        if (trees.Count > 0 && trees[0].Kind == HashTreeKind.Labeled && l.CompareTo(trees[0].NodeLabel) < 0)
        {
            return (LookupStatus.Absent, null);
        }

        if (trees.Count > 0 && trees[^1].Kind == HashTreeKind.Labeled && trees[^1].NodeLabel.CompareTo(l) < 0)
        {
            return (LookupStatus.Absent, null);
        }

        if (trees.Count == 0 || (trees.Count == 1 && trees[0].Kind == HashTreeKind.Leaf))
        {
            return (LookupStatus.Absent, null);
        }

        return (LookupStatus.Unknown, null);
    }

    /// <summary>
    /// Well-formedness: in every flattened forest the labels strictly increase and a leaf never shares a forest
    /// with anything else.
    /// </summary>
    public bool IsWellFormed()
    {
        var forest = new List<HashTree>();
        var pending = new Stack<HashTree>();
        pending.Push(this);
        while (pending.Count > 0)
        {
            HashTree t = pending.Pop();
            forest.Clear();
            t.Flatten(forest);
            bool hasLeaf = false, hasOther = false;
            Label? previous = null;
            foreach (HashTree f in forest)
            {
                switch (f.Kind)
                {
                    case HashTreeKind.Leaf:
                        hasLeaf = true;
                        break;
                    case HashTreeKind.Labeled:
                        hasOther = true;
                        if (previous is { } p && p.CompareTo(f.NodeLabel) >= 0)
                        {
                            return false;
                        }

                        previous = f.NodeLabel;
                        pending.Push(f.Left!);
                        break;
                    default:
                        hasOther = true;
                        break;
                }
            }

            if (hasLeaf && (hasOther || forest.Count > 1))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Decodes a hash tree from CBOR (tag 55799 optional); throws <see cref="CborFormatException"/>.</summary>
    public static HashTree Decode(ReadOnlyMemory<byte> cbor) => IcCbor.Decode(cbor, Read, "hash tree");

    /// <summary>Reads a hash tree at the reader's position, rejecting nesting deeper than <see cref="IcCbor.MaxDepth"/>.</summary>
    public static HashTree Read(CborReader reader)
    {
        IcCbor.CheckDepth(reader);
        IcCbor.SkipSelfDescribeTag(reader);
        if (reader.PeekState() != CborReaderState.StartArray)
        {
            throw new CborFormatException($"hash tree node must be an array, found {reader.PeekState()}");
        }

        int? length = reader.ReadStartArray();
        if (reader.PeekState() != CborReaderState.UnsignedInteger)
        {
            throw new CborFormatException("hash tree node must start with its tag 0..4");
        }

        ulong tag = reader.ReadUInt64();
        HashTree result;
        int expected;
        switch (tag)
        {
            case 0:
                result = Empty;
                expected = 1;
                break;
            case 1:
                HashTree left = Read(reader);
                result = Fork(left, Read(reader));
                expected = 3;
                break;
            case 2:
                byte[] label = IcCbor.ReadBlob(reader);
                result = Labeled(new Label(label), Read(reader));
                expected = 3;
                break;
            case 3:
                result = Leaf(IcCbor.ReadBlob(reader));
                expected = 2;
                break;
            case 4:
                byte[] hash = IcCbor.ReadBlob(reader);
                if (hash.Length != 32)
                {
                    throw new CborFormatException($"pruned node hash has {hash.Length} bytes, expected 32");
                }

                result = Pruned(hash);
                expected = 2;
                break;
            default:
                throw new CborFormatException($"unknown hash tree node tag {tag}");
        }

        if (length is { } n && n != expected)
        {
            throw new CborFormatException($"hash tree node with tag {tag} has {n} elements, expected {expected}");
        }

        if (reader.PeekState() != CborReaderState.EndArray)
        {
            throw new CborFormatException($"hash tree node with tag {tag} has extra elements");
        }

        reader.ReadEndArray();
        return result;
    }

    /// <summary>Writes the tree as CBOR arrays (no self-describe tag).</summary>
    public void Write(CborWriter writer)
    {
        switch (Kind)
        {
            case HashTreeKind.Empty:
                writer.WriteStartArray(1);
                writer.WriteUInt32(0);
                break;
            case HashTreeKind.Fork:
                writer.WriteStartArray(3);
                writer.WriteUInt32(1);
                Left!.Write(writer);
                Right!.Write(writer);
                break;
            case HashTreeKind.Labeled:
                writer.WriteStartArray(3);
                writer.WriteUInt32(2);
                writer.WriteByteString(NodeLabel.Bytes);
                Left!.Write(writer);
                break;
            default:
                writer.WriteStartArray(2);
                writer.WriteUInt32((uint)Kind);
                writer.WriteByteString(_bytes!);
                break;
        }

        writer.WriteEndArray();
    }

    /// <summary>The CBOR encoding of the tree, optionally with the self-describe tag.</summary>
    public byte[] Encode(bool selfDescribe = false)
    {
        CborWriter writer = IcCbor.CreateWriter(selfDescribe);
        Write(writer);
        return writer.Encode();
    }
}
