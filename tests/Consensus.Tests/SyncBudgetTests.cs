using System.Collections.Immutable;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;
using static InternetIdentity.Consensus.Tests.CoreHarness;

namespace InternetIdentity.Consensus.Tests;

/// <summary>Catch-up answers stay within a byte budget, and a peer cannot make this replica answer faster than it progresses.</summary>
public class SyncBudgetTests
{
    private const int Budget = 250_000;

    // Five finalized heights, each block carrying one 100 kB call.
    private static (CoreHarness H, long Now) ChainOfLargeBlocks(int budget = Budget)
    {
        var h = new CoreHarness(new ConsensusConfig { Replicas = 4, MaxSyncBundleBytes = budget });
        Digest parent = h.Genesis;
        long now = Start;
        for (long height = 1; height <= 5; height++)
        {
            ImmutableArray<int> ranks = Ranking.RanksFromBeacon(h.State.Pool[height - 1].Beacon!, h.Config.Replicas);
            int maker = ranks.IndexOf(0) == 0 ? ranks.IndexOf(1) : ranks.IndexOf(0);
            byte[] content = new byte[100_000];
            content[0] = (byte)height;
            BlockProposal b = h.Proposal(maker, height, parent, now, [new IngressMessage(content, Start + 200_000)], rank: ranks[maker]);
            h.NotarizeAndFinalize(now, b);
            Assert.That(h.State.FinalizedHeight, Is.EqualTo(height));
            parent = b.Block.Hash;
            now += 2_000;
        }

        return (h, now);
    }

    private static SyncBundle? Answer(CoreHarness h, long now, StatusRequest request) =>
        h.Receive(now, 3, request).OfType<SendMessage>().Where(s => s.To == 3).Select(s => s.Message).OfType<SyncBundle>().SingleOrDefault();

    [Test]
    public void OnStatus_BlocksLargerThanTheBudget_AnswersWithinItAndTheRestOnTheNextRequest()
    {
        (CoreHarness h, long now) = ChainOfLargeBlocks();

        SyncBundle first = Answer(h, now, new StatusRequest(0, 1, 0))!;
        SyncBundle second = Answer(h, now, new StatusRequest(2, 3, 0))!;

        Assert.That(first.Encode(), Has.Length.LessThanOrEqualTo(Budget));
        Assert.That(first.Messages.OfType<BlockProposal>().Select(p => p.Height), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(first.Messages.OfType<Finalization>().Select(p => p.Height), Is.EqualTo(new long[] { 2 }), "the last height sent is provably final");
        Assert.That(second.Encode(), Has.Length.LessThanOrEqualTo(Budget));
        Assert.That(second.Messages.OfType<BlockProposal>().Select(p => p.Height), Is.EqualTo(new long[] { 3, 4 }), "a replica that progressed is answered at once");
    }

    [Test]
    public void OnStatus_OneBlockLargerThanTheBudget_StillSendsOneFinalizedHeight()
    {
        (CoreHarness h, long now) = ChainOfLargeBlocks(budget: 1_000);

        SyncBundle bundle = Answer(h, now, new StatusRequest(0, 1, 0))!;

        Assert.That(bundle.Messages.OfType<BlockProposal>().Select(p => p.Height), Is.EqualTo(new long[] { 1 }));
        Assert.That(bundle.Messages.OfType<Finalization>().Select(p => p.Height), Is.EqualTo(new long[] { 1 }), "one finalized height, so the asker progresses");
    }

    [Test]
    public void OnStatus_RepeatedWithoutProgress_AnsweredOncePerHalfStatusInterval()
    {
        (CoreHarness h, long now) = ChainOfLargeBlocks();

        Assert.That(Answer(h, now, new StatusRequest(0, 1, 0)), Is.Not.Null);
        long dropped = h.State.DroppedArtifacts;
        Assert.That(Answer(h, now + 1, new StatusRequest(0, 1, 0)), Is.Null, "a flood of the same request gets nothing more");
        Assert.That(h.State.DroppedArtifacts, Is.EqualTo(dropped + 1));
        Assert.That(Answer(h, now + (h.Config.StatusIntervalMs / 2), new StatusRequest(0, 1, 0)), Is.Not.Null, "an honest retry after the interval is answered");
    }
}
