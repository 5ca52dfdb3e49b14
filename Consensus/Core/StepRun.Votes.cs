using System.Collections.Immutable;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

internal sealed partial class StepRun
{
    private void Handle(int from, ConsensusMessage message, bool trusted)
    {
        switch (message)
        {
            case BlockProposal m: OnProposal(m, trusted); break;
            case RandomBeaconShare m: OnBeaconShare(m); break;
            case RandomBeacon m: OnBeacon(m); break;
            case NotarizationShare m: OnNotarizationShare(m); break;
            case Notarization m: OnNotarization(m); break;
            case FinalizationShare m: OnFinalizationShare(m); break;
            case Finalization m: OnFinalization(m); break;
            case CertificationShare m: OnCertificationShare(m); break;
            case Certification m: OnCertification(m); break;
            case CatchUpShare m: OnCatchUpShare(m); break;
            case CatchUpPackage m: OnCatchUpPackage(m); break;
            // A peer's gossiped ingress enters only as PeerIngressValidated, after the host checked it as its gateway would.
            case StatusRequest m when !trusted && from != _me: OnStatus(from, m); break;
            case SyncBundle m when !trusted: OnBundle(from, m); break;
        }
    }

    private void OnProposal(BlockProposal m, bool trusted)
    {
        Block b = m.Block;
        long h = b.Height;
        if (h <= S.FinalizedHeight || (!trusted && !InWindow(h)) || h <= S.CatchUpHeight)
        {
            return;
        }
        HeightPool p = P(h);
        if (p.Proposals.ContainsKey(b.Hash))
        {
            return;
        }
        if (!trusted && !WantedProposal(p, b) && ProposalsOf(p, b.Maker) >= ProposalsPerMaker)
        {
            Dropped();
            return;
        }
        if (!_crypto.Node.Verify(b.Maker, SigningDomains.Proposal(b.Hash), m.Signature))
        {
            Event(ProtocolEventKind.InvalidArtifact, h, b.Hash, b.Maker);
            return;
        }
        SmallSet<int> disqualified = p.Disqualified;
        if (!disqualified.Contains(b.Maker) && ProposalsOf(p, b.Maker) > 0)
        {
            disqualified = disqualified.Add(b.Maker);
            Event(ProtocolEventKind.MakerDisqualified, h, b.Hash, b.Maker);
        }
        p = Own(p);
        p.Proposals = p.Proposals.Add(b.Hash, m);
        p.Disqualified = disqualified;
        p.MyProposal = b.Maker == _me ? m : p.MyProposal;
        Put(p);
    }

