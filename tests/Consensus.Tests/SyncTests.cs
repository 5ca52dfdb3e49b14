using System.Collections.Immutable;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;
using static InternetIdentity.Consensus.Tests.CoreHarness;

namespace InternetIdentity.Consensus.Tests;

/// <summary>What a replica sends a lagging peer that asks with a status request.</summary>
public class SyncTests
{
    /// <summary>Replica 0 finalized, executed and certified heights 1 to 3.</summary>
    private static (CoreHarness Harness, long Now) CertifiedThree(ConsensusConfig? config = null)
    {
        var h = new CoreHarness(config);
        Digest parent = h.Genesis;
        long now = Start;
        for (long height = 1; height <= 3; height++)
        {
            ImmutableArray<int> ranks = Ranking.RanksFromBeacon(h.State.Pool[height - 1].Beacon!, h.Config.Replicas);
            int maker = ranks.IndexOf(0);
            if (maker == 0)
            {
                maker = ranks.IndexOf(1); // replica 0 proposes itself at rank 0; a rank-1 block from a peer is just as final
            }

            BlockProposal b = h.Proposal(maker, height, parent, now, rank: ranks[maker]);
            h.NotarizeAndFinalize(now, b);
            now += 2_000;
            Assert.That(h.State.FinalizedHeight, Is.EqualTo(height));
            byte[] root = Digest.Sha256([(byte)height]).ToBytes();
            h.Step(new BlockExecuted(now, height, root));
            foreach (int signer in new[] { 1, 2 })
            {
                h.Receive(now, signer, new CertificationShare(height, root, h.Crypto[signer].Certification.SignShare(SigningDomains.StateRoot(root))));
            }

            Assert.That(h.State.CertifiedHeight, Is.EqualTo(height));
            parent = b.Block.Hash;
        }
        return (h, now);
    }

    private static long[] CertificationsSent(CoreHarness h, long now, StatusRequest ask)
    {
        IReadOnlyList<ConsensusOutput> answer = h.Receive(now, 3, ask);
        SyncBundle bundle = answer.OfType<SendMessage>().Where(s => s.To == 3).Select(s => s.Message).OfType<SyncBundle>().Single();
        return [.. bundle.Messages.OfType<Certification>().Select(c => c.Height)];
    }

    [Test]
    public void OnStatus_PeerBehind_BundleHoldsOnlyTheNewestCertificationItNeeds()
    {
        (CoreHarness h, long now) = CertifiedThree();
        Assert.That(CertificationsSent(h, now, new StatusRequest(0, 1, 0)), Is.EqualTo(new long[] { 3 }),
            "certifying height 3 once executed certifies the state; heights 1 and 2 need no certification of their own");
        Assert.That(CertificationsSent(h, now, new StatusRequest(2, 3, 1)), Is.EqualTo(new long[] { 3 }), "only what it lacks");
    }

    [Test]
    public void OnStatus_PeerBehindOverACatchUpHeightWithoutPackage_BundleAlsoHoldsThatHeightsCertification()
    {
        // Height 2 is a catch-up height whose package is not made (one share of three): the asker's share may be needed.
        (CoreHarness h, long now) = CertifiedThree(new ConsensusConfig { CatchUpInterval = 2 });
        Assert.That(h.State.CatchUpHeight, Is.Zero);
        Assert.That(CertificationsSent(h, now, new StatusRequest(0, 1, 0)), Is.EqualTo(new long[] { 2, 3 }));
    }
}
