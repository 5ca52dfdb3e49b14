using System.Collections.Immutable;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;
using static InternetIdentity.Consensus.Tests.CoreHarness;

namespace InternetIdentity.Consensus.Tests;

/// <summary>A replica restarted from what it persisted must not contradict the shares it sent before the crash.</summary>
public class RecoveryTests
{
    private static (CoreHarness Harness, BlockProposal Rank1, ImmutableArray<ConsensusMessage> Persisted) SupportRank0ThenCrash()
    {
        var h = new CoreHarness();
        BlockProposal rank0 = h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start);
        var outputs = new List<ConsensusOutput>();
        outputs.AddRange(h.Receive(Start + 10, rank0.Block.Maker, rank0));
        outputs.AddRange(h.Step(new TimerFired(Start + h.Config.InitialNotaryDelayMs, new ConsensusTimer(TimerKind.Notary, 1, 0))));
        Assert.That(Sent<NotarizationShare>(outputs), Has.Exactly(1).Items);
        ImmutableArray<ConsensusMessage> persisted = [.. outputs.OfType<PersistArtifact>().Select(p => p.Artifact)];
        return (h, h.Proposal(h.MakerOfRank(1), 1, h.Genesis, Start), persisted);
    }

    private static List<ConsensusOutput> RestartAndOfferRank1(CoreHarness h, BlockProposal rank1, ImmutableArray<ConsensusMessage> persisted)
    {
        long late = Start + 5_000;
        StepResult restarted = h.Core.Step(h.Core.Initial(), new StartInput(late, persisted));
        var outputs = new List<ConsensusOutput>(restarted.Outputs);
        ConsensusState s = restarted.State;
        foreach (ConsensusMessage m in new ConsensusMessage[] { rank1, h.NotarizationShare(1, rank1.Block), h.NotarizationShare(2, rank1.Block), h.NotarizationShare(3, rank1.Block) })
        {
            StepResult r = h.Core.Step(s, new MessageReceived(late, 1, m));
            s = r.State;
            outputs.AddRange(r.Outputs);
        }
        Assert.That(s.NotarizedHeight, Is.EqualTo(1));
        return outputs;
    }

    [Test]
    public void Restart_WithPersistedShare_NeitherSupportsNorFinalizesOtherBlock()
    {
        (CoreHarness h, BlockProposal rank1, ImmutableArray<ConsensusMessage> persisted) = SupportRank0ThenCrash();
        List<ConsensusOutput> outputs = RestartAndOfferRank1(h, rank1, persisted);
        Assert.That(Sent<NotarizationShare>(outputs).Where(s => s.Signer == 0), Is.Empty);
        Assert.That(Sent<FinalizationShare>(outputs), Is.Empty, "it supported the rank-0 block before the crash");
        Assert.That(Sent<StatusRequest>(outputs), Has.Exactly(1).Items, "a restarted replica asks its peers at once");
    }

    [Test]
    public void Restart_WithoutPersistedShare_WouldFinalizeOtherBlock()
    {
        // the control: with the persisted artifacts lost, the same replica signs for the rank-1 block
        (CoreHarness h, BlockProposal rank1, _) = SupportRank0ThenCrash();
        List<ConsensusOutput> outputs = RestartAndOfferRank1(h, rank1, []);
        Assert.That(Sent<FinalizationShare>(outputs), Has.Exactly(1).Items);
    }
}
