using System.Collections.Immutable;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

internal sealed partial class StepRun
{
    /// <summary>
    /// A peer made no progress: send it, in one ordered bundle, the catch-up package and finalized chain it lacks,
    /// then the notarized blocks, beacons and this replica's own shares above its finalized height.
    /// </summary>
    private void OnStatus(int from, StatusRequest req)
    {
        var list = new List<ConsensusMessage>();
        long start = Math.Max(req.FinalizedHeight, 0) + 1;
        if (S.LatestCatchUp is { } cup && req.FinalizedHeight < S.CatchUpHeight)
        {
            list.Add(cup);
            start = S.CatchUpHeight + 1;
        }
        long f = S.FinalizedHeight;
        if (start <= f)
        {
            long end = Math.Min(f, start + _cfg.SyncBatch - 1);
            while (end < f && P(end).Finalization is null)
            {
                end++;
            }
            for (long y = start; y <= end; y++)
            {
                HeightPool py = P(y);
                if (py.FinalizedProposal is { } prop && py.Beacon is { } beacon)
                {
                    list.Add(prop);
                    list.Add(new RandomBeacon(y, beacon));
                }
            }
            if (P(end).Finalization is { } fin)
            {
                list.Add(fin);
            }
        }
        long lo = Math.Max(start, f + 1);
        long hi = Math.Min(S.Round, lo + _cfg.SyncBatch);
        for (long x = lo; x <= hi; x++)
        {
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
        }
        // Certifications for the heights the asker has not certified (one batch of them), so that a lagging replica can
        // certify every height it executes; this replica's own shares only where no certification exists yet.
        long certFrom = Math.Max(req.CertifiedHeight + 1, S.CatchUpHeight > req.FinalizedHeight ? S.CatchUpHeight + 1 : 1);
        long certTo = Math.Min(S.ExecutedHeight, certFrom + _cfg.SyncBatch - 1);
        for (long c = certFrom; c <= certTo; c++)
        {
            HeightPool pc = P(c);
            if (pc.Certification is { } cert)
            {
                list.Add(cert);
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
