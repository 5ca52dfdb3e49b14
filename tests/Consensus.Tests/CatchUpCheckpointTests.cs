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
        var h = new CoreHarness(new ConsensusConfig { Replicas = 4, CatchUpInterval = 1 });
        int maker = h.MakerOfRank(0) == 0 ? h.MakerOfRank(1) : h.MakerOfRank(0);
        BlockProposal b = h.Proposal(maker, 1, h.Genesis, Start, rank: h.Ranks[maker]);
        h.NotarizeAndFinalize(Start, b);
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
        var h = new CoreHarness(new ConsensusConfig { Replicas = 4, CatchUpInterval = 1 });
        int maker = h.MakerOfRank(0) == 0 ? h.MakerOfRank(1) : h.MakerOfRank(0);
        BlockProposal b = h.Proposal(maker, 1, h.Genesis, Start, rank: h.Ranks[maker]);
        h.NotarizeAndFinalize(Start, b);

        IReadOnlyList<ConsensusOutput> outputs = h.Step(new BlockExecuted(Start + 100, 1, Digest.Sha256([1]).ToBytes(), new byte[31]));

        Assert.That(Sent<CertificationShare>(outputs), Is.Empty, "a malformed report signs nothing");
        Assert.That(h.State.ExecutedHeight, Is.Zero);
    }
}
