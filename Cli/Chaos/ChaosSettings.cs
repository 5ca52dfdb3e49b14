namespace InternetIdentity.Cli.Chaos;

/// <summary>Everything a chaos run needs (the options of `iinet chaos`, and what tests fix).</summary>
internal sealed record ChaosSettings
{
    /// <summary>The Byzantine modes of `iinet node --byzantine`, handed out in order.</summary>
    public static readonly IReadOnlyList<string> ByzantineModes = ["equivocate", "junk-ingress", "flood-shares", "forge-shares", "bad-checkpoint", "silent"];

    /// <summary>n.</summary>
    public required int Replicas { get; init; }

    /// <summary>How many replicas run with --byzantine (the last ones).</summary>
    public int Byzantine { get; init; }

    /// <summary>How long the load runs (faults happen within it).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The fault kinds to draw from.</summary>
    public IReadOnlyList<FaultKind> Nemeses { get; init; } = [];

    /// <summary>The seed of the fault schedule and the load.</summary>
    public int Seed { get; init; }

    /// <summary>Operations a second.</summary>
    public double LoadPerSecond { get; init; } = 5;

    /// <summary>PostgreSQL instead of SQLite.</summary>
    public string? Postgres { get; init; }

    /// <summary>Where genesis, logs and the report go.</summary>
    public required string OutDir { get; init; }

    /// <summary>The first of 3n consecutive loopback ports.</summary>
    public required int BasePort { get; init; }

    /// <summary>A fixed schedule instead of the drawn one (tests).</summary>
    public IReadOnlyList<Fault>? Schedule { get; init; }

    /// <summary>Timing of the drawn schedule.</summary>
    public FaultSchedule.Timing? Timing { get; init; }

    /// <summary>How long a replica may take to catch up after a heal, and the subnet to go without progress, before it counts as a stall.</summary>
    public TimeSpan StallBound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the replicas may take to certify their first height.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>How to start `iinet node`.</summary>
    public NodeLauncher Launcher { get; init; } = NodeLauncher.Current();

    /// <summary>The Byzantine replicas: the last <see cref="Byzantine"/> indexes.</summary>
    public IReadOnlyList<int> ByzantineReplicas => [.. Enumerable.Range(Replicas - Byzantine, Byzantine)];

    /// <summary>The schedule: <see cref="Schedule"/>, or drawn from the seed.</summary>
    public IReadOnlyList<Fault> Faults() => Schedule ?? FaultSchedule.Create(Seed, Duration, Nemeses, Replicas, [.. ByzantineReplicas], Timing);
}
