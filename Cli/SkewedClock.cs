namespace InternetIdentity.Cli;

/// <summary>The system clock shifted by a fixed offset (`iinet node --clock-offset-ms`, for clock-skew faults); timers and timestamps stay the system's.</summary>
internal sealed class SkewedClock(TimeSpan offset) : TimeProvider
{
    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
