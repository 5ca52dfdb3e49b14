using System.Collections.Immutable;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Consensus.Simulation;

namespace InternetIdentity.Consensus.Tests;

/// <summary>An idle block maker waits <see cref="ConsensusConfig.IdleBlockDelayMs"/> before an empty block; ingress ends the wait.</summary>
public class IdleBlockTests
{
    private const long Start = 10_000;

    private static (ConsensusCore Core, ConsensusState State) RankZeroMaker(long idleDelay)
    {
        for (byte s = 0; ; s++)
        {
            byte[] seed = new byte[32];
            seed[0] = s;
            var config = new ConsensusConfig { GenesisSeed = seed, IdleBlockDelayMs = idleDelay };
            var core = new ConsensusCore(config, StandInCrypto.CreateSubnet(config.Replicas, seed)[0]);
            if (Ranking.RanksFromBeacon(core.GenesisBeacon, config.Replicas)[0] == 0)
            {
                return (core, core.Initial());
            }
        }
    }

    private static IEnumerable<BlockProposal> Proposals(IReadOnlyList<ConsensusOutput> outputs) =>
        outputs.OfType<SendMessage>().Select(m => m.Message).OfType<BlockProposal>();

    [Test]
    public void RankZeroMaker_NoIngress_ProposesOnlyWhenTheIdleDelayHasPassed()
    {
        (ConsensusCore core, ConsensusState state) = RankZeroMaker(300);
        StepResult started = core.Step(state, new StartInput(Start, []));
        Assert.That(Proposals(started.Outputs), Is.Empty, "nothing to include: wait");
        SetTimer timer = started.Outputs.OfType<SetTimer>().Single(t => t.Timer.Kind == TimerKind.BlockMaker);
        Assert.That(timer.At, Is.EqualTo(Start + 300));

        StepResult early = core.Step(started.State, new TimerFired(Start + 299, timer.Timer));
        Assert.That(Proposals(early.Outputs), Is.Empty);
        StepResult due = core.Step(early.State, new TimerFired(Start + 300, timer.Timer));
        Assert.That(Proposals(due.Outputs).Single().Block.Payload, Is.Empty);
    }

    [Test]
    public void RankZeroMaker_IngressArrivesWhileIdle_ProposesItAtOnce()
    {
        (ConsensusCore core, ConsensusState state) = RankZeroMaker(300);
        StepResult started = core.Step(state, new StartInput(Start, []));
        var message = new IngressMessage([1, 2, 3], Start + 60_000);
        StepResult submitted = core.Step(started.State, new IngressSubmitted(Start + 20, message));
        Assert.That(Proposals(submitted.Outputs).Single().Block.Payload.Select(m => m.RequestId), Is.EqualTo(new[] { message.RequestId }));
    }

    [Test]
    public void RankZeroMaker_NoIdleDelay_ProposesAtRoundStart()
    {
        (ConsensusCore core, ConsensusState state) = RankZeroMaker(0);
        StepResult started = core.Step(state, new StartInput(Start, []));
        Assert.That(Proposals(started.Outputs), Has.Exactly(1).Items, "the default is unchanged");
    }

    [TestCase(FaultClass.Crash)]
    [TestCase(FaultClass.Partition)]
    [TestCase(FaultClass.Byzantine)]
    [TestCase(FaultClass.Mixed)]
    public void Simulate_HostIdleDelay_NoViolationAndProgress(FaultClass faults)
    {
        // The host runs with an idle delay (ReplicaConsensus); the invariants must hold under faults with it too.
        for (ulong seed = 1; seed <= 25; seed++)
        {
            SimulationOptions options = SimulationSeedTests.Options(4, faults, seed) with
            {
                Protocol = new ConsensusConfig { CatchUpInterval = 10, IdleBlockDelayMs = 300 },
            };
            SimulationResult r = Simulator.Run(options);
            Assert.That(r.Violation, Is.Null, $"seed {seed}: {r.Violation}\n{string.Join("\n", r.Trace.TakeLast(15))}");
            Assert.That(r.HeightsFinalized, Is.GreaterThanOrEqualTo(options.Heights), $"seed {seed}");
        }
    }
}
