using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Tests;

/// <summary>A lagging replica that heard of finalizations above a gap in what it holds still finalizes below the gap.</summary>
public class FinalizationGapTests
{
    [Test]
    public void TryFinalize_GapBelowTheHighestFinalization_FinalizesTheHighestCompleteChain()
    {
        // The three others finalize a few heights; the fourth, started late, gets every height but one above its window
        // start from them (as live artifacts and a sync answer's chain arrive: the answer stops a batch above its
        // finalized height, the live ones come from further up).
        var net = new VirtualSubnet();
        for (int i = 0; i < 3; i++)
        {
            net.Start(i);
        }
        Assert.That(net.RunUntil(() => net.State(0).FinalizedHeight >= 10, 60_000), "the others finalize height 10");
        ConsensusState source = net.State(0);
        long[] proven = [.. source.Pool.Where(p => p.Key <= 10 && p.Value.Finalization is not null).Select(p => p.Key)];
        long low = proven.Where(h => h < proven.Max() - 1).Max();
        long gap = low + 1;
        Assert.That(proven.Max(), Is.GreaterThan(gap), "a finalization above the gap");

        var core = new ConsensusCore(net.Config, StandInCrypto.CreateSubnet(net.Config.Replicas, net.Config.GenesisSeed)[3]);
        ConsensusState s = core.Step(core.Initial(), new StartInput(net.Now, [])).State;
        IEnumerable<ConsensusMessage> Height(long h)
        {
            HeightPool p = source.Pool[h];
            yield return p.FinalizedProposal!;
            yield return new RandomBeacon(h, p.Beacon!);
        }

        // Live: the heights above the gap and their finalization first; then the chain up to `low` with its proof.
        var arrivals = Enumerable.Range((int)gap + 1, (int)(proven.Max() - gap)).SelectMany(h => Height(h))
            .Append(source.Pool[proven.Max()].Finalization!)
            .Concat(Enumerable.Range(1, (int)low).SelectMany(h => Height(h)))
            .Append(source.Pool[low].Finalization!);
        foreach (ConsensusMessage m in arrivals)
        {
            s = core.Step(s, new MessageReceived(net.Now, 0, m)).State;
        }

        Assert.That(s.FinalizedHeight, Is.EqualTo(low),
            $"heights 1 to {low} are complete with a finalization; height {gap} missing must not hold them back");
    }
}
