using InternetIdentity.Consensus.Simulation;

namespace InternetIdentity.Consensus.Tests;

/// <summary>The invariant checker must catch what the protocol forbids: too many Byzantine replicas, or a broken rule.</summary>
[Parallelizable(ParallelScope.Children)]
public class CheckerTests
{
    private static SimulationResult? FirstViolation(Func<ulong, SimulationOptions> options, int seeds, Func<string, bool>? kind = null)
    {
        for (ulong seed = 1; seed <= (ulong)seeds; seed++)
        {
            SimulationResult r = Simulator.Run(options(seed));
            if (r.Violation is not null && (kind is null || kind(r.Violation)))
            {
                return r;
            }
        }
        return null;
    }

    [TestCase(4)]
    [TestCase(7)]
    public void Simulate_FPlusOneColludingByzantine_SafetyViolationReported(int n)
    {
        // Beyond f faults liveness is not guaranteed either: a seed may stall before it splits the honest replicas (the
        // pools keep one finalization share per signer and height, so colluders reach only the honest replicas they reach
        // first); the checker must report a split in some seeds.
        int f = (n - 1) / 3;
        SimulationResult? r = FirstViolation(seed => new SimulationOptions
        {
            Replicas = n, Faulty = f + 1, Faults = FaultClass.Byzantine, Collude = true, Seed = seed, Heights = 30,
        }, seeds: 20, kind: v => v.Contains("two finalized blocks", StringComparison.Ordinal) || v.Contains("notarized sibling", StringComparison.Ordinal)
            || v.Contains("diverge", StringComparison.Ordinal));
        Assert.That(r, Is.Not.Null, "f+1 colluding replicas never broke a safety invariant");
        Assert.That(r!.Violation, Does.Contain("two finalized blocks").Or.Contain("notarized sibling").Or.Contain("diverge"));
        Assert.That(r.Trace, Is.Not.Empty);
    }

    [Test]
    public void Simulate_FColludingByzantine_NoViolation()
    {
        for (ulong seed = 1; seed <= 10; seed++)
        {
            SimulationResult r = Simulator.Run(new SimulationOptions
            {
                Replicas = 4, Faulty = 1, Faults = FaultClass.Byzantine, Collude = true, Seed = seed, Heights = 30,
            });
            Assert.That(r.Violation, Is.Null, $"seed {seed}");
        }
    }

    [Test]
    public void Simulate_AncestorReplayRuleBroken_DuplicateExecutionReported()
    {
        SimulationResult? r = FirstViolation(seed => new SimulationOptions
        {
            Replicas = 4, Faulty = 0, Faults = FaultClass.None, Seed = seed, Heights = 40,
            Protocol = new ConsensusConfig { Faults = ProtocolFaults.IgnoreAncestorRequestIds },
        }, seeds: 5);
        Assert.That(r, Is.Not.Null);
        Assert.That(r!.Violation, Does.Contain("executed twice"));
    }

    [Test]
    public void Simulate_QuorumsTooLow_SafetyViolationReported()
    {
        SimulationResult? r = FirstViolation(seed => new SimulationOptions
        {
            Replicas = 4, Faulty = 1, Faults = FaultClass.Partition, Seed = seed, Heights = 60,
            Protocol = new ConsensusConfig { Faults = ProtocolFaults.QuorumsTooLow },
        }, seeds: 40);
        Assert.That(r, Is.Not.Null);
        Assert.That(r!.Violation, Does.Contain("two finalized blocks").Or.Contain("notarized sibling").Or.Contain("diverge"));
    }

    [Test]
    public void Simulate_SameRulesUnbroken_NoViolation()
    {
        for (ulong seed = 1; seed <= 5; seed++)
        {
            SimulationResult r = Simulator.Run(new SimulationOptions { Replicas = 4, Faulty = 0, Faults = FaultClass.None, Seed = seed, Heights = 40 });
            Assert.That(r.Violation, Is.Null, $"seed {seed}");
        }
    }
}
