using System.Text;
using InternetIdentity.Consensus.Simulation;

namespace InternetIdentity.Consensus.Tests;

/// <summary>
/// 200 seeds for each of n = 4, 7, 13 and each fault class (crash, partition, Byzantine), up to f faults, plus 50 seeds
/// of all of them mixed. Each case runs a block of 25 seeds so the two cores share the work.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class SimulationSeedTests
{
    internal const int SeedsPerCase = 200;
    private const int MixedSeeds = 50;
    private const int Block = 25;

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (int n in new[] { 4, 7, 13 })
        {
            foreach (FaultClass faults in new[] { FaultClass.Crash, FaultClass.Partition, FaultClass.Byzantine, FaultClass.Mixed })
            {
                int seeds = faults == FaultClass.Mixed ? MixedSeeds : SeedsPerCase;
                for (int first = 1; first <= seeds; first += Block)
                {
                    yield return new TestCaseData(n, faults, (ulong)first).SetName($"Simulate_n{n}_{faults}_Seeds{first}To{first + Block - 1}_NoViolation");
                }
            }
        }
    }

    internal static SimulationOptions Options(int n, FaultClass faults, ulong seed) => new()
    {
        Replicas = n,
        Faulty = (n - 1) / 3,
        Faults = faults,
        Seed = seed,
        Heights = n switch { 4 => 30, 7 => 24, _ => 16 },
        Protocol = new ConsensusConfig { CatchUpInterval = 10 },
    };

    [TestCaseSource(nameof(Cases))]
    public void Simulate_SeedBlock_NoViolation(int n, FaultClass faults, ulong first)
    {
        var failures = new StringBuilder();
        for (ulong seed = first; seed < first + Block; seed++)
        {
            SimulationResult r = Simulator.Run(Options(n, faults, seed));
            if (r.Violation is not null)
            {
                failures.AppendLine($"seed {seed}: {r.Violation}");
                foreach (string line in r.Trace.TakeLast(15))
                {
                    failures.AppendLine("  " + line);
                }
            }
            else
            {
                Assert.That(r.HeightsFinalized, Is.GreaterThanOrEqualTo(Options(n, faults, seed).Heights), $"seed {seed}");
            }
        }
        Assert.That(failures.ToString(), Is.Empty);
    }
}
