using BenchmarkDotNet.Attributes;
using InternetIdentity.Consensus.Simulation;

namespace InternetIdentity.Consensus.Benchmarks;

/// <summary>Wall time of simulating 100 heights of an honest subnet with the stand-in crypto (heights/s = 100 / mean).</summary>
[MemoryDiagnoser]
public class SimulationBenchmarks
{
    [Params(4, 13)]
    public int Replicas { get; set; }

    [Benchmark]
    public long Simulate100Heights() => Simulator.Run(new SimulationOptions
    {
        Replicas = Replicas,
        Faulty = 0,
        Faults = FaultClass.None,
        Heights = 100,
        Seed = 1,
        Network = new NetworkModel { DropProbability = 0, DuplicateProbability = 0, TailProbability = 0 },
    }).HeightsFinalized;
}
