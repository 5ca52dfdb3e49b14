using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.InteropServices;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

/// <summary>
/// Request ids of the finalized chain that have not yet expired at the latest finalized block's time: the set the
/// "no replay" validity rule checks. A persistent radix trie on the id's bits, most significant first (so a walk gives
/// request-id order, as a catch-up package carries the records), with expiry applied on lookup: a record whose expiry
/// is below the latest block time is no longer held, and such records are dropped from the trie once the trie has
/// doubled since it last did so. Adding a block copies one short path instead of rebalancing two trees.
/// </summary>
internal sealed class IngressHistory
{
    /// <summary>Below this many records in the trie, forgotten ones are not worth dropping.</summary>
    private const int MinCompaction = 256;

    public static readonly IngressHistory Empty = new(new Node(0, []), long.MinValue, 0, 0);

    private readonly Node _root;

    /// <summary>Records with an expiry below this are forgotten (the latest block time; MinValue when none applies).</summary>
    private readonly long _forgetBelow;

    /// <summary>Records in the trie, forgotten ones included.</summary>
    private readonly int _count;

    /// <summary>Records the trie held right after it last dropped the forgotten ones.</summary>
    private readonly int _countAfterCompaction;

    private IngressHistory(Node root, long forgetBelow, int count, int countAfterCompaction)
    {
        _root = root;
        _forgetBelow = forgetBelow;
        _count = count;
        _countAfterCompaction = countAfterCompaction;
    }

    public bool Contains(Digest requestId) => Find(requestId) is { } r && r.ExpiryMs >= _forgetBelow;

    /// <summary>Adds the payload of a finalized block, then forgets ids that expired before the block's time.</summary>
    public IngressHistory AddBlock(Block block)
    {
        IngressHistory h = this;
        if (block.TimeMs < _forgetBelow)
        {
            h = h.Compacted(); // block times only rise along a chain; this keeps the set exact if they did not
        }
        Node root = h._root;
        int count = h._count;
        foreach (IngressMessage m in block.Payload)
        {
            if (!h.Contains(m.RequestId))
            {
                root = Insert(root, new Record(m.RequestId, m.ExpiryMs), 0, ref count);
            }
        }
        var next = new IngressHistory(root, block.TimeMs, count, h._countAfterCompaction);
        return count >= Math.Max(MinCompaction, 2 * h._countAfterCompaction) ? next.Compacted() : next;
    }

    /// <summary>The records in request-id order, as a catch-up package carries them.</summary>
    public ImmutableArray<IngressRecord> ToRecords()
    {
        var held = new List<Record>(_count);
        Collect(_root, _forgetBelow, held);
        var records = new IngressRecord[held.Count];
        for (int i = 0; i < records.Length; i++)
        {
            records[i] = new IngressRecord(held[i].Id, held[i].ExpiryMs);
        }
        return ImmutableCollectionsMarshal.AsImmutableArray(records);
    }

    /// <summary>The hash of <see cref="ToRecords"/> as a catch-up package commits to it, from a walk of the trie.</summary>
    public Digest Hash()
    {
        var hash = new IngressHistoryHash(stackalloc byte[IngressHistoryHash.ChunkBytes]);
        try
        {
            AddHeld(_root, _forgetBelow, ref hash);
            return hash.Finish();
        }
        finally
        {
            hash.Dispose();
        }
    }

    public static IngressHistory FromRecords(ImmutableArray<IngressRecord> records)
    {
        Node root = Empty._root;
        int count = 0;
        foreach (IngressRecord r in records)
        {
            if (Find(root, r.RequestId) is null)
            {
                root = Insert(root, new Record(r.RequestId, r.ExpiryMs), 0, ref count);
            }
        }
        return new IngressHistory(root, long.MinValue, count, count);
    }

    /// <summary>The same set with the forgotten records dropped from the trie.</summary>
    private IngressHistory Compacted()
    {
        var held = new List<Record>(_count);
        Collect(_root, _forgetBelow, held);
        Node root = held.Count == 0 ? Empty._root : (Node)Build(CollectionsMarshal.AsSpan(held), 0, forceNode: true);
        return new IngressHistory(root, long.MinValue, held.Count, held.Count);
    }

    private Record? Find(Digest id) => Find(_root, id);

