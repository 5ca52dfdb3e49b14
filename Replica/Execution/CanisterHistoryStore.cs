using System.Buffers.Binary;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Execution;

/// <summary>
/// Every canister's change history (replicated state), as <c>canister_info</c> reports it: the total number of
/// changes since creation and the most recent <see cref="MaxChanges"/> of them (the IC's bound), oldest first.
/// A deleted canister's history goes with it. Not thread-safe: execution owns it.
/// </summary>
public sealed class CanisterHistoryStore
{
    /// <summary>How many changes the IC keeps per canister (<c>MAX_CANISTER_HISTORY_CHANGES</c>).</summary>
    public const int MaxChanges = 20;

    private readonly SortedDictionary<Principal, History> _histories = new();

    /// <summary>How many changes the canister has had (0 when it has no history).</summary>
    public ulong TotalChanges(Principal canister) => _histories.GetValueOrDefault(canister)?.Total ?? 0;

    /// <summary>The canister's kept changes, oldest first.</summary>
    public IReadOnlyList<CanisterChange> Changes(Principal canister) =>
        _histories.TryGetValue(canister, out History? h) ? [.. h.Changes] : [];

    /// <summary>Adds a change to the canister's history, forgetting the oldest beyond <see cref="MaxChanges"/>.</summary>
    public void Record(Principal canister, CanisterChange change)
    {
        ArgumentNullException.ThrowIfNull(canister);
        ArgumentNullException.ThrowIfNull(change);
        if (!_histories.TryGetValue(canister, out History? h))
        {
            h = new History();
            _histories.Add(canister, h);
        }

        h.Total++;
        h.Changes.Enqueue(change);
        if (h.Changes.Count > MaxChanges)
        {
            h.Changes.Dequeue();
        }
    }

    /// <summary>Forgets a deleted canister's history.</summary>
    public void Remove(Principal canister) => _histories.Remove(canister);

    /// <summary>
    /// The store as bytes: count u32, then per canister (by id) its id (u8 length + bytes), total u64, kept count u8 and
    /// each change as its Candid encoding (u32 length + bytes); big-endian. Equal stores give equal bytes.
    /// </summary>
    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(b, (uint)_histories.Count);
        stream.Write(b[..4]);
        foreach ((Principal id, History h) in _histories)
        {
            stream.WriteByte((byte)id.Length);
            stream.Write(id.Bytes);
            BinaryPrimitives.WriteUInt64BigEndian(b, h.Total);
            stream.Write(b);
            stream.WriteByte((byte)h.Changes.Count);
            foreach (CanisterChange c in h.Changes)
            {
                byte[] candid = CandidArgs.Encode(c);
                BinaryPrimitives.WriteUInt32BigEndian(b, (uint)candid.Length);
                stream.Write(b[..4]);
                stream.Write(candid);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Replaces the store with <see cref="Snapshot"/> bytes; all or nothing.</summary>
    /// <exception cref="FormatException">the bytes are malformed.</exception>
    public void Restore(ReadOnlySpan<byte> bytes)
    {
        var read = new SortedDictionary<Principal, History>();
        int pos = 0;
        uint count = BinaryPrimitives.ReadUInt32BigEndian(Take(bytes, ref pos, 4));
        for (uint i = 0; i < count; i++)
        {
            int length = Take(bytes, ref pos, 1)[0];
            if (!Principal.TryFromBytes(Take(bytes, ref pos, length), out Principal id))
            {
                throw new FormatException("canister history: bad canister id");
            }

            var h = new History { Total = BinaryPrimitives.ReadUInt64BigEndian(Take(bytes, ref pos, 8)) };
            int kept = Take(bytes, ref pos, 1)[0];
            if (kept > MaxChanges || (ulong)kept > h.Total)
            {
                throw new FormatException($"canister history of {id}: {kept} changes kept of {h.Total}");
            }

            for (int j = 0; j < kept; j++)
            {
                int n = (int)BinaryPrimitives.ReadUInt32BigEndian(Take(bytes, ref pos, 4));
                try
                {
                    h.Changes.Enqueue(CandidArgs.Decode<CanisterChange>(Take(bytes, ref pos, n)));
                }
                catch (CandidFormatException e)
                {
                    throw new FormatException($"canister history of {id}: {e.Message}", e);
                }
            }

            if (!read.TryAdd(id, h))
            {
                throw new FormatException($"canister history of {id} appears twice");
            }
        }

        if (pos != bytes.Length)
        {
            throw new FormatException($"{bytes.Length - pos} bytes after the canister histories");
        }

        _histories.Clear();
        foreach ((Principal id, History h) in read)
        {
            _histories.Add(id, h);
        }
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> bytes, ref int pos, int n)
    {
        if (n < 0 || n > bytes.Length - pos)
        {
            throw new FormatException("canister histories truncated");
        }

        ReadOnlySpan<byte> taken = bytes.Slice(pos, n);
        pos += n;
        return taken;
    }

    private sealed class History
    {
        public ulong Total { get; set; }

        public Queue<CanisterChange> Changes { get; } = new();
    }
}
