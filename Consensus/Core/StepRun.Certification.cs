using System.Collections.Immutable;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

internal sealed partial class StepRun
{
    /// <summary>Execution delivered the state root of a height: sign a certification share for it.</summary>
    private void OnExecuted(long h, byte[] root, byte[]? checkpointHash, bool checkpointPending)
    {
        if (h <= S.ExecutedHeight || h > S.FinalizedHeight || root.Length != 32 || checkpointHash is { Length: not 32 }
            || (checkpointPending && checkpointHash is not null))
        {
            return;
        }
        S.ExecutedHeight = h;
        HeightPool p = Own(P(h));
        var share = new CertificationShare(h, root, _crypto.Certification.SignShare(SigningDomains.StateRoot(root)));
        p.MyStateRoot = root;
        p.MyCertificationShare = share;
        p.MyCheckpointHash = checkpointHash;
        p.MyCheckpointPending = checkpointPending;
        Put(p);
        Send(share);
        AddCertificationShare(share, verified: true);
        CheckCertified(h);
    }

    /// <summary>The checkpoint taken at a catch-up height is stored: the catch-up share may vouch for it now.</summary>
    private void OnCheckpointStored(long h, byte[] checkpointHash)
    {
        if (h <= S.CatchUpHeight || h > S.ExecutedHeight || checkpointHash.Length != 32 || !P(h).MyCheckpointPending)
        {
            return;
        }
        HeightPool p = Own(P(h));
        p.MyCheckpointHash = checkpointHash;
        p.MyCheckpointPending = false;
        Put(p);
        MaybeMakeCatchUp(h);
    }

    private void OnCertificationShare(CertificationShare m)
    {
        long h = m.Height;
        if (h <= S.CertifiedHeight || !InWindow(h) || m.StateRoot.Length != 32)
        {
            return;
        }
        HeightPool p = P(h);
        Digest root = Digest.FromBytes(m.StateRoot);
        if (p.Certification is not null)
        {
            return;
        }
        // One slot per signer and height, whatever root its share claims (an honest replica certifies one root).
        int signer = m.Share.NodeIndex;
        foreach ((Digest heldRoot, SignerSet<HeldShare> shares) in p.CertificationShares)
        {
            if (shares.Get(signer) is not { } held)
            {
                continue;
            }
            if (heldRoot.Equals(root) && held.Share.Bytes.AsSpan().SequenceEqual(m.Share.Bytes))
            {
                return;
            }
            bool free = FreeSlot(ref p, _crypto.Certification, held, SigningDomains.StateRoot(heldRoot.ToBytes()), out HeldShare? keep, heldRoot);
            p = p with { CertificationShares = p.CertificationShares.SetItem(heldRoot, free ? shares.Remove(signer) : shares.SetItem(signer, keep!)) };
            Put(p);
            if (!free)
            {
                return;
            }
            break;
        }
        if (!TryHoldShare(p, _crypto.Certification, m.Share, SigningDomains.StateRoot(m.StateRoot), root, out bool verified))
        {
            return;
        }
        AddCertificationShare(m, verified);
        CheckCertified(h);
    }

    /// <summary>Holds a share of a state root's certification and certifies it once a threshold combines (see <see cref="CombineShares"/>).</summary>
    private void AddCertificationShare(CertificationShare m, bool verified)
    {
        HeightPool p = P(m.Height);
        if (p.Certification is not null)
        {
            return;
        }
        Digest root = Digest.FromBytes(m.StateRoot);
        SignerSet<HeldShare> shares =
            (p.CertificationShares.TryGetValue(root, out var s) ? s : SignerSet<HeldShare>.Empty).SetItem(m.Share.NodeIndex, new HeldShare(m.Share, verified));
        byte[]? combined = CombineShares(_crypto.Certification, ref shares, ref p, SigningDomains.StateRoot(m.StateRoot), root);
        p = Own(p);
        if (combined is null)
        {
            p.CertificationShares = p.CertificationShares.SetItem(root, shares);
        }
        else
        {
            p.Certification = new Certification(m.Height, m.StateRoot, combined);
            p.CertificationShares = SmallMap<Digest, SignerSet<HeldShare>>.Empty;
        }
        Put(p);
    }

    private void OnCertification(Certification m)
    {
        long h = m.Height;
        if (h <= S.CertifiedHeight || !InWindow(h) || P(h).Certification is not null)
        {
            return;
        }
        if (!_crypto.Certification.Verify(m.Signature, SigningDomains.StateRoot(m.StateRoot)))
        {
            Event(ProtocolEventKind.InvalidArtifact, h);
            return;
        }
        Put(P(h) with { Certification = m });
        CheckCertified(h);
    }

    /// <summary>A certification and this replica's own root at h: equal roots certify h, different ones halt the replica.</summary>
    private void CheckCertified(long h)
    {
        HeightPool p = P(h);
        if (p.Certification is not { } cert || p.MyStateRoot is not { } mine || h <= S.CertifiedHeight)
        {
            return;
        }
        if (!cert.StateRoot.AsSpan().SequenceEqual(mine))
        {
            Event(ProtocolEventKind.StateDivergence, h, Digest.FromBytes(mine));
            S.Halted = true;
            return;
        }
        S.CertifiedHeight = h;
        Out.Add(new CertificationMade(cert));
        Persist(cert);
        Event(ProtocolEventKind.Certified, h, Digest.FromBytes(mine));
        MaybeMakeCatchUp(h);
    }

