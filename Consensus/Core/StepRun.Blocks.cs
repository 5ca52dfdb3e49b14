using System.Collections.Immutable;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

internal sealed partial class StepRun
{
    /// <summary>Validates the current round's proposals that are not yet known valid; drops invalid ones.</summary>
    private void ValidatePending()
    {
        long h = S.Round;
        HeightPool p = P(h);
        if (p.Proposals.Count == p.Valid.Count)
        {
            return;
        }
        SmallMap<Digest, BlockProposal> proposals = p.Proposals; // immutable: later edits of the height do not affect the walk
        for (int i = 0; i < proposals.Count; i++)
        {
            BlockProposal prop = proposals.At(i).Value;
            if (p.Valid.Contains(prop.Block.Hash))
            {
                continue;
            }
            BlockValidity v = Validate(prop.Block);
            p = P(h);
            if (v == BlockValidity.Valid)
            {
                p = Own(p);
                p.Valid = p.Valid.Add(prop.Block.Hash);
                Put(p);
            }
            else if (v == BlockValidity.Invalid)
            {
                Put(p with { Proposals = p.Proposals.Remove(prop.Block.Hash) });
                Event(ProtocolEventKind.InvalidBlock, h, prop.Block.Hash, prop.Block.Maker);
            }
        }
    }

    /// <summary>The block validity rules of the issue: notarized parent, rank, time, payload limits, no replay, no expiry.</summary>
    internal BlockValidity Validate(Block b)
    {
        long h = b.Height;
        ImmutableArray<int> ranks = Ranks(h);
        if (ranks.IsDefault)
        {
            return BlockValidity.Pending;
        }
        if ((uint)b.Maker >= (uint)_cfg.Replicas || b.Rank != ranks[b.Maker] || b.Rank >= _cfg.BlockMakers)
        {
            return BlockValidity.Invalid;
        }
        HeightPool parentPool = P(h - 1);
        if (parentPool.FinalizedHash is { } fin && !fin.Equals(b.Parent))
        {
            return BlockValidity.Invalid; // built on a sibling of a finalized block: can never be finalized
        }
        bool parentNotarized = parentPool.Notarized.ContainsKey(b.Parent) || parentPool.FinalizedHash is not null;
        if (!parentNotarized || !parentPool.Proposals.TryGetValue(b.Parent, out BlockProposal? parent))
        {
            return BlockValidity.Pending;
        }
        if (b.TimeMs < parent.Block.TimeMs || (b.TimeMs == parent.Block.TimeMs && b.TimeSubMsNanos < parent.Block.TimeSubMsNanos))
        {
            return BlockValidity.Invalid;
        }
        if (b.TimeMs > S.Now + _cfg.PermittedDriftMs)
        {
            return BlockValidity.Pending;
        }
        if (b.Payload.Length > _cfg.MaxIngressMessagesPerBlock || b.PayloadBytes > _cfg.MaxBlockPayloadBytes)
        {
            return BlockValidity.Invalid;
        }
        if (b.Payload.IsEmpty)
        {
            return BlockValidity.Valid;
        }
        HashSet<Digest>? ancestors = AncestorRequestIds(parent.Block);
        if (ancestors is null)
        {
            return BlockValidity.Pending;
        }
        var seen = new HashSet<Digest>();
        foreach (IngressMessage m in b.Payload)
        {
            if (!seen.Add(m.RequestId) || !IngressUsable(m, b.TimeMs) || S.IngressHistory.Contains(m.RequestId)
                || ancestors.Contains(m.RequestId))
            {
                return BlockValidity.Invalid;
            }
        }
        return BlockValidity.Valid;
    }

    /// <summary>Whether a message may go into a block of the given time: not expired, expiry not too far ahead.</summary>
    private bool IngressUsable(IngressMessage m, long time) =>
        m.ExpiryMs >= time && m.ExpiryMs <= time + _cfg.MaxIngressTtlMs + _cfg.PermittedDriftMs && m.Content.Length <= _cfg.MaxIngressMessageBytes;

