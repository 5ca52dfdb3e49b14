namespace InternetIdentity.Consensus.Simulation;

/// <summary>What one simulation run produced.</summary>
public sealed record SimulationResult
{
    /// <summary>The seed of the run.</summary>
    public ulong Seed { get; init; }

    /// <summary>The first invariant violation, or null.</summary>
    public string? Violation { get; init; }

    /// <summary>The last trace lines before the violation (empty when none).</summary>
    public IReadOnlyList<string> Trace { get; init; } = [];

    /// <summary>Lowest finalized height over the honest replicas at the end.</summary>
    public long HeightsFinalized { get; init; }

    /// <summary>Hashes of the finalized blocks, height 1 upwards, as the honest replicas agreed on them.</summary>
    public IReadOnlyList<Digest> FinalizedHashes { get; init; } = [];

    /// <summary>Per height: virtual ms from the finalized block's proposal to its first honest finalization.</summary>
    public IReadOnlyList<long> FinalizationLatenciesMs { get; init; } = [];

    /// <summary>Mean one-way network latency drawn, virtual ms (the "message delay").</summary>
    public double MeanMessageDelayMs { get; init; }

    /// <summary>Messages put on the network (one per recipient).</summary>
    public long Messages { get; init; }

    /// <summary>Bytes put on the network, by canonical encoding.</summary>
    public long Bytes { get; init; }

    /// <summary>Inputs stepped through cores.</summary>
    public long Steps { get; init; }

    /// <summary>Virtual time at the end, ms.</summary>
    public long VirtualTimeMs { get; init; }

    /// <summary>Ingress messages executed.</summary>
    public long IngressExecuted { get; init; }

    /// <summary>Catch-up packages applied by lagging replicas.</summary>
    public long CatchUpsApplied { get; init; }
}
