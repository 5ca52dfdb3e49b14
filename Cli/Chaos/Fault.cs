using System.Globalization;

namespace InternetIdentity.Cli.Chaos;

/// <summary>What `iinet chaos` does to replicas (the names of <c>--nemesis</c>).</summary>
internal enum FaultKind
{
    /// <summary>SIGKILL, then the same replica started again on its data.</summary>
    Kill,

    /// <summary>SIGSTOP, then SIGCONT.</summary>
    Pause,

    /// <summary>The targets' transport proxies refuse and cut every connection to the other replicas, then admit them again.</summary>
    Partition,

    /// <summary>A clean stop (SIGTERM), then a start on the same data.</summary>
    Restart,

    /// <summary>SIGKILL, its data deleted, then a start from genesis: it catches up from its peers.</summary>
    Wipe,

    /// <summary>Restarted with its clock skewed, then restarted with the system clock.</summary>
    Clock,
}

/// <summary>
/// One fault of a schedule: <see cref="Kind"/> on <see cref="Targets"/> at <see cref="At"/> after the load starts, healed
/// <see cref="Duration"/> later. <see cref="ClockOffsetMs"/> is the skew of a <see cref="FaultKind.Clock"/> fault.
/// </summary>
internal sealed record Fault(FaultKind Kind, TimeSpan At, TimeSpan Duration, IReadOnlyList<int> Targets, long ClockOffsetMs = 0)
{
    /// <summary>When the fault is healed, after the load starts.</summary>
    public TimeSpan HealAt => At + Duration;

    /// <summary>The <c>--nemesis</c> name of a kind.</summary>
    public static string Name(FaultKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Parses a comma-separated <c>--nemesis</c> list.</summary>
    /// <exception cref="CliInputException">a name is not a fault kind.</exception>
    public static IReadOnlyList<FaultKind> ParseKinds(string list)
    {
        var kinds = new List<FaultKind>();
        foreach (string part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            FaultKind? kind = Enum.GetValues<FaultKind>().Cast<FaultKind?>().FirstOrDefault(k => Name(k!.Value) == part);
            if (kind is null)
            {
                throw new CliInputException($"--nemesis: '{part}' is not one of {string.Join(", ", Enum.GetValues<FaultKind>().Select(Name))}");
            }

            if (!kinds.Contains(kind.Value))
            {
                kinds.Add(kind.Value);
            }
        }

        return kinds;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name(Kind)} replica(s) {string.Join(",", Targets)} at {At.TotalSeconds:0.0} s for {Duration.TotalSeconds:0.0} s{(Kind == FaultKind.Clock ? $" ({ClockOffsetMs:+0;-0} ms)" : "")}");
}
