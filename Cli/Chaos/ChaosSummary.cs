namespace InternetIdentity.Cli.Chaos;

/// <summary>How one fault went: when it was injected and healed (seconds after the load started) and how long its replicas took to catch up.</summary>
internal sealed record FaultOutcome(Fault Fault, double InjectedAt, double HealedAt, ulong HeightAtHeal, double? RecoverySeconds);

/// <summary>What a chaos run found; <see cref="Failures"/> empty means it passed.</summary>
internal sealed record ChaosSummary
{
    /// <summary>The settings of the run.</summary>
    public required ChaosSettings Settings { get; init; }

    /// <summary>Each fault and its recovery.</summary>
    public required IReadOnlyList<FaultOutcome> Faults { get; init; }

    /// <summary>Acknowledged operations by kind.</summary>
    public required IReadOnlyDictionary<string, int> Acknowledged { get; init; }

    /// <summary>Unacknowledged operations by kind.</summary>
    public required IReadOnlyDictionary<string, int> Unacknowledged { get; init; }

    /// <summary>The check of acknowledged updates.</summary>
    public required ChaosChecker.Result Check { get; init; }

    /// <summary>Divergent certified roots.</summary>
    public required IReadOnlyList<Divergence> Divergences { get; init; }

    /// <summary>Certified roots read and compared.</summary>
    public long RootsCompared { get; init; }

    /// <summary>Stalls: no progress within the bound (after a heal, during the run, or at the end).</summary>
    public required IReadOnlyList<string> Stalls { get; init; }

    /// <summary>Replicas that exited on their own, with their code and last lines.</summary>
    public required IReadOnlyList<string> UnexpectedExits { get; init; }

    /// <summary>Samples of every replica's certified height.</summary>
    public required IReadOnlyList<HeightSample> Samples { get; init; }

    /// <summary>Connections the proxies refused or cut for partitions, and ones whose handshake they could not read.</summary>
    public (long Refused, long Unidentified) Proxies { get; init; }

    /// <summary>The first failure messages of unacknowledged operations.</summary>
    public IReadOnlyList<string> LoadErrors { get; init; } = [];

    /// <summary>Total acknowledged operations.</summary>
    public int AcknowledgedTotal => Acknowledged.Values.Sum();

    /// <summary>Why the run failed (lost updates, divergence, stalls, crashes); empty when it passed.</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            var failures = new List<string>();
            if (Check.Lost.Count > 0)
            {
                failures.Add($"{Check.Lost.Count} acknowledged update(s) missing on a replica, e.g. {Check.Lost[0]}");
            }

            if (Check.Unreachable.Count > 0)
            {
                failures.Add($"{Check.Unreachable.Count} check(s) could not read a replica, e.g. {Check.Unreachable[0]}");
            }

            if (Divergences.Count > 0)
            {
                failures.Add($"{Divergences.Count} divergent certified root(s), e.g. {Divergences[0]}");
            }

            failures.AddRange(Stalls.Select(s => "stall: " + s));
            failures.AddRange(UnexpectedExits.Select(e => "exit: " + e));
            return failures;
        }
    }

    /// <summary>Recovery seconds per fault kind: count, mean, max (null where a fault did not recover).</summary>
    public IReadOnlyDictionary<string, (int Count, double? Mean, double? Max)> RecoveryByKind =>
        Faults.GroupBy(f => Fault.Name(f.Fault.Kind)).ToDictionary(g => g.Key, g =>
        {
            double[] times = [.. g.Where(f => f.RecoverySeconds is not null).Select(f => f.RecoverySeconds!.Value)];
            return (g.Count(), times.Length == 0 ? (double?)null : Math.Round(times.Average(), 2), times.Length == 0 ? (double?)null : Math.Round(times.Max(), 2));
        });
}