    /// <summary>At every K-th certified height: sign the catch-up content this replica computed itself.</summary>
    private void MaybeMakeCatchUp(long h)
    {
        if (h % _cfg.CatchUpInterval != 0 || h <= S.CatchUpHeight)
        {
            return;
        }
        HeightPool p = P(h);
        if (p.FinalizedProposal is not { } block || p.Beacon is null || p.Certification is null || p.MyStateRoot is null
            || p.MyCheckpointPending)
        {
            return;
        }
        if (p.HistoryAtHeight is not { } history)
        {
            return;
        }
        var content = CatchUpContent.FromHistory(h, block, p.Beacon, p.MyStateRoot, p.Certification.Signature, history, p.MyCheckpointHash);
        Digest digest = content.Hash();
        byte[] hash = digest.ToBytes();
        var share = new CatchUpShare(h, hash, _me, _crypto.Node.Sign(SigningDomains.CatchUp(h, hash)));
        Put(p with { MyCatchUpContent = content, MyCatchUpHash = digest, MyCatchUpShare = share });
        Send(share);
        AddCatchUpShare(share);
    }

    private void OnCatchUpShare(CatchUpShare m)
    {
        long h = m.Height;
        if (h <= S.CatchUpHeight || !InWindow(h) || h % _cfg.CatchUpInterval != 0 || m.ContentHash.Length != 32)
        {
            return;
        }
        HeightPool p = P(h);
        if (Has(p.CatchUpShares, Digest.FromBytes(m.ContentHash), m.Signer))
        {
            return;
        }
        if (SharesOf(p.CatchUpShares, m.Signer) > 0)
        {
            Dropped(); // an honest replica signs one catch-up content per height
            return;
        }
        if (!_crypto.Node.Verify(m.Signer, SigningDomains.CatchUp(h, m.ContentHash), m.Signature))
        {
            Event(ProtocolEventKind.InvalidArtifact, h, null, m.Signer);
            return;
        }
        AddCatchUpShare(m);
    }

    private void AddCatchUpShare(CatchUpShare m)
    {
        HeightPool p = P(m.Height);
        Digest hash = Digest.FromBytes(m.ContentHash);
        SignerSet<byte[]> shares = Shares(p.CatchUpShares, hash).SetItem(m.Signer, m.Signature);
        Put(p with { CatchUpShares = p.CatchUpShares.SetItem(hash, shares) });
        if (shares.Count >= _cfg.CatchUpThreshold && p.MyCatchUpContent is { } content && p.MyCatchUpHash.Equals(hash))
        {
            var package = new CatchUpPackage(content, Proof(shares));
            Adopt(package);
        }
    }

    private void OnCatchUpPackage(CatchUpPackage m)
    {
        long h = m.Height;
        if (h <= S.CatchUpHeight || h % _cfg.CatchUpInterval != 0 || m.Content.StateRoot.Length != 32 || m.Content.CheckpointHash is { Length: not 32 })
        {
            return;
        }
        byte[] hash = m.Content.Hash().ToBytes();
        if (!VerifyProof(m.Signatures, SigningDomains.CatchUp(h, hash), _cfg.CatchUpThreshold)
            || m.Content.Block.Block.Height != h)
        {
            Event(ProtocolEventKind.InvalidArtifact, h);
            return;
        }
        if (h > S.FinalizedHeight)
        {
            Jump(m);
        }
        else if (P(h).FinalizedHash is { } mine && !mine.Equals(m.Content.Block.Block.Hash))
        {
            Event(ProtocolEventKind.FinalityConflict, h, m.Content.Block.Block.Hash);
            return;
        }
        Adopt(m);
    }

    /// <summary>Resumes at a catch-up package's height without the history below it.</summary>
    private void Jump(CatchUpPackage m)
    {
        CatchUpContent c = m.Content;
        long h = c.Height;
        Digest hash = c.Block.Block.Hash;
        Put(P(h) with
        {
            Beacon = c.RandomBeacon,
            Proposals = P(h).Proposals.SetItem(hash, c.Block),
            Notarized = P(h).Notarized.SetItem(hash, new Notarization(h, hash.ToBytes(), [])),
            FinalizedHash = hash,
            MyStateRoot = c.StateRoot,
            Certification = new Certification(h, c.StateRoot, c.Certification),
        });
        IngressHistory history = IngressHistory.FromRecords(c.IngressHistory);
        S.FinalizedHeight = h;
        S.ExecutedHeight = h;
        S.CertifiedHeight = h;
        S.PendingFinalization = Math.Max(S.PendingFinalization, h);
        S.IngressHistory = history;
        S.IngressPool = S.IngressPool.RemoveRange(c.IngressHistory.Select(r => r.RequestId));
        Out.Add(new CatchUpApplied(m));
        Event(ProtocolEventKind.CatchUpApplied, h, hash);
        if (h >= S.Round)
        {
            AdvanceTo(h);
        }
    }

    /// <summary>Keeps the package, persists it, and purges the pool and the ingress history below it.</summary>
    private void Adopt(CatchUpPackage m)
    {
        long h = m.Height;
        if (h <= S.CatchUpHeight)
        {
            return;
        }
        foreach (long old in _pool.Keys.TakeWhile(k => k < h).ToList())
        {
            _pool.Remove(old);
        }
        S.LatestCatchUp = m;
        S.CatchUpHeight = h;
        Persist(m);
        Event(ProtocolEventKind.CatchUpMade, h, m.Content.Block.Block.Hash);
    }
}
