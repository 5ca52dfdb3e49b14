using InternetIdentity.Consensus.Crypto;

namespace InternetIdentity.Consensus.Simulation;

/// <summary>Which faults a simulation injects, with up to <see cref="SimulationOptions.Faulty"/> faulty replicas.</summary>
public enum FaultClass
{
    /// <summary>Only network noise (latency, drops, duplicates, reordering).</summary>
    None,

    /// <summary>Faulty replicas crash and restart from what they persisted.</summary>
    Crash,

    /// <summary>Faulty replicas are Byzantine: equivocation, double votes, invalid shares, withholding, twins.</summary>
    Byzantine,

    /// <summary>The network splits and heals; replicas themselves are honest.</summary>
    Partition,

    /// <summary>Crashes, Byzantine replicas and partitions together.</summary>
    Mixed,
}

/// <summary>The seeded network: one-way latency, tail, drops, duplicates.</summary>
public sealed record NetworkModel
{
    /// <summary>Smallest one-way latency, virtual milliseconds.</summary>
    public long MinLatencyMs { get; init; } = 5;

    /// <summary>Largest ordinary one-way latency, virtual milliseconds.</summary>
    public long MaxLatencyMs { get; init; } = 40;

    /// <summary>Probability that a message takes the long tail (up to ten times the maximum).</summary>
    public double TailProbability { get; init; } = 0.03;

    /// <summary>Probability that a message is lost.</summary>
    public double DropProbability { get; init; } = 0.01;

    /// <summary>Probability that a message is delivered twice.</summary>
    public double DuplicateProbability { get; init; } = 0.01;

    /// <summary>Largest clock skew of a replica, virtual milliseconds.</summary>
    public long MaxClockSkewMs { get; init; } = 20;
}

/// <summary>One simulation run: subnet size, faults, seed, target height.</summary>
public sealed record SimulationOptions
{
    /// <summary>Replicas n.</summary>
    public int Replicas { get; init; } = 4;

    /// <summary>Faulty replicas (at most f for the run to be expected safe and live).</summary>
    public int Faulty { get; init; } = 1;

    /// <summary>Which faults to inject.</summary>
    public FaultClass Faults { get; init; } = FaultClass.Mixed;

    /// <summary>The seed; the same seed replays the same run exactly.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Stop once every honest replica finalized this many heights.</summary>
    public long Heights { get; init; } = 50;

    /// <summary>Byzantine replicas collude to split the honest ones (used with f+1 of them to test the checker).</summary>
    public bool Collude { get; init; }

    /// <summary>Virtual milliseconds between ingress submissions (0 = no ingress).</summary>
    public long IngressIntervalMs { get; init; } = 40;

    /// <summary>The network model.</summary>
    public NetworkModel Network { get; init; } = new();

    /// <summary>Protocol parameters; Replicas is overwritten by <see cref="Replicas"/>.</summary>
    public ConsensusConfig Protocol { get; init; } = new();

    /// <summary>Makes the subnet's keys from (n, seed bytes); the default is the fast stand-in.</summary>
    public Func<int, byte[], IReadOnlyList<IConsensusCrypto>> CryptoFactory { get; init; } = (n, seed) => StandInCrypto.CreateSubnet(n, seed);

    /// <summary>Receives every trace line as it happens, when set (the core itself never writes anywhere).</summary>
    public Action<string>? TraceSink { get; init; }

    /// <summary>Finalization must advance at least once in this much healthy virtual time.</summary>
    public long LivenessWindowMs { get; init; } = 30_000;

    /// <summary>Throws ArgumentException for options that cannot run.</summary>
    public void Validate()
    {
        if (Replicas < 1 || Replicas > 100)
        {
            throw new ArgumentException("replicas must be between 1 and 100", nameof(Replicas));
        }
        if (Faulty < 0 || Faulty >= Replicas)
        {
            throw new ArgumentException("faulty must be between 0 and replicas-1", nameof(Faulty));
        }
        if (Heights < 1)
        {
            throw new ArgumentException("heights must be at least 1", nameof(Heights));
        }
    }
}