    /// <summary>Request ids in the notarized, not yet finalized ancestors from <paramref name="tip"/> down; null when one is missing.</summary>
    private HashSet<Digest>? AncestorRequestIds(Block tip)
    {
        var ids = new HashSet<Digest>();
        if (_cfg.Faults.HasFlag(ProtocolFaults.IgnoreAncestorRequestIds))
        {
            return ids;
        }
        Block cursor = tip;
        while (cursor.Height > S.FinalizedHeight)
        {
            foreach (IngressMessage m in cursor.Payload)
            {
                ids.Add(m.RequestId);
            }
            if (!P(cursor.Height - 1).Proposals.TryGetValue(cursor.Parent, out BlockProposal? parent))
            {
                return null;
            }
            cursor = parent.Block;
        }
        return ids;
    }

    /// <summary>A block maker of rank r proposes once r unit delays passed and no lower-ranked valid block is known.</summary>
    private void TryPropose()
    {
        long h = S.Round;
        if (!S.RoundSetUp)
        {
            return;
        }
        HeightPool p = P(h);
        ImmutableArray<int> ranks = Ranks(h);
        int myRank = ranks[_me];
        long due = S.RoundStart + (myRank * _cfg.UnitDelayMs);
        if (p.MyProposal is not null || myRank >= _cfg.BlockMakers || S.Now < due || (_cfg.ManualBlockMaking && h > S.BlocksAllowedUpTo))
        {
            return;
        }
        foreach (Digest valid in p.Valid)
        {
            Block other = p.Proposals[valid].Block;
            if (other.Rank < myRank && !p.Disqualified.Contains(other.Maker))
            {
                return;
            }
        }
        HeightPool parentPool = P(h - 1);
        BlockProposal? parent = parentPool.FinalizedProposal ?? LowestNotarized(parentPool);
        if (parent is null)
        {
            return;
        }
        long timeNanos = Math.Max(S.NowNanos, parent.Block.TimeNanos);
        long time = timeNanos / Block.NanosPerMs;
        HashSet<Digest>? ancestors = AncestorRequestIds(parent.Block);
        if (ancestors is null)
        {
            return;
        }
        ImmutableArray<IngressMessage> payload = SelectPayload(time, ancestors);
        // With nothing new to include (pending ingress already sits in the unfinalized blocks below), an idle maker waits a
        // little longer: new ingress ends the wait, since every input re-runs this. So does one whose parent's state is not
        // certified yet, when the subnet asks for it: the certification ends that wait, then a batch delay collects the
        // calls its replies bring back.
        if (S.Now < due + IdleDelay(h) && !_cfg.ManualBlockMaking) // an allowed height is made at once
        {
            bool parentPending = _cfg.AwaitParentCertification && S.CertifiedHeight < h - 1;
            if (!parentPending && S.BatchTarget is null)
            {
                // Closed-loop clients answered by the parent's certification send their next calls now: once that many fresh
                // calls have joined the ones already waiting, the batch is complete and waiting longer only adds latency.
                S.BatchTarget = parent.Block.Payload.IsEmpty ? int.MaxValue
                    : Math.Min(_cfg.MaxIngressMessagesPerBlock, parent.Block.Payload.Length + payload.Length);
            }
            if (payload.IsEmpty || parentPending)
            {
                S.RoundIdle = true;
                return;
            }
            if (S.RoundIdle && _cfg.IngressBatchDelayMs > 0)
            {
                if (S.BatchUntil is not long until)
                {
                    until = S.Now + _cfg.IngressBatchDelayMs;
                    S.BatchUntil = until;
                    Timer(TimerKind.BlockMaker, h, myRank, until);
                }
                if (S.Now < until && payload.Length < S.BatchTarget)
                {
                    return;
                }
            }
        }
        var block = new Block(h, parent.Block.Hash.ToBytes(), _me, myRank, time, payload, (int)(timeNanos % Block.NanosPerMs));
        var proposal = new BlockProposal(block, _crypto.Node.Sign(SigningDomains.Proposal(block.Hash)));
        p = Own(P(h));
        p.Proposals = p.Proposals.SetItem(block.Hash, proposal);
        p.Valid = p.Valid.Add(block.Hash);
        p.MyProposal = proposal;
        Put(p);
        Persist(proposal);
        Send(proposal);
        Event(ProtocolEventKind.Proposed, h, block.Hash, _me);
    }

