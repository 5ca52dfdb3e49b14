using InternetIdentity.Consensus.Simulation;

namespace InternetIdentity.Consensus.Tests;

public class DeterminismTests
{
    [TestCase(4, FaultClass.Mixed, 7UL)]
    [TestCase(7, FaultClass.Byzantine, 3UL)]
    [TestCase(13, FaultClass.Partition, 11UL)]
    public void Run_SameSeedTwice_IdenticalFinalizedHashesAndTraffic(int n, FaultClass faults, ulong seed)
    {
        SimulationOptions o = SimulationSeedTests.Options(n, faults, seed);
        SimulationResult a = Simulator.Run(o);
        SimulationResult b = Simulator.Run(o);
        Assert.That(a.Violation, Is.Null, $"seed {seed}");
        Assert.That(a.FinalizedHashes, Is.Not.Empty);
        Assert.That(b.FinalizedHashes, Is.EqualTo(a.FinalizedHashes));
        Assert.That((b.Steps, b.Messages, b.Bytes, b.VirtualTimeMs), Is.EqualTo((a.Steps, a.Messages, a.Bytes, a.VirtualTimeMs)));
    }

    [Test]
    public void Run_DifferentSeeds_DifferentChains()
    {
        SimulationResult a = Simulator.Run(SimulationSeedTests.Options(4, FaultClass.None, 1));
        SimulationResult b = Simulator.Run(SimulationSeedTests.Options(4, FaultClass.None, 2));
        Assert.That(b.FinalizedHashes, Is.Not.EqualTo(a.FinalizedHashes));
    }
}

public class CatchUpTests
{
    [Test]
    public void Simulate_CrashesWithShortCatchUpInterval_LaggingReplicasJumpWithCatchUpPackages()
    {
        long applied = 0;
        for (ulong seed = 1; seed <= 6; seed++)
        {
            SimulationResult r = Simulator.Run(new SimulationOptions
            {
                Replicas = 4, Faulty = 1, Faults = FaultClass.Crash, Seed = seed, Heights = 80,
                Protocol = new ConsensusConfig { CatchUpInterval = 5 },
            });
            Assert.That(r.Violation, Is.Null, $"seed {seed}");
            applied += r.CatchUpsApplied;
        }
        Assert.That(applied, Is.GreaterThan(0));
    }
}