    /// <summary>How many proposals of a maker a height holds.</summary>
    private static int ProposalsOf(HeightPool p, int maker)
    {
        int count = 0;
        foreach ((Digest _, BlockProposal q) in p.Proposals)
        {
            if (q.Block.Maker == maker)
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Proposals held per maker and height: its block, and a second one that proves it equivocated.</summary>
    private const int ProposalsPerMaker = 2;

    /// <summary>
    /// Notarization shares held per signer and height: an honest replica shares at most one block per rank of the
    /// round's makers (a lower rank after a higher one), and a second block of an equivocating maker's rank.
    /// </summary>
    private int NotarizationSharesPerSigner => 2 * _cfg.BlockMakers;

    /// <summary>
    /// A proposal held whatever its maker's allowance: a block this replica knows to be notarized or finalized at its
    /// height, or the parent of one it holds above, which it needs to deliver the finalized chain.
    /// </summary>
    private bool WantedProposal(HeightPool p, Block b) =>
        p.Notarized.ContainsKey(b.Hash) || p.FinalizedHash == b.Hash
        || (p.Finalization is { } fin && fin.BlockHash.AsSpan().SequenceEqual(b.Hash.ToBytes()))
        || (_pool.TryGetValue(b.Height + 1, out HeightPool? above) && HasChild(above, b.Hash));

    private static bool HasChild(HeightPool above, Digest parent)
    {
        foreach ((Digest _, BlockProposal q) in above.Proposals)
        {
            if (q.Block.Parent.Equals(parent))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>How many of the signer's shares a height holds, over every block hash.</summary>
    private static int SharesOf(SmallMap<Digest, SignerSet<byte[]>> all, int signer)
    {
        int count = 0;
        foreach ((Digest _, SignerSet<byte[]> s) in all)
        {
            if (s.ContainsKey(signer))
            {
                count++;
            }
        }
        return count;
    }

    private void OnBeaconShare(RandomBeaconShare m)
    {
        long h = m.Height;
        if (!InWindow(h))
        {
            return;
        }
        HeightPool p = P(h);
        if (p.Beacon is not null || P(h - 1).Beacon is not { } previous)
        {
            return;
        }
        byte[] message = SigningDomains.RandomBeacon(h, previous);
        if (p.BeaconShares.Get(m.Share.NodeIndex) is { } held)
        {
            if (held.Share.Bytes.AsSpan().SequenceEqual(m.Share.Bytes))
            {
                return;
            }
            bool free = FreeSlot(ref p, _crypto.RandomBeacon, held, message, out HeldShare? keep, null);
            p = p with { BeaconShares = free ? p.BeaconShares.Remove(m.Share.NodeIndex) : p.BeaconShares.SetItem(m.Share.NodeIndex, keep!) };
            Put(p);
            if (!free)
            {
                return;
            }
        }
        if (!TryHoldShare(p, _crypto.RandomBeacon, m.Share, message, null, out bool verified))
        {
            return;
        }
        AddBeaconShare(m, verified);
    }

    /// <summary>Holds a beacon share and sets the beacon once a threshold combines (see <see cref="CombineShares"/>).</summary>
    private void AddBeaconShare(RandomBeaconShare m, bool verified)
    {
        long h = m.Height;
        HeightPool p = Own(P(h));
        SignerSet<HeldShare> shares = p.BeaconShares.SetItem(m.Share.NodeIndex, new HeldShare(m.Share, verified));
        if (m.Share.NodeIndex == _me)
        {
            p.MyBeaconShare = m;
        }
        byte[]? beacon = CombineShares(_crypto.RandomBeacon, ref shares, ref p, SigningDomains.RandomBeacon(h, P(h - 1).Beacon!), null);
        p = Own(p);
        p.BeaconShares = shares;
        Put(p);
        if (beacon is not null)
        {
            SetBeacon(h, beacon);
        }
    }

    private void OnBeacon(RandomBeacon m)
    {
        long h = m.Height;
        if (h <= S.CatchUpHeight || P(h).Beacon is not null || P(h - 1).Beacon is not { } previous)
        {
            return;
        }
        if (!_crypto.RandomBeacon.Verify(m.Signature, SigningDomains.RandomBeacon(h, previous)))
        {
            Event(ProtocolEventKind.InvalidArtifact, h);
            return;
        }
        SetBeacon(h, m.Signature);
    }

    private void SetBeacon(long h, byte[] beacon)
    {
        HeightPool p = Own(P(h));
        p.Beacon = beacon;
        p.BeaconShares = SignerSet<HeldShare>.Empty;
        Put(p);
    }

    private void OnNotarizationShare(NotarizationShare m)
    {
        long h = m.Height;
        if (h <= S.FinalizedHeight || !InWindow(h) || m.BlockHash.Length != 32)
        {
            return;
        }
        Digest hash = Digest.FromBytes(m.BlockHash);
        HeightPool p = P(h);
        if (p.Notarized.ContainsKey(hash) || Has(p.NotarizationShares, hash, m.Signer))
        {
            return;
        }
        if (SharesOf(p.NotarizationShares, m.Signer) >= NotarizationSharesPerSigner)
        {
            Dropped();
            return;
        }
        if (!_crypto.Node.Verify(m.Signer, SigningDomains.Notarization(h, m.BlockHash), m.Signature))
        {
            Event(ProtocolEventKind.InvalidArtifact, h, hash, m.Signer);
            return;
        }
        AddNotarizationShare(m, hash);
    }

    private void AddNotarizationShare(NotarizationShare m, Digest hash)
    {
        HeightPool p = Own(P(m.Height));
        SignerSet<byte[]> shares = Shares(p.NotarizationShares, hash).SetItem(m.Signer, m.Signature);
        p.NotarizationShares = p.NotarizationShares.SetItem(hash, shares);
        if (m.Signer == _me)
        {
            int rank = p.Proposals.TryGetValue(hash, out BlockProposal? shared) ? shared.Block.Rank : int.MaxValue;
            p.MyNotarizations = p.MyNotarizations.Add(hash);
            p.MyNotarizationShares = p.MyNotarizationShares.Add(m);
            p.MyLowestSharedRank = Math.Min(p.MyLowestSharedRank, rank);
        }
        Put(p);
        if (shares.Count >= _cfg.NotarizationThreshold && !p.Notarized.ContainsKey(hash))
        {
            OnNotarized(new Notarization(m.Height, m.BlockHash, Proof(shares)), hash);
        }
    }

    private void OnNotarization(Notarization m)
    {
        long h = m.Height;
        if (h <= S.FinalizedHeight || !InWindow(h) || m.BlockHash.Length != 32)
        {
            return;
        }
        Digest hash = Digest.FromBytes(m.BlockHash);
        if (P(h).Notarized.ContainsKey(hash))
        {
            return;
        }
        if (!VerifyProof(m.Signatures, SigningDomains.Notarization(h, m.BlockHash), _cfg.NotarizationThreshold))
        {
            Event(ProtocolEventKind.InvalidArtifact, h, hash);
            return;
        }
        OnNotarized(m, hash);
    }

    private void OnNotarized(Notarization proof, Digest hash)
    {
        long h = proof.Height;
        HeightPool p = Own(P(h));
        p.Notarized = p.Notarized.SetItem(hash, proof);
        Put(p);
        Event(ProtocolEventKind.Notarized, h, hash);
        if (h >= S.Round)
        {
            AdvanceTo(h);
        }
        else
        {
            MaybeSendFinalizationShare(h);
        }
    }

    /// <summary>On leaving round x: a finalization share for the notarized block, if it is the only block this replica supported.</summary>
    private void MaybeSendFinalizationShare(long x)
    {
        HeightPool p = P(x);
        if (x <= S.FinalizedHeight || p.MyFinalization is not null || p.Notarized.IsEmpty)
        {
            return;
        }
        Digest target;
        if (p.MyNotarizations.Count == 0)
        {
            target = p.Notarized.At(0).Key;
            foreach ((Digest hash, Notarization _) in p.Notarized)
            {
                if (ByWords.Compare(hash, target) < 0)
                {
                    target = hash;
                }
            }
        }
        else if (p.MyNotarizations.Count == 1 || _cfg.Faults.HasFlag(ProtocolFaults.FinalizeAfterSeveralNotarizations))
        {
            Digest? only = null;
            foreach (Digest mine in p.MyNotarizations)
            {
                if (p.Notarized.ContainsKey(mine))
                {
                    only = mine;
                    break;
                }
            }
            if (only is null)
            {
                return;
            }
            target = only.Value;
        }
        else
        {
            return;
        }
        byte[] hashBytes = target.ToBytes();
        var share = new FinalizationShare(x, hashBytes, _me, _crypto.Node.Sign(SigningDomains.Finalization(x, hashBytes)));
        p = Own(p);
        p.MyFinalization = share;
        Put(p);
        Persist(share);
        Send(share);
        AddFinalizationShare(share, target);
    }

    private void OnFinalizationShare(FinalizationShare m)
    {
        long h = m.Height;
        if (h <= S.FinalizedHeight || !InWindow(h) || m.BlockHash.Length != 32)
        {
            return;
        }
        Digest hash = Digest.FromBytes(m.BlockHash);
        HeightPool p = P(h);
        if (p.Finalization is not null || Has(p.FinalizationShares, hash, m.Signer))
        {
            return;
        }
        if (SharesOf(p.FinalizationShares, m.Signer) > 0)
        {
            Dropped(); // an honest replica sends one finalization share per height
            return;
        }
        if (!_crypto.Node.Verify(m.Signer, SigningDomains.Finalization(h, m.BlockHash), m.Signature))
        {
            Event(ProtocolEventKind.InvalidArtifact, h, hash, m.Signer);
            return;
        }
        if (m.Signer == _me && p.MyFinalization is null)
        {
            p = Own(p);
            p.MyFinalization = m;
            Put(p);
        }
        AddFinalizationShare(m, hash);
    }

    private void AddFinalizationShare(FinalizationShare m, Digest hash)
    {
        HeightPool p = Own(P(m.Height));
        SignerSet<byte[]> shares = Shares(p.FinalizationShares, hash).SetItem(m.Signer, m.Signature);
        p.FinalizationShares = p.FinalizationShares.SetItem(hash, shares);
        Put(p);
        if (shares.Count >= _cfg.FinalizationThreshold && p.Finalization is null)
        {
            SetFinalization(new Finalization(m.Height, m.BlockHash, Proof(shares)));
        }
    }

    private void OnFinalization(Finalization m)
    {
        long h = m.Height;
        if (h <= S.FinalizedHeight || !InWindow(h) || m.BlockHash.Length != 32 || P(h).Finalization is not null)
        {
            return;
        }
        if (!VerifyProof(m.Signatures, SigningDomains.Finalization(h, m.BlockHash), _cfg.FinalizationThreshold))
        {
            Event(ProtocolEventKind.InvalidArtifact, h, Digest.FromBytes(m.BlockHash));
            return;
        }
        SetFinalization(m);
    }

    private void SetFinalization(Finalization proof)
    {
        HeightPool p = Own(P(proof.Height));
        p.Finalization = proof;
        p.FinalizationShares = SmallMap<Digest, SignerSet<byte[]>>.Empty;
        Put(p);
        Persist(proof);
        Event(ProtocolEventKind.FinalizationReached, proof.Height, Digest.FromBytes(proof.BlockHash));
        if (proof.Height > S.PendingFinalization)
        {
            S.PendingFinalization = proof.Height;
        }
    }

    /// <summary>
    /// Delivers the highest finalization held whose chain down to the finalized tip is complete, with every ancestor, in
    /// height order; asks the peers when the highest one's is not.
    /// </summary>
    private void TryFinalize()
    {
        long x = S.PendingFinalization;
        long f = S.FinalizedHeight;
        if (x <= f)
        {
            return;
        }
        (BlockProposal[] Chain, Digest Cursor)? found = ChainBelow(x, f);
        if (found is null)
        {
            // Content or beacon still missing (e.g. a peer's share sent before this replica's actor existed): ask the
            // peers now, once per finalized height, rather than at the next status interval.
            if (x > S.MissingAskedFor && !_replaying)
            {
                S.MissingAskedFor = x;
                Send(new StatusRequest(S.FinalizedHeight, S.Round, S.CertifiedHeight));
            }
            // A gap below the highest finalization (heights made while they were beyond this replica's window) must not
            // hold back a lower one whose chain is complete: a sync answer brings the chain only one batch above the
            // finalized height, so without this a replica that heard of later finalizations waited for a catch-up package.
            for (long y = x - 1; y > f && found is null; y--)
            {
                if (P(y).Finalization is not null && ChainBelow(y, f) is { } lower)
                {
                    (x, found) = (y, lower);
                }
            }
            if (found is null)
            {
                return;
            }
        }
        (BlockProposal[] chain, Digest cursor) = found.Value;
        Finalization proof = P(x).Finalization!;
        if (P(f).FinalizedHash is not { } tip || !tip.Equals(cursor))
        {
            Event(ProtocolEventKind.FinalityConflict, x, Digest.FromBytes(proof.BlockHash));
            S.PendingFinalization = f;
            return;
        }
        IngressHistory history = S.IngressHistory;
        var included = new List<Digest>();
        foreach (BlockProposal prop in chain)
        {
            Block b = prop.Block;
            HeightPool pb = Own(P(b.Height));
            pb.FinalizedHash = b.Hash;
            history = history.AddBlock(b);
            if (b.Height % _cfg.CatchUpInterval == 0)
            {
                pb.HistoryAtHeight = history; // a catch-up package at this height carries exactly this
            }
            Put(pb);
            included.AddRange(b.Payload.Select(msg => msg.RequestId));
            Out.Add(new BlockFinalized(prop, pb.Beacon!));
            Persist(prop);
            Persist(new RandomBeacon(b.Height, pb.Beacon!));
            Event(ProtocolEventKind.Finalized, b.Height, b.Hash);
        }
        S.FinalizedHeight = x;
        S.IngressHistory = history;
        S.IngressPool = S.IngressPool.RemoveRange(included);
        if (x >= S.Round)
        {
            AdvanceTo(x);
        }
    }

    /// <summary>
    /// The blocks from the finalization at <paramref name="x"/> down to height <paramref name="f"/> + 1 (lowest first) and the
    /// parent hash the lowest names, or null when a block or beacon on the way is missing.
    /// </summary>
    private (BlockProposal[] Chain, Digest Cursor)? ChainBelow(long x, long f)
    {
        var chain = new BlockProposal[x - f];
        Digest cursor = Digest.FromBytes(P(x).Finalization!.BlockHash);
        for (long y = x; y > f; y--)
        {
            HeightPool py = P(y);
            if (!py.Proposals.TryGetValue(cursor, out BlockProposal? prop) || py.Beacon is null)
            {
                return null;
            }
            chain[y - f - 1] = prop;
            cursor = prop.Block.Parent;
        }
        return (chain, cursor);
    }

    private static SignerSet<byte[]> Shares(SmallMap<Digest, SignerSet<byte[]>> all, Digest hash) =>
        all.TryGetValue(hash, out SignerSet<byte[]>? s) ? s : SignerSet<byte[]>.Empty;

    private static bool Has(SmallMap<Digest, SignerSet<byte[]>> all, Digest hash, int signer) =>
        all.TryGetValue(hash, out SignerSet<byte[]>? s) && s.ContainsKey(signer);

    private static ImmutableArray<NodeSignature> Proof(SignerSet<byte[]> shares)
    {
        ImmutableArray<NodeSignature>.Builder proof = ImmutableArray.CreateBuilder<NodeSignature>(shares.Count);
        foreach ((int signer, byte[] signature) in shares)
        {
            proof.Add(new NodeSignature(signer, signature));
        }
        return proof.MoveToImmutable();
    }

    private bool VerifyProof(ImmutableArray<NodeSignature> signatures, byte[] message, int threshold)
    {
        if (signatures.IsDefault)
        {
            return false;
        }
        var seen = new HashSet<int>();
        foreach (NodeSignature s in signatures)
        {
            if (!seen.Add(s.Signer) || !_crypto.Node.Verify(s.Signer, message, s.Signature))
            {
                return false;
            }
        }
        return seen.Count >= threshold;
    }

    private static readonly IComparer<Digest> ByWords = Digest.Order;
}