    /// <summary>The notarized block held at a height with the lowest rank, then the lowest hash; null when none is held.</summary>
    private static BlockProposal? LowestNotarized(HeightPool p)
    {
        BlockProposal? best = null;
        foreach ((Digest hash, Notarization _) in p.Notarized)
        {
            if (p.Proposals.TryGetValue(hash, out BlockProposal? q)
                && (best is null || q.Block.Rank < best.Block.Rank || (q.Block.Rank == best.Block.Rank && ByWords.Compare(q.Block.Hash, best.Block.Hash) < 0)))
            {
                best = q;
            }
        }
        return best;
    }

    /// <summary>Pending ingress, oldest expiry first, within the block's message and byte limits.</summary>
    private ImmutableArray<IngressMessage> SelectPayload(long time, HashSet<Digest> ancestors)
    {
        if (S.IngressPool.IsEmpty)
        {
            return [];
        }
        var chosen = ImmutableArray.CreateBuilder<IngressMessage>();
        long bytes = 0;
        foreach (IngressMessage m in S.IngressPool.Messages.OrderBy(m => m.ExpiryMs).ThenBy(m => m.RequestId, ByWords))
        {
            if (chosen.Count >= _cfg.MaxIngressMessagesPerBlock)
            {
                break;
            }
            if (!IngressUsable(m, time) || S.IngressHistory.Contains(m.RequestId) || ancestors.Contains(m.RequestId)
                || bytes + m.Size > _cfg.MaxBlockPayloadBytes)
            {
                continue;
            }
            bytes += m.Size;
            chosen.Add(m);
        }
        return chosen.ToImmutable();
    }

    /// <summary>
    /// Notarization share for the lowest-ranked valid block whose notary delay has passed, unless this replica already
    /// supported a block of no higher rank from a maker not disqualified.
    /// </summary>
    private void TryNotarize()
    {
        long h = S.Round;
        if (!S.RoundSetUp || S.NotarizedHeight - S.CertifiedHeight >= _cfg.MaxNotarizationCertificationGap)
        {
            return;
        }
        long elapsed = S.Now - S.RoundStart - _cfg.InitialNotaryDelayMs;
        if (elapsed < 0)
        {
            return;
        }
        long allowedRank = elapsed / _cfg.UnitDelayMs;
        HeightPool p = P(h);
        if (p.Valid.IsEmpty || (p.MyLowestSharedRank == 0 && p.Disqualified.IsEmpty))
        {
            return; // nothing to support, or already supporting a rank-0 block that nothing can beat
        }
        Block? best = null;
        foreach (Digest d in p.Valid)
        {
            Block b = p.Proposals[d].Block;
            if (b.Rank <= allowedRank && !p.Disqualified.Contains(b.Maker) && (best is null || b.Rank < best.Rank))
            {
                best = b;
            }
        }
        if (best is null || p.MyNotarizations.Contains(best.Hash))
        {
            return;
        }
        foreach (Digest mine in p.MyNotarizations)
        {
            if (p.Proposals.TryGetValue(mine, out BlockProposal? shared) && shared.Block.Rank <= best.Rank
                && !p.Disqualified.Contains(shared.Block.Maker))
            {
                return;
            }
        }
        byte[] hash = best.Hash.ToBytes();
        var share = new NotarizationShare(h, hash, _me, _crypto.Node.Sign(SigningDomains.Notarization(h, hash)));
        Persist(share);
        Send(share);
        AddNotarizationShare(share, best.Hash);
    }
}

/// <summary>Outcome of checking a block against the validity rules.</summary>
internal enum BlockValidity
{
    Valid,
    Invalid,
    Pending,
}
