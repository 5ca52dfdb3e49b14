using System.Collections.Immutable;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;
using static InternetIdentity.Consensus.Tests.CoreHarness;

namespace InternetIdentity.Consensus.Tests;

/// <summary>What a replica sends a lagging peer that asks with a status request.</summary>
public class SyncTests
{
    [Test]
    public void OnStatus_PeerBehind_BundleHoldsTheCertificationOfEveryHeightItLacks()
    {
        var h = new CoreHarness();
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

        IReadOnlyList<ConsensusOutput> answer = h.Receive(now, 3, new StatusRequest(0, 1, 0));
        SyncBundle bundle = answer.OfType<SendMessage>().Where(s => s.To == 3).Select(s => s.Message).OfType<SyncBundle>().Single();
        Assert.That(bundle.Messages.OfType<Certification>().Select(c => c.Height), Is.EqualTo(new long[] { 1, 2, 3 }),
            "a replica that catches up by blocks must be able to certify every height it executes");

        IReadOnlyList<ConsensusOutput> partial = h.Receive(now, 3, new StatusRequest(2, 3, 2));
        SyncBundle rest = partial.OfType<SendMessage>().Where(s => s.To == 3).Select(s => s.Message).OfType<SyncBundle>().Single();
        Assert.That(rest.Messages.OfType<Certification>().Select(c => c.Height), Is.EqualTo(new long[] { 3 }), "only the heights it lacks");
    }
}
