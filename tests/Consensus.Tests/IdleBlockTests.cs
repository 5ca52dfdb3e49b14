using System.Collections.Immutable;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Consensus.Simulation;

namespace InternetIdentity.Consensus.Tests;

/// <summary>
/// An idle block maker waits <see cref="ConsensusConfig.IdleBlockDelayMs"/> before an empty block; fresh ingress ends the
/// wait (after <see cref="ConsensusConfig.IngressBatchDelayMs"/>, so a burst shares a block).
/// </summary>
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

    /// <summary>A subnet in which replica 0 is the rank-0 maker at heights 1 and 2, driven from replica 0.</summary>
    private sealed class TwoRoundMaker
    {
        public TwoRoundMaker(ConsensusConfig config)
        {
            for (byte s = 0; ; s++)
            {
                byte[] seed = new byte[32];
                seed[0] = s;
                Config = config with { GenesisSeed = seed };
                Crypto = StandInCrypto.CreateSubnet(Config.Replicas, seed);
                Core = new ConsensusCore(Config, Crypto[0]);
                byte[] message = SigningDomains.RandomBeacon(1, Core.GenesisBeacon);
                Assert.That(Crypto[0].RandomBeacon.TryCombine([Crypto[0].RandomBeacon.SignShare(message), Crypto[1].RandomBeacon.SignShare(message)],
                    message, out byte[]? beacon1), Is.True);
                if (Ranking.RanksFromBeacon(Core.GenesisBeacon, Config.Replicas)[0] == 0 && Ranking.RanksFromBeacon(beacon1!, Config.Replicas)[0] == 0)
                {
                    break;
                }
            }
            State = Core.Initial();
        }

        public ConsensusConfig Config { get; }
        public IReadOnlyList<IConsensusCrypto> Crypto { get; }
        public ConsensusCore Core { get; }
        public ConsensusState State { get; private set; }

        public IReadOnlyList<ConsensusOutput> Step(ConsensusInput input)
        {
            StepResult r = Core.Step(State, input);
            State = r.State;
            return r.Outputs;
        }

        /// <summary>Notarizes replica 0's block at height 1 with replicas 1 and 2 (their beacon share for height 1 included), not finalizing it.</summary>
        public IReadOnlyList<ConsensusOutput> Notarize(long now, BlockProposal block)
        {
            var all = new List<ConsensusOutput>();
            byte[] message = SigningDomains.RandomBeacon(1, Core.GenesisBeacon);
            all.AddRange(Step(new MessageReceived(now, 1, new RandomBeaconShare(1, Crypto[1].RandomBeacon.SignShare(message)))));
            all.AddRange(Step(new TimerFired(now, new ConsensusTimer(TimerKind.Notary, 1, 0))));
            foreach (int signer in new[] { 1, 2 })
            {
                byte[] hash = block.Block.Hash.ToBytes();
                all.AddRange(Step(new MessageReceived(now, signer,
                    new NotarizationShare(1, hash, signer, Crypto[signer].Node.Sign(SigningDomains.Notarization(1, hash))))));
            }
            return all;
        }
    }

    [Test]
    public void RankZeroMaker_PendingIngressAlreadyInTheUnfinalizedParent_WaitsTheIdleDelay()
    {
        var maker = new TwoRoundMaker(new ConsensusConfig { IdleBlockDelayMs = 300, InitialNotaryDelayMs = 10 });
        maker.Step(new StartInput(Start, []));
        var message = new IngressMessage([1, 2, 3], Start + 60_000);
        BlockProposal first = Proposals(maker.Step(new IngressSubmitted(Start + 20, message))).Single();
        long notarizedAt = Start + 40;
        IReadOnlyList<ConsensusOutput> notarized = maker.Notarize(notarizedAt, first);
        Assert.That(maker.State.NotarizedHeight, Is.EqualTo(1));
        Assert.That(maker.State.FinalizedHeight, Is.EqualTo(0), "the message is still pending in the pool, inside block 1");
        Assert.That(maker.State.IngressPoolSize, Is.EqualTo(1));
        Assert.That(Proposals(notarized), Is.Empty, "nothing new to include at height 2: no empty block at once");
        SetTimer timer = notarized.OfType<SetTimer>().Single(t => t.Timer.Kind == TimerKind.BlockMaker && t.Timer.Height == 2);
        Assert.That(timer.At, Is.EqualTo(notarizedAt + 300));
        Assert.That(Proposals(maker.Step(new TimerFired(notarizedAt + 300, timer.Timer))).Single().Block.Payload, Is.Empty);
    }

    [Test]
    public void RankZeroMaker_BurstWhileIdle_BatchedIntoOneBlockAfterTheBatchDelay()
    {
        var maker = new TwoRoundMaker(new ConsensusConfig { IdleBlockDelayMs = 300, IngressBatchDelayMs = 5 });
        maker.Step(new StartInput(Start, []));
        var a = new IngressMessage([1], Start + 60_000);
        var b = new IngressMessage([2], Start + 60_000);
        IReadOnlyList<ConsensusOutput> first = maker.Step(new IngressSubmitted(Start + 20, a));
        Assert.That(Proposals(first), Is.Empty, "the first call of a burst waits for the rest");
        SetTimer timer = first.OfType<SetTimer>().Single(t => t.Timer.Kind == TimerKind.BlockMaker && t.At == Start + 25);
        Assert.That(Proposals(maker.Step(new IngressSubmitted(Start + 23, b))), Is.Empty);
        Assert.That(Proposals(maker.Step(new TimerFired(Start + 24, timer.Timer))), Is.Empty, "not yet due");
        BlockProposal block = Proposals(maker.Step(new TimerFired(Start + 25, timer.Timer))).Single();
        Assert.That(block.Block.Payload.Select(m => m.RequestId), Is.EquivalentTo(new[] { a.RequestId, b.RequestId }));
    }

    [Test]
    public void RankZeroMaker_FreshIngressWhenTheRoundStarts_ProposesAtOnceDespiteTheBatchDelay()
    {
        var maker = new TwoRoundMaker(new ConsensusConfig { IdleBlockDelayMs = 300, IngressBatchDelayMs = 5, InitialNotaryDelayMs = 10 });
        maker.Step(new StartInput(Start, []));
        var a = new IngressMessage([1], Start + 60_000);
        maker.Step(new IngressSubmitted(Start + 20, a));
        BlockProposal first = Proposals(maker.Step(new TimerFired(Start + 25, new ConsensusTimer(TimerKind.BlockMaker, 1, 0)))).Single();
        var b = new IngressMessage([2], Start + 60_000);
        Assert.That(Proposals(maker.Step(new IngressSubmitted(Start + 30, b))), Is.Empty, "height 1 is proposed already");
        IReadOnlyList<ConsensusOutput> notarized = maker.Notarize(Start + 40, first);
        Assert.That(maker.State.NotarizedHeight, Is.EqualTo(1));
        BlockProposal second = Proposals(notarized).Single(p => p.Block.Height == 2);
        Assert.That(second.Block.Payload.Select(m => m.RequestId), Is.EqualTo(new[] { b.RequestId }), "busy at the round start: no batching wait");
    }

    /// <summary>
    /// Replica 0 proposes <paramref name="calls"/> at height 1 (waiting for the parent's certification); the block is
    /// notarized and finalized, <paramref name="waiting"/> arrives meanwhile, then block 1's state is certified at
    /// Start + 60. Returns the outputs of the certifying step.
    /// </summary>
    private static IReadOnlyList<ConsensusOutput> CertifyFirstBlock(TwoRoundMaker maker, IngressMessage[] calls, IngressMessage waiting)
    {
        maker.Step(new StartInput(Start, []));
        foreach (IngressMessage call in calls)
        {
            maker.Step(new IngressSubmitted(Start + 20, call));
        }
        BlockProposal first = Proposals(maker.Step(new TimerFired(Start + 25, new ConsensusTimer(TimerKind.BlockMaker, 1, 0)))).Single();
        Assert.That(first.Block.Payload, Has.Length.EqualTo(calls.Length));
        maker.Notarize(Start + 40, first);
        Assert.That(Proposals(maker.Step(new IngressSubmitted(Start + 45, waiting))), Is.Empty, "block 1's state is not certified yet");

        byte[] hash = first.Block.Hash.ToBytes();
        foreach (int signer in new[] { 1, 2 })
        {
            maker.Step(new MessageReceived(Start + 50, signer,
                new FinalizationShare(1, hash, signer, maker.Crypto[signer].Node.Sign(SigningDomains.Finalization(1, hash)))));
        }
        Assert.That(maker.State.FinalizedHeight, Is.EqualTo(1));
        byte[] root = Digest.Sha256("root"u8).ToBytes();
        Assert.That(Proposals(maker.Step(new BlockExecuted(Start + 55, 1, root))), Is.Empty);
        IReadOnlyList<ConsensusOutput> certified = [];
        foreach (int signer in new[] { 1, 2 })
        {
            certified = maker.Step(new MessageReceived(Start + 60, signer,
                new CertificationShare(1, root, maker.Crypto[signer].Certification.SignShare(SigningDomains.StateRoot(root)))));
        }
        Assert.That(maker.State.CertifiedHeight, Is.EqualTo(1));
        return certified;
    }

    private static IngressMessage[] Calls(params byte[] ids) => [.. ids.Select(id => new IngressMessage([id], Start + 60_000))];

    [Test]
    public void RankZeroMaker_AwaitParentCertification_ProposesFreshIngressOnceTheParentIsCertified()
    {
        var maker = new TwoRoundMaker(new ConsensusConfig { IdleBlockDelayMs = 300, IngressBatchDelayMs = 5, AwaitParentCertification = true });
        IngressMessage[] parent = Calls(1, 2);
        IngressMessage b = Calls(10)[0], c = Calls(11)[0];
        IReadOnlyList<ConsensusOutput> certified = CertifyFirstBlock(maker, parent, b);
        Assert.That(Proposals(certified), Is.Empty, "then a batch delay collects the calls the replies bring back");
        SetTimer timer = certified.OfType<SetTimer>().Single(t => t.Timer.Kind == TimerKind.BlockMaker && t.At == Start + 65);
        Assert.That(Proposals(maker.Step(new IngressSubmitted(Start + 62, c))), Is.Empty, "one of the two answered clients is back");
        BlockProposal second = Proposals(maker.Step(new TimerFired(Start + 65, timer.Timer))).Single();
        Assert.That(second.Block.Payload.Select(m => m.RequestId), Is.EquivalentTo(new[] { b.RequestId, c.RequestId }));
    }

    [Test]
    public void RankZeroMaker_AwaitParentCertification_EveryAnsweredClientBack_ProposesBeforeTheBatchDelay()
    {
        var maker = new TwoRoundMaker(new ConsensusConfig { IdleBlockDelayMs = 300, IngressBatchDelayMs = 5, AwaitParentCertification = true });
        IngressMessage[] parent = Calls(1, 2);
        IngressMessage b = Calls(10)[0];
        IngressMessage[] fresh = Calls(11, 12);
        Assert.That(Proposals(CertifyFirstBlock(maker, parent, b)), Is.Empty);
        Assert.That(Proposals(maker.Step(new IngressSubmitted(Start + 61, fresh[0]))), Is.Empty);
        BlockProposal second = Proposals(maker.Step(new IngressSubmitted(Start + 62, fresh[1]))).Single();
        Assert.That(second.Block.Payload.Select(m => m.RequestId), Is.EquivalentTo(new[] { b.RequestId, fresh[0].RequestId, fresh[1].RequestId }),
            "the waiting call and one fresh call per call of the parent: the batch is complete before Start + 65");
    }

    [Test]
    public void RankZeroMaker_AwaitParentCertification_ParentNeverCertified_ProposesAfterTheIdleDelay()
    {
        var maker = new TwoRoundMaker(new ConsensusConfig { IdleBlockDelayMs = 300, InitialNotaryDelayMs = 10, AwaitParentCertification = true });
        maker.Step(new StartInput(Start, []));
        BlockProposal first = Proposals(maker.Step(new IngressSubmitted(Start + 20, new IngressMessage([1], Start + 60_000)))).Single();
        IReadOnlyList<ConsensusOutput> notarized = maker.Notarize(Start + 40, first);
        Assert.That(maker.State.NotarizedHeight, Is.EqualTo(1));
        var b = new IngressMessage([2], Start + 60_000);
        Assert.That(Proposals(maker.Step(new IngressSubmitted(Start + 45, b))), Is.Empty);
        SetTimer timer = notarized.OfType<SetTimer>().Single(t => t.Timer.Kind == TimerKind.BlockMaker && t.Timer.Height == 2);
        Assert.That(timer.At, Is.EqualTo(Start + 40 + 300));
        BlockProposal second = Proposals(maker.Step(new TimerFired(timer.At, timer.Timer))).Single();
        Assert.That(second.Block.Payload.Select(m => m.RequestId), Is.EqualTo(new[] { b.RequestId }), "liveness does not depend on certification");
    }

    [TestCase(FaultClass.Crash)]
    [TestCase(FaultClass.Partition)]
    [TestCase(FaultClass.Byzantine)]
    [TestCase(FaultClass.Mixed)]
    public void Simulate_HostIdleDelay_NoViolationAndProgress(FaultClass faults)
    {
        // The host's block-making parameters (ReplicaConsensus.DefaultParameters): the invariants must hold under faults with them too.
        for (ulong seed = 1; seed <= 25; seed++)
        {
            SimulationOptions options = SimulationSeedTests.Options(4, faults, seed) with
            {
                Protocol = new ConsensusConfig
                {
                    CatchUpInterval = 10, IdleBlockDelayMs = 300, InitialNotaryDelayMs = 0, IngressBatchDelayMs = 10, AwaitParentCertification = true,
                },
            };
            SimulationResult r = Simulator.Run(options);
            Assert.That(r.Violation, Is.Null, $"seed {seed}: {r.Violation}\n{string.Join("\n", r.Trace.TakeLast(15))}");
            Assert.That(r.HeightsFinalized, Is.GreaterThanOrEqualTo(options.Heights), $"seed {seed}");
        }
    }
}
