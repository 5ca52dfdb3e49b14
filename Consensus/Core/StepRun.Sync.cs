using System.Collections.Immutable;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

internal sealed partial class StepRun
{
    /// <summary>
    /// A peer made no progress: send it, in one ordered bundle within <see cref="ConsensusConfig.MaxSyncBundleBytes"/>,
    /// the catch-up package and finalized chain it lacks, then the notarized blocks, beacons and this replica's own shares
    /// above its finalized height. A peer is answered again only once it progressed or half a status interval passed,
    /// so a peer that floods status requests gets no more bytes than one that asks honestly.
    /// </summary>
    private void OnStatus(int from, StatusRequest req)
    {
        if (S.StatusAnswered.TryGetValue(from, out var last) && req.FinalizedHeight <= last.Finalized && req.CertifiedHeight <= last.Certified
            && S.Now - last.At < _cfg.StatusIntervalMs / 2)
        {
            Dropped();
            return;
        }
        S = S with { StatusAnswered = S.StatusAnswered.SetItem(from, (S.Now, req.FinalizedHeight, req.CertifiedHeight)) };
        var list = new List<ConsensusMessage>();
        long budget = _cfg.MaxSyncBundleBytes;
        long start = Math.Max(req.FinalizedHeight, 0) + 1;
        if (S.LatestCatchUp is { } cup && req.FinalizedHeight < S.CatchUpHeight)
        {
            list.Add(cup);
            budget -= cup.Encode().Length;
            start = S.CatchUpHeight + 1;
        }
        long f = S.FinalizedHeight;
        long hi = Math.Min(S.Round, Math.Max(start, f + 1) + _cfg.SyncBatch);
        long reach = Math.Max(req.FinalizedHeight, start - 1); // the asker's finalized height once it applied this bundle
        if (start <= f)
        {
            long end = FinalizedWithinBudget(start, Math.Min(f, start + _cfg.SyncBatch - 1), ref budget);
            reach = Math.Max(reach, end);
            for (long y = start; y <= end; y++)
            {
                HeightPool py = P(y);
                if (py.FinalizedProposal is { } prop && py.Beacon is { } beacon)
                {
                    list.Add(prop);
                    list.Add(new RandomBeacon(y, beacon));
                }
            }
            if (end >= start && P(end).Finalization is { } fin)
            {
                list.Add(fin);
            }
            if (end < f)
            {
                hi = 0; // the heights above the finalized ones are of no use before the rest of the chain
            }
        }
        long lo = Math.Max(start, f + 1);
        for (long x = lo; x <= hi && budget > 0; x++)
        {
            int before = list.Count;
            HeightPool p = P(x);
            if (x < S.Round)
            {
                foreach ((Digest hash, Notarization proof) in p.Notarized)
                {
                    if (p.Proposals.TryGetValue(hash, out BlockProposal? prop))
                    {
                        list.Add(prop);
                    }
                    list.Add(proof);
                }
            }
            else
            {
                list.AddRange(p.Proposals.Values.Where(q => p.Valid.Contains(q.Block.Hash)));
                list.AddRange(p.MyNotarizationShares);
            }
            if (p.Beacon is { } beacon)
            {
                list.Add(new RandomBeacon(x, beacon));
            }
            else if (p.MyBeaconShare is { } bs)
            {
                list.Add(bs);
            }
            if (p.MyFinalization is { } fs)
            {
                list.Add(fs);
            }
            budget -= list.Skip(before).Sum(m => (long)m.Encode().Length);
            if (budget < 0 && before > 0)
            {
                list.RemoveRange(before, list.Count - before); // the rest of the chain comes with the next answer
                break;
            }
        }
        // Of the certifications the asker lacks, only the newest up to the height it will have finalized: certifying that
        // height once executed certifies its state, and the heights below need none of their own. Also those at catch-up
        // heights whose package is not made yet (it needs the asker's share). This replica's own shares only where no
        // certification exists yet.
        long certFrom = Math.Max(req.CertifiedHeight + 1, S.CatchUpHeight > req.FinalizedHeight ? S.CatchUpHeight + 1 : 1);
        long certTo = Math.Min(S.ExecutedHeight, certFrom + _cfg.SyncBatch - 1);
        long newest = NewestCertification(certFrom, Math.Min(S.ExecutedHeight, reach));
        for (long c = certFrom; c <= Math.Max(certTo, newest); c++)
        {
            HeightPool pc = P(c);
            if (pc.Certification is { } cert)
            {
                if (c == newest || (c % _cfg.CatchUpInterval == 0 && c > S.CatchUpHeight && c <= reach))
                {
                    list.Add(cert);
                }
            }
            else if (pc.MyCertificationShare is { } share && c >= S.ExecutedHeight - 3)
            {
                list.Add(share);
            }
            if (pc.MyCatchUpShare is { } cus && c > S.CatchUpHeight)
            {
                list.Add(cus);
            }
        }
        if (list.Count > 0)
        {
            Send(new SyncBundle([.. list], f), from);
        }
    }

