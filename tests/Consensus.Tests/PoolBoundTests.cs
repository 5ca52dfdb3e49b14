using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;
using static InternetIdentity.Consensus.Tests.CoreHarness;

namespace InternetIdentity.Consensus.Tests;

/// <summary>What one peer can make a replica hold at a height is bounded: per maker, per signer, per slot.</summary>
public class PoolBoundTests
{
    private static byte[] HashOf(int i) => Digest.Sha256([(byte)i, 0x42]).ToBytes();

    [Test]
    public void Proposal_MakerSignsTenBlocksAtOneHeight_TwoHeldRestDroppedAndCounted()
    {
        var h = new CoreHarness();
        int maker = h.MakerOfRank(0);
        for (int i = 0; i < 10; i++)
        {
            h.Receive(Start + 1, maker, h.Proposal(maker, 1, h.Genesis, Start + i));
        }
        Assert.That(h.State.Pool[1].Proposals, Has.Count.EqualTo(2), "its block and the proof that it equivocated");
        Assert.That(h.State.Pool[1].Disqualified, Does.Contain(maker));
        Assert.That(h.State.DroppedArtifacts, Is.EqualTo(8));
    }

    [Test]
    public void Proposal_OverTheMakersAllowanceButNotarized_StillHeld()
    {
        var h = new CoreHarness();
        int maker = h.MakerOfRank(0);
        h.Receive(Start + 1, maker, h.Proposal(maker, 1, h.Genesis, Start));
        h.Receive(Start + 1, maker, h.Proposal(maker, 1, h.Genesis, Start + 1));
        BlockProposal third = h.Proposal(maker, 1, h.Genesis, Start + 2);
        var notarization = new Notarization(1, third.Block.Hash.ToBytes(),
            [.. new[] { 1, 2, 3 }.Select(i => new NodeSignature(i, h.NotarizationShare(i, third.Block).Signature))]);
        h.Receive(Start + 1, 1, notarization);
        h.Receive(Start + 1, maker, third);
        Assert.That(h.State.Pool[1].Proposals.ContainsKey(third.Block.Hash), Is.True, "the subnet notarized it: the replica needs its content");
        Assert.That(h.State.DroppedArtifacts, Is.Zero);
    }

    [Test]
    public void NotarizationShare_SignerSharesTenBlocksAtOneHeight_BoundedPerSignerAndCounted()
    {
        var h = new CoreHarness();
        for (int i = 0; i < 10; i++)
        {
            byte[] hash = HashOf(i);
            h.Receive(Start + 1, 1, new NotarizationShare(1, hash, 1, h.Crypto[1].Node.Sign(SigningDomains.Notarization(1, hash))));
        }
        int held = h.State.Pool[1].NotarizationShares.Values.Count(s => s.ContainsKey(1));
        Assert.That(held, Is.EqualTo(2 * h.Config.BlockMakers));
        Assert.That(h.State.DroppedArtifacts, Is.EqualTo(10 - held));
    }

    [Test]
    public void PoolArtifacts_SignerFloodsSharesAtOneHeight_CountsOnlyWhatIsHeld()
    {
        var h = new CoreHarness();
        int before = h.State.PoolArtifacts;
        for (int i = 0; i < 10; i++)
        {
            byte[] hash = HashOf(i);
            h.Receive(Start + 1, 1, new NotarizationShare(1, hash, 1, h.Crypto[1].Node.Sign(SigningDomains.Notarization(1, hash))));
            h.Receive(Start + 1, 1, new FinalizationShare(1, hash, 1, h.Crypto[1].Node.Sign(SigningDomains.Finalization(1, hash))));
        }

        Assert.That(h.State.PoolArtifacts - before, Is.EqualTo(2 * h.Config.BlockMakers + 1), "the notarization slots and one finalization share");
        Assert.That(h.State.PoolHeights, Is.EqualTo(h.State.Pool.Count));
    }

    [Test]
    public void FinalizationShare_SecondBlockFromOneSigner_Dropped()
    {
        var h = new CoreHarness();
        for (int i = 0; i < 3; i++)
        {
            byte[] hash = HashOf(i);
            h.Receive(Start + 1, 2, new FinalizationShare(1, hash, 2, h.Crypto[2].Node.Sign(SigningDomains.Finalization(1, hash))));
        }
        Assert.That(h.State.Pool[1].FinalizationShares.Values.Count(s => s.ContainsKey(2)), Is.EqualTo(1));
        Assert.That(h.State.DroppedArtifacts, Is.EqualTo(2));
    }

