using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;
using static InternetIdentity.Consensus.Tests.CoreHarness;

namespace InternetIdentity.Consensus.Tests;

/// <summary>A catch-up package vouches for the whole checkpoint, canister state included, not just the state root.</summary>
public class CatchUpCheckpointTests
{
    [Test]
    public void MaybeMakeCatchUp_CheckpointHashReported_ContentAndSignedHashCommitToIt()
    {
        CoreHarness h = FinalizedAtHeightOne();
        byte[] root = Digest.Sha256([1]).ToBytes();
        byte[] checkpoint = Digest.Sha256([2]).ToBytes();

        h.Step(new BlockExecuted(Start + 100, 1, root, checkpoint));
        var outputs = new List<ConsensusOutput>();
        foreach (int signer in new[] { 1, 2 })
        {
            outputs.AddRange(h.Receive(Start + 100, signer, new CertificationShare(1, root, h.Crypto[signer].Certification.SignShare(SigningDomains.StateRoot(root)))));
        }

        CatchUpShare share = Sent<CatchUpShare>(outputs).Single();
        CatchUpContent content = h.State.Pool[1].MyCatchUpContent!;
        Assert.That(content.CheckpointHash, Is.EqualTo(checkpoint));
        Assert.That(share.ContentHash, Is.EqualTo(content.Hash().ToBytes()));
        Assert.That(share.ContentHash, Is.Not.EqualTo((content with { CheckpointHash = Digest.Sha256([3]).ToBytes() }).Hash().ToBytes()),
            "another checkpoint is another content: n-f signatures on one do not vouch for the other");
    }

    [Test]
    public void OnExecuted_CheckpointHashNot32Bytes_IsIgnored()
    {
        CoreHarness h = FinalizedAtHeightOne();

        IReadOnlyList<ConsensusOutput> outputs = h.Step(new BlockExecuted(Start + 100, 1, Digest.Sha256([1]).ToBytes(), new byte[31]));

        Assert.That(Sent<CertificationShare>(outputs), Is.Empty, "a malformed report signs nothing");
        Assert.That(h.State.ExecutedHeight, Is.Zero);
    }
    [Test]
    public void CheckpointStored_AfterPendingReport_CertifiesAtOnceAndSignsCatchUpShareOnlyOnceStored()
    {
        CoreHarness h = FinalizedAtHeightOne();
        byte[] root = Digest.Sha256([1]).ToBytes();
        byte[] checkpoint = Digest.Sha256([2]).ToBytes();

        IReadOnlyList<ConsensusOutput> executed = h.Step(new BlockExecuted(Start + 100, 1, root, CheckpointPending: true));
        var outputs = new List<ConsensusOutput>();
        foreach (int signer in new[] { 1, 2 })
        {
            outputs.AddRange(h.Receive(Start + 100, signer, new CertificationShare(1, root, h.Crypto[signer].Certification.SignShare(SigningDomains.StateRoot(root)))));
        }

        Assert.That(Sent<CertificationShare>(executed).Count(), Is.EqualTo(1), "the root is certified without waiting for the store");
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(1));
        Assert.That(Sent<CatchUpShare>(outputs), Is.Empty, "no catch-up share vouches for a checkpoint not yet stored");

        Assert.That(Sent<CatchUpShare>(h.Step(new CheckpointStored(Start + 150, 2, checkpoint))), Is.Empty, "a height not executed");
        Assert.That(Sent<CatchUpShare>(h.Step(new CheckpointStored(Start + 150, 1, new byte[31]))), Is.Empty, "a malformed hash");
        CatchUpShare share = Sent<CatchUpShare>(h.Step(new CheckpointStored(Start + 200, 1, checkpoint))).Single();

        Assert.That(h.State.Pool[1].MyCatchUpContent!.CheckpointHash, Is.EqualTo(checkpoint));
        Assert.That(share.ContentHash, Is.EqualTo(h.State.Pool[1].MyCatchUpContent!.Hash().ToBytes()));
        Assert.That(Sent<CatchUpShare>(h.Step(new CheckpointStored(Start + 250, 1, checkpoint))), Is.Empty, "told twice, signed once");
    }

    [Test]
    public void CheckpointStored_BeforeCertification_CatchUpShareFollowsTheCertification()
    {
        CoreHarness h = FinalizedAtHeightOne();
        byte[] root = Digest.Sha256([1]).ToBytes();
        byte[] checkpoint = Digest.Sha256([2]).ToBytes();

        h.Step(new BlockExecuted(Start + 100, 1, root, CheckpointPending: true));
        Assert.That(Sent<CatchUpShare>(h.Step(new CheckpointStored(Start + 120, 1, checkpoint))), Is.Empty, "not certified yet");
        var outputs = new List<ConsensusOutput>();
        foreach (int signer in new[] { 1, 2 })
        {
            outputs.AddRange(h.Receive(Start + 150, signer, new CertificationShare(1, root, h.Crypto[signer].Certification.SignShare(SigningDomains.StateRoot(root)))));
        }

        Assert.That(Sent<CatchUpShare>(outputs).Count(), Is.EqualTo(1));
        Assert.That(h.State.Pool[1].MyCatchUpContent!.CheckpointHash, Is.EqualTo(checkpoint));
    }

    [Test]
    public void OnExecuted_PendingWithAHash_IsIgnored()
    {
        CoreHarness h = FinalizedAtHeightOne();

        IReadOnlyList<ConsensusOutput> outputs = h.Step(new BlockExecuted(Start + 100, 1, Digest.Sha256([1]).ToBytes(), Digest.Sha256([2]).ToBytes(), CheckpointPending: true));

        Assert.That(Sent<CertificationShare>(outputs), Is.Empty, "a report both pending and stored is malformed");
    }

    // Replica 0 of four with catch-up interval 1, holding a notarized and finalized block at height 1 made by another.
    private static CoreHarness FinalizedAtHeightOne()
    {
        var h = new CoreHarness(new ConsensusConfig { Replicas = 4, CatchUpInterval = 1 });
        int maker = h.MakerOfRank(0) == 0 ? h.MakerOfRank(1) : h.MakerOfRank(0);
        BlockProposal b = h.Proposal(maker, 1, h.Genesis, Start, rank: h.Ranks[maker]);
        h.NotarizeAndFinalize(Start, b);
        return h;
    }
}
