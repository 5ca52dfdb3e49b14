using InternetIdentity.Consensus.Simulation;

namespace InternetIdentity.Consensus.Tests;

/// <summary>Heavy message loss, duplication and long tails slow the protocol down but never break it.</summary>
public class LossyNetworkTests
{
    [TestCase(4, FaultClass.Mixed)]
    [TestCase(7, FaultClass.Byzantine)]
    public void Simulate_FivePercentLossAndDuplicates_NoViolation(int n, FaultClass faults)
    {
        for (ulong seed = 1; seed <= 15; seed++)
        {
            SimulationResult r = Simulator.Run(SimulationSeedTests.Options(n, faults, seed) with
            {
                Network = new NetworkModel { DropProbability = 0.05, DuplicateProbability = 0.05, TailProbability = 0.1 },
            });
            Assert.That(r.Violation, Is.Null, $"seed {seed}: {r.Violation}\n{string.Join('\n', r.Trace.TakeLast(15))}");
        }
    }
}
