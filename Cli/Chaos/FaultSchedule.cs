namespace InternetIdentity.Cli.Chaos;

/// <summary>
/// The faults of a chaos run, drawn from a seed: one fault at a time, each on at most as many replicas as the subnet
/// tolerates besides its Byzantine ones (at least one), healed before the next starts, with time to recover between
/// them and a quiet tail before the run ends. The same arguments give the same schedule.
/// </summary>
internal static class FaultSchedule
{
    /// <summary>Timing of a drawn schedule.</summary>
    /// <param name="FirstAt">The earliest first fault (the load has warmed up).</param>
    /// <param name="MinDuration">Shortest fault.</param>
    /// <param name="MaxDuration">Longest fault.</param>
    /// <param name="MinGap">Shortest time between a heal and the next fault.</param>
    /// <param name="MaxGap">Longest time between a heal and the next fault.</param>
    /// <param name="Tail">Time left after the last heal (recovery is measured in it).</param>
    internal sealed record Timing(TimeSpan FirstAt, TimeSpan MinDuration, TimeSpan MaxDuration, TimeSpan MinGap, TimeSpan MaxGap, TimeSpan Tail)
    {
        /// <summary>The defaults of `iinet chaos`.</summary>
        public static Timing Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10),
            TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
    }

    /// <summary>Largest clock skew of a <see cref="FaultKind.Clock"/> fault, either way.</summary>
    public const long MaxClockOffsetMs = 10_000;

    /// <summary>Draws the schedule of a run of <paramref name="duration"/> on <paramref name="replicas"/> replicas.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="duration">How long the load runs.</param>
    /// <param name="kinds">The fault kinds to draw from (none: no faults).</param>
    /// <param name="replicas">n.</param>
    /// <param name="byzantine">The Byzantine replicas (never targets while honest ones are left).</param>
    /// <param name="timing">Durations and gaps; null: <see cref="Timing.Default"/>.</param>
    public static IReadOnlyList<Fault> Create(int seed, TimeSpan duration, IReadOnlyList<FaultKind> kinds, int replicas,
        IReadOnlyCollection<int>? byzantine = null, Timing? timing = null)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        byzantine ??= [];
        timing ??= Timing.Default;
        var faults = new List<Fault>();
        if (kinds.Count == 0)
        {
            return faults;
        }

        // System.Random with a seed is the same sequence on every run and platform (its seeded algorithm is frozen).
        var random = new Random(seed);
        int f = (replicas - 1) / 3;
        int[] honest = [.. Enumerable.Range(0, replicas).Where(i => !byzantine.Contains(i))];
        int most = Math.Max(1, Math.Min(f - byzantine.Count, honest.Length));
        TimeSpan at = timing.FirstAt;
        while (true)
        {
            TimeSpan length = Between(random, timing.MinDuration, timing.MaxDuration);
            if (at + length + timing.Tail > duration)
            {
                break;
            }

            FaultKind kind = kinds[random.Next(kinds.Count)];
            int[] pool = honest.Length > 0 ? honest : [.. Enumerable.Range(0, replicas)];
            int count = random.Next(1, most + 1);
            int[] targets = [.. pool.OrderBy(_ => random.Next()).Take(count).Order()];
            long offset = 0;
            if (kind == FaultKind.Clock)
            {
                offset = random.Next(1_000, (int)MaxClockOffsetMs + 1) * (random.Next(2) == 0 ? -1L : 1L);
            }

            faults.Add(new Fault(kind, at, length, targets, offset));
            at += length + Between(random, timing.MinGap, timing.MaxGap);
        }

        return faults;
    }

    // Whole tenths of a second, so that schedules print and compare cleanly.
    private static TimeSpan Between(Random random, TimeSpan min, TimeSpan max)
    {
        long tenths = (long)(min.TotalSeconds * 10) + random.NextInt64((long)((max - min).TotalSeconds * 10) + 1);
        return TimeSpan.FromSeconds(tenths / 10.0);
    }
}
