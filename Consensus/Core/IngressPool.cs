using System.Collections.Immutable;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

/// <summary>
/// Ingress waiting for a block, each message with the replica it came from (this one for its own clients' calls), and
/// what each such origin holds in messages and bytes, so that one peer's gossip cannot fill the pool: a peer's
/// messages count against its own quota and the pool's total, this replica's against the total only.
/// </summary>
internal sealed record IngressPool
{
    public static readonly IngressPool Empty = new();

    private ImmutableDictionary<Digest, (IngressMessage Message, int Origin)> Entries { get; init; } =
        ImmutableDictionary<Digest, (IngressMessage, int)>.Empty;

    private ImmutableDictionary<int, (int Count, long Bytes)> ByOrigin { get; init; } = ImmutableDictionary<int, (int, long)>.Empty;

    public int Count => Entries.Count;

    public long Bytes { get; private init; }

    public bool IsEmpty => Entries.IsEmpty;

    public IEnumerable<IngressMessage> Messages => Entries.Values.Select(e => e.Message);

    public bool Contains(Digest id) => Entries.ContainsKey(id);

    /// <summary>What one origin holds.</summary>
    public (int Count, long Bytes) HeldBy(int origin) => ByOrigin.GetValueOrDefault(origin);

    /// <summary>The pool with the message added, or null when it would pass a quota (its origin's, or the total).</summary>
    public IngressPool? TryAdd(IngressMessage m, int origin, bool peer, ConsensusConfig cfg)
    {
        (int count, long bytes) = HeldBy(origin);
        if (Count >= cfg.MaxIngressPoolMessages || Bytes + m.Size > cfg.MaxIngressPoolBytes
            || (peer && (count >= cfg.MaxIngressPoolMessagesPerPeer || bytes + m.Size > cfg.MaxIngressPoolBytesPerPeer)))
        {
            return null;
        }
        return this with
        {
            Entries = Entries.Add(m.RequestId, (m, origin)),
            ByOrigin = ByOrigin.SetItem(origin, (count + 1, bytes + m.Size)),
            Bytes = Bytes + m.Size,
        };
    }

    /// <summary>The pool without these messages (ids not held are ignored).</summary>
    public IngressPool RemoveRange(IEnumerable<Digest> ids)
    {
        ImmutableDictionary<Digest, (IngressMessage Message, int Origin)>.Builder entries = Entries.ToBuilder();
        ImmutableDictionary<int, (int Count, long Bytes)>.Builder byOrigin = ByOrigin.ToBuilder();
        long total = Bytes;
        foreach (Digest id in ids)
        {
            if (!entries.Remove(id, out (IngressMessage Message, int Origin) e))
            {
                continue;
            }
            (int count, long bytes) = byOrigin[e.Origin];
            if (count == 1)
            {
                byOrigin.Remove(e.Origin);
            }
            else
            {
                byOrigin[e.Origin] = (count - 1, bytes - e.Message.Size);
            }
            total -= e.Message.Size;
        }
        return entries.Count == Entries.Count ? this : this with { Entries = entries.ToImmutable(), ByOrigin = byOrigin.ToImmutable(), Bytes = total };
    }
}
