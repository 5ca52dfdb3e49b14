using System.Collections.Immutable;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

/// <summary>
/// Request ids of the finalized chain that have not yet expired at the latest finalized block's time: the set the
/// "no replay" validity rule checks. Indexed by id for lookups and by expiry so pruning touches only what expires.
/// </summary>
internal sealed class IngressHistory
{
    private static readonly IComparer<(long Expiry, Digest Id)> s_byExpiry = Comparer<(long Expiry, Digest Id)>.Create(static (a, b) =>
        a.Expiry != b.Expiry ? a.Expiry.CompareTo(b.Expiry) : Digest.Order.Compare(a.Id, b.Id));

    public static readonly IngressHistory Empty = new(
        ImmutableSortedDictionary<Digest, long>.Empty.WithComparers(Digest.Order),
        ImmutableSortedSet<(long, Digest)>.Empty.WithComparer(s_byExpiry));

    private readonly ImmutableSortedDictionary<Digest, long> _byId;
    private readonly ImmutableSortedSet<(long Expiry, Digest Id)> _byExpiry;

    private IngressHistory(ImmutableSortedDictionary<Digest, long> byId, ImmutableSortedSet<(long, Digest)> byExpiry)
    {
        _byId = byId;
        _byExpiry = byExpiry;
    }

    public int Count => _byId.Count;

    public bool Contains(Digest requestId) => _byId.ContainsKey(requestId);

    /// <summary>Adds the payload of a finalized block, then forgets ids that expired before the block's time.</summary>
    public IngressHistory AddBlock(Block block)
    {
        ImmutableSortedDictionary<Digest, long>.Builder byId = _byId.ToBuilder();
        ImmutableSortedSet<(long, Digest)>.Builder byExpiry = _byExpiry.ToBuilder();
        foreach (IngressMessage m in block.Payload)
        {
            if (byId.TryAdd(m.RequestId, m.ExpiryMs))
            {
                byExpiry.Add((m.ExpiryMs, m.RequestId));
            }
        }
        while (byExpiry.Count > 0 && byExpiry.Min.Item1 < block.TimeMs)
        {
            (long, Digest) oldest = byExpiry.Min;
            byExpiry.Remove(oldest);
            byId.Remove(oldest.Item2);
        }
        return new IngressHistory(byId.ToImmutable(), byExpiry.ToImmutable());
    }

    /// <summary>The records in request-id order, as a catch-up package carries them.</summary>
    public ImmutableArray<IngressRecord> ToRecords()
    {
        ImmutableArray<IngressRecord>.Builder records = ImmutableArray.CreateBuilder<IngressRecord>(_byId.Count);
        foreach (KeyValuePair<Digest, long> kv in _byId)
        {
            records.Add(new IngressRecord(kv.Key, kv.Value));
        }
        return records.MoveToImmutable();
    }

    public static IngressHistory FromRecords(ImmutableArray<IngressRecord> records)
    {
        ImmutableSortedDictionary<Digest, long>.Builder byId = Empty._byId.ToBuilder();
        ImmutableSortedSet<(long, Digest)>.Builder byExpiry = Empty._byExpiry.ToBuilder();
        foreach (IngressRecord r in records)
        {
            if (byId.TryAdd(r.RequestId, r.ExpiryMs))
            {
                byExpiry.Add((r.ExpiryMs, r.RequestId));
            }
        }
        return new IngressHistory(byId.ToImmutable(), byExpiry.ToImmutable());
    }
}