    [Test]
    public void CatchUpShare_SecondContentFromOneSigner_Dropped()
    {
        var h = new CoreHarness(new ConsensusConfig { CatchUpInterval = 2 });
        for (int i = 0; i < 3; i++)
        {
            byte[] hash = HashOf(i);
            h.Receive(Start + 1, 3, new CatchUpShare(2, hash, 3, h.Crypto[3].Node.Sign(SigningDomains.CatchUp(2, hash))));
        }
        Assert.That(h.State.Pool[2].CatchUpShares.Values.Count(s => s.ContainsKey(3)), Is.EqualTo(1));
        Assert.That(h.State.DroppedArtifacts, Is.EqualTo(2));
    }

    [Test]
    public void CertificationShare_ForgeryArrivesBeforeTheRealShare_RealShareTakesTheSlotAndCertifies()
    {
        var h = new CoreHarness();
        h.NotarizeAndFinalize(Start, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start));
        byte[] root = Digest.Sha256("root"u8).ToBytes();
        byte[] message = SigningDomains.StateRoot(root);
        CertificationShare Share(int i) => new(1, root, h.Crypto[i].Certification.SignShare(message));
        h.Step(new BlockExecuted(Start + 2_000, 1, root));
        h.Receive(Start + 2_000, 3, Share(3) with { Share = Share(3).Share with { NodeIndex = 2 } });
        IReadOnlyList<ConsensusOutput> o = h.Receive(Start + 2_000, 2, Share(2));
        Assert.That(Events(o, ProtocolEventKind.InvalidArtifact).Select(e => e.Node), Is.EqualTo(new int?[] { 2 }), "the held forgery was checked when the real share came");
        h.Receive(Start + 2_000, 1, Share(1));
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(1), "own share, replica 2's real share and replica 1's: 2f+1");
    }

    [Test]
    public void CertificationShare_SlotHeldByAValidShare_LaterSharesForItsSignerDroppedAfterOneCheck()
    {
        CountingCrypto? counting = null;
        var h = new CoreHarness(decorate: c => counting = new CountingCrypto(c));
        h.NotarizeAndFinalize(Start, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start));
        byte[] root = Digest.Sha256("root"u8).ToBytes();
        byte[] otherRoot = Digest.Sha256("other"u8).ToBytes();
        h.Receive(Start + 2_000, 2, new CertificationShare(1, root, h.Crypto[2].Certification.SignShare(SigningDomains.StateRoot(root))));
        for (int i = 0; i < 5; i++)
        {
            byte[] claimed = i % 2 == 0 ? root : otherRoot;
            SignatureShare forged = h.Crypto[3].Certification.SignShare(SigningDomains.StateRoot(claimed)) with { NodeIndex = 2 };
            h.Receive(Start + 2_000, 3, new CertificationShare(1, claimed, forged));
        }
        Assert.That(counting!.Certifications.ShareChecks, Is.EqualTo(1), "the held share was checked once; then it was known valid");
        Assert.That(h.State.DroppedArtifacts, Is.EqualTo(5));
        Assert.That(h.State.Pool[1].CertificationShares.Values.Count(s => s.ContainsKey(2)), Is.EqualTo(1), "one slot per signer and height");
    }

    [Test]
    public void BeaconShare_ForgeryHeldFirst_RealShareReplacesIt()
    {
        var h = new CoreHarness(new ConsensusConfig { Replicas = 7 });
        byte[] previous = h.Core.GenesisBeacon;
        RandomBeaconShare Share(int i) => h.BeaconShare(i, 1, previous);
        h.Receive(Start + 10, 3, Share(3) with { Share = Share(3).Share with { NodeIndex = 2 } });
        Assert.That(h.State.Pool[1].Beacon, Is.Null, "own share plus the forgery is 2 of f+1 = 3");
        h.Receive(Start + 10, 2, Share(2));
        Assert.That(h.State.Pool[1].Beacon, Is.Null);
        h.Receive(Start + 10, 1, Share(1));
        Assert.That(h.State.Pool[1].Beacon, Is.Not.Null, "own share and the real shares of 1 and 2");
    }
}
