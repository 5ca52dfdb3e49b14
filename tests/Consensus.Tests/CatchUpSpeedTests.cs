namespace InternetIdentity.Consensus.Tests;

/// <summary>
/// How fast a replica that was down catches up on virtual time: at the network's speed (message delays and execution),
/// not at the status interval's or the catch-up package interval's.
/// </summary>
public class CatchUpSpeedTests
{
    private const int Lagging = 3;

    /// <summary>Runs the three others to <paramref name="othersAt"/>, then starts the lagging replica; virtual ms until it certified their height.</summary>
    private static long CatchUpMs(VirtualSubnet net, long othersAt, long unreachableMs = 0)
    {
        Assert.That(net.RunUntil(() => Enumerable.Range(0, 3).All(i => net.State(i).CertifiedHeight >= othersAt), 600_000),
            $"the three others reach certified height {othersAt}");
        long target = Enumerable.Range(0, 3).Min(i => net.State(i).CertifiedHeight);
        long start = net.Now;
        net.Start(Lagging, unreachableMs);
        Assert.That(net.RunUntil(() => net.State(Lagging).CertifiedHeight >= target, 120_000),
            $"replica {Lagging} certified height {target} (it is at {net.State(Lagging).CertifiedHeight})");
        long took = net.Now - start;
        TestContext.Out.WriteLine($"caught up {target} heights' worth in {took} virtual ms = {took / net.LatencyMs} message delays");
        return took;
    }

    /// <summary>Runs all four until the lagging replica certified height 10, then stops it (its journal kept).</summary>
    private static void StopLaggingAtTen(VirtualSubnet net)
    {
        for (int i = 0; i <= Lagging; i++)
        {
            net.Start(i);
        }
        Assert.That(net.RunUntil(() => net.State(Lagging).CertifiedHeight >= 10, 60_000), "replica 3 reaches height 10");
        net.Stop(Lagging);
    }

    private static VirtualSubnet StartedOthers()
    {
        var net = new VirtualSubnet();
        for (int i = 0; i < 3; i++)
        {
            net.Start(i);
        }
        return net;
    }

    [TestCase(80)]
    [TestCase(130)]
    [TestCase(240)]
    public void Wiped_OthersFarAhead_CatchesUpWithinAStatusInterval(long othersAt)
    {
        VirtualSubnet net = StartedOthers();
        long took = CatchUpMs(net, othersAt);
        Assert.That(took, Is.LessThan(net.Config.StatusIntervalMs),
            "a replica that peers show to be far behind asks at once and keeps asking while it lags");
    }

    [TestCase(80)]
    [TestCase(130)]
    [TestCase(240)]
    public void Restarted_StartRequestLost_CatchesUpWithinAStatusInterval(long othersAt)
    {
        var net = new VirtualSubnet();
        StopLaggingAtTen(net);
        long took = CatchUpMs(net, othersAt, unreachableMs: 100);
        Assert.That(took, Is.LessThan(net.Config.StatusIntervalMs),
            "its request at start was lost: it asks again once peers show it is far behind");
    }

    [Test]
    public void Start_WithoutJournal_AsksThePeersAtOnce()
    {
        var h = new CoreHarness();
        Assert.That(h.Last.OfType<Core.SendMessage>().Select(s => s.Message).OfType<Messages.StatusRequest>(), Has.Exactly(1).Items,
            "a wiped replica starts from genesis into a subnet that may be far ahead");
    }

    [Test]
    public void Wiped_FirstAnswersLost_AsksAgainAndCatchesUp()
    {
        // The answers to its first requests are lost (refused by a full pool, a frame window, a dropped connection):
        // nothing may wait for them; the next claims of its peers make it ask again.
        VirtualSubnet net = StartedOthers();
        int lost = 0;
        net.Drop = (_, to, m) => to == Lagging && m is Messages.SyncBundle && lost++ < 3;
        long took = CatchUpMs(net, 240);
        Assert.That(lost, Is.GreaterThanOrEqualTo(3), "the first three answers were lost");
        Assert.That(took, Is.LessThan(2 * net.Config.StatusIntervalMs));
    }

    [TestCase(80)]
    [TestCase(240)]
    public void Restarted_EveryOtherAnswerLost_StillCatchesUp(long othersAt)
    {
        // A flow of answers that stops half-way (the one it would ask next is never sent) must not leave it waiting
        // for an answer that will not come: stalled at height 10 for good is what an earlier attempt did.
        var net = new VirtualSubnet();
        StopLaggingAtTen(net);
        int bundles = 0;
        net.Drop = (_, to, m) => to == Lagging && m is Messages.SyncBundle && bundles++ % 2 == 1;
        long took = CatchUpMs(net, othersAt);
        Assert.That(bundles, Is.GreaterThan(2), "answers were lost");
        Assert.That(took, Is.LessThan(2 * net.Config.StatusIntervalMs));
    }

    [TestCase(80)]
    [TestCase(240)]
    public void Restarted_SlowExecution_CertifiesAsSoonAsItExecutedTheSubnetsHeight(long othersAt)
    {
        // Execution (15 ms a height) is slower than sync: the replica must not wait for a status interval per sync batch
        // to get the certifications of what it executed.
        var net = new VirtualSubnet { ExecuteMs = 15 };
        StopLaggingAtTen(net);
        long took = CatchUpMs(net, othersAt);
        long executing = (othersAt - 10) * net.ExecuteMs;
        Assert.That(took, Is.LessThan(executing + net.Config.StatusIntervalMs));
    }
}