    private static Record? Find(Node root, Digest id)
    {
        Node node = root;
        for (int level = 0; ; level++)
        {
            uint bit = 1u << Chunk(id, level);
            if ((node.Bitmap & bit) == 0)
            {
                return null;
            }
            object slot = node.Slots[BitOperations.PopCount(node.Bitmap & (bit - 1))];
            if (slot is Record r)
            {
                return r.Id.Equals(id) ? r : null;
            }
            node = (Node)slot;
        }
    }

    /// <summary>The node with the record added below it (replacing one of the same id); counts an added record.</summary>
    private static Node Insert(Node node, Record record, int level, ref int count)
    {
        uint bit = 1u << Chunk(record.Id, level);
        int at = BitOperations.PopCount(node.Bitmap & (bit - 1));
        if ((node.Bitmap & bit) == 0)
        {
            object[] grown = new object[node.Slots.Length + 1];
            Array.Copy(node.Slots, grown, at);
            grown[at] = record;
            count++;
            Array.Copy(node.Slots, at, grown, at + 1, node.Slots.Length - at);
            return new Node(node.Bitmap | bit, grown);
        }
        object[] slots = (object[])node.Slots.Clone();
        if (slots[at] is Node child)
        {
            slots[at] = Insert(child, record, level + 1, ref count);
        }
        else if (slots[at] is Record r && !r.Id.Equals(record.Id))
        {
            slots[at] = Build(Digest.Order.Compare(r.Id, record.Id) < 0 ? [r, record] : [record, r], level + 1, forceNode: true);
            count++;
        }
        else
        {
            slots[at] = record; // the same id: the newer record replaces a forgotten one
        }
        return new Node(node.Bitmap, slots);
    }

    /// <summary>A subtree holding records sorted by id, all equal in the chunks above <paramref name="level"/>.</summary>
    private static object Build(ReadOnlySpan<Record> sorted, int level, bool forceNode = false)
    {
        if (sorted.Length == 1 && !forceNode)
        {
            return sorted[0];
        }
        uint bitmap = 0;
        foreach (Record r in sorted)
        {
            bitmap |= 1u << Chunk(r.Id, level);
        }
        object[] slots = new object[BitOperations.PopCount(bitmap)];
        int start = 0;
        for (int k = 0; k < slots.Length; k++)
        {
            int chunk = Chunk(sorted[start].Id, level);
            int end = start + 1;
            while (end < sorted.Length && Chunk(sorted[end].Id, level) == chunk)
            {
                end++;
            }
            slots[k] = Build(sorted[start..end], level + 1);
            start = end;
        }
        return new Node(bitmap, slots);
    }

    /// <summary>Appends the records not forgotten below <paramref name="node"/>, in id order.</summary>
    private static void Collect(Node node, long forgetBelow, List<Record> held)
    {
        foreach (object slot in node.Slots)
        {
            if (slot is Record r)
            {
                if (r.ExpiryMs >= forgetBelow)
                {
                    held.Add(r);
                }
            }
            else
            {
                Collect((Node)slot, forgetBelow, held);
            }
        }
    }

    /// <summary>Adds the records not forgotten below <paramref name="node"/> to the hash, in id order.</summary>
    private static void AddHeld(Node node, long forgetBelow, ref IngressHistoryHash hash)
    {
        foreach (object slot in node.Slots)
        {
            if (slot is Record r)
            {
                if (r.ExpiryMs >= forgetBelow)
                {
                    hash.Add(r.Id, r.ExpiryMs);
                }
            }
            else
            {
                AddHeld((Node)slot, forgetBelow, ref hash);
            }
        }
    }

    /// <summary>Bits 5*level .. 5*level+4 of the id, counted from its most significant bit (zero past the end).</summary>
    private static int Chunk(Digest id, int level)
    {
        int p = level * 5;
        int word = p >> 6, offset = p & 63;
        ulong hi = Word(id, word);
        ulong window = offset == 0 ? hi : (hi << offset) | (Word(id, word + 1) >> (64 - offset));
        return (int)(window >> 59);
    }

    private static ulong Word(Digest id, int index) => index switch
    {
        0 => id.A,
        1 => id.B,
        2 => id.C,
        3 => id.D,
        _ => 0,
    };

    private sealed record Record(Digest Id, long ExpiryMs);

    /// <summary>A trie node: a bit per occupied chunk value and one slot (a record or a node) per set bit, in bit order.</summary>
    private sealed class Node(uint bitmap, object[] slots)
    {
        public uint Bitmap { get; } = bitmap;
        public object[] Slots { get; } = slots;
    }
}