    /// <summary>The highest height from <paramref name="from"/> to <paramref name="to"/> whose certification is held, 0 when none.</summary>
    private long NewestCertification(long from, long to)
    {
        for (long c = to; c >= from; c--)
        {
            if (P(c).Certification is not null)
            {
                return c;
            }
        }
        return 0;
    }

    /// <summary>
    /// The last height from <paramref name="start"/> on, at least up to <paramref name="end"/> when the budget allows,
    /// whose finalization proof is held and whose chain from <paramref name="start"/> with that proof fits
    /// <paramref name="budget"/> (which is charged); when not even the first one fits, that first one (progress needs
    /// one finalized height per answer). <paramref name="start"/> - 1 when there is none.
    /// </summary>
    private long FinalizedWithinBudget(long start, long end, ref long budget)
    {
        long best = start - 1;
        long used = 0;
        long usedAtBest = 0;
        for (long y = start; y <= S.FinalizedHeight; y++)
        {
            HeightPool py = P(y);
            if (py.FinalizedProposal is { } prop && py.Beacon is { } beacon)
            {
                used += prop.Encode().Length + new RandomBeacon(y, beacon).Encode().Length;
            }
            bool found = best >= start;
            if (py.Finalization is { } fin)
            {
                long withProof = used + fin.Encode().Length;
                if (withProof <= budget || !found)
                {
                    best = y;
                    usedAtBest = withProof;
                    found = true;
                }
                if (withProof > budget)
                {
                    break;
                }
            }
            if (found && (y >= end || used > budget))
            {
                break;
            }
        }
        budget -= usedAtBest;
        return best;
    }

    /// <summary>Processes a bundle in order; if the responder is still ahead and this one moved, asks again at once.</summary>
    private void OnBundle(int from, SyncBundle bundle)
    {
        long before = S.FinalizedHeight;
        foreach (ConsensusMessage m in bundle.Messages)
        {
            if (m is StatusRequest or SyncBundle)
            {
                continue;
            }
            Handle(from, m, trusted: false);
            TryFinalize();
        }
        if (S.FinalizedHeight > before && S.FinalizedHeight < bundle.ResponderFinalized)
        {
            Send(new StatusRequest(S.FinalizedHeight, S.Round, S.CertifiedHeight), from);
            S.FarBehindAskedAt = S.Now; // answers are flowing: the other peers need not be asked as well
        }
    }

    /// <summary>
    /// Ingress from this replica's clients (<paramref name="origin"/> is this replica) or, validated by the host, from a
    /// peer: accept if well-formed, not expired, not too far ahead, not a duplicate and within the pool's quotas (a
    /// peer's over its quota is dropped and counted); gossip what the client sent here.
    /// </summary>
    private void OnIngress(IngressMessage m, int origin, bool gossip)
    {
        bool peer = origin != _me;
        if (peer && (uint)origin >= (uint)_cfg.Replicas)
        {
            return;
        }
        if (m.Content.Length > _cfg.MaxIngressMessageBytes || m.ExpiryMs < S.Now
            || m.ExpiryMs > S.Now + _cfg.MaxIngressTtlMs + _cfg.PermittedDriftMs
            || S.IngressPool.Contains(m.RequestId) || S.IngressHistory.Contains(m.RequestId))
        {
            return;
        }
        if (S.IngressPool.TryAdd(m, origin, peer, _cfg) is not { } pool)
        {
            if (peer)
            {
                Dropped();
            }
            return;
        }
        S = S with { IngressPool = pool };
        if (gossip)
        {
            Send(new IngressGossip(m));
        }
    }

    /// <summary>Drops pooled ingress whose expiry has passed.</summary>
    private void PurgeExpiredIngress()
    {
        if (S.IngressPool.IsEmpty)
        {
            return;
        }
        List<Digest> expired = [.. S.IngressPool.Messages.Where(m => m.ExpiryMs < S.Now).Select(m => m.RequestId)];
        if (expired.Count > 0)
        {
            S = S with { IngressPool = S.IngressPool.RemoveRange(expired) };
        }
    }
}
