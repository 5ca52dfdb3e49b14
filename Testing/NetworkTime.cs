using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Testing;

/// <summary>
/// Time control of a <see cref="LocalNetwork"/>: every replica reads one clock, and each operation returns once its time is
/// certified on every replica (bounded by <see cref="LocalNetworkOptions.CallTimeout"/>; a timeout names the replica).
/// Time only moves forward.
/// </summary>
public sealed class NetworkTime
{
    private readonly Func<SubnetTime> _time;

    internal NetworkTime(Func<SubnetTime> time) => _time = time;

    /// <summary>How time moves.</summary>
    public SubnetTimeMode Mode => _time().Mode;

    /// <summary>The network's time in nanoseconds since the Unix epoch (certified on the next height).</summary>
    public long NowNanos => _time().NowNanos;

    /// <summary>The network's time.</summary>
    public DateTimeOffset Now => DateTimeOffset.UnixEpoch.AddTicks(NowNanos / 100);

    /// <summary>The network's clock as a <see cref="TimeProvider"/> (what agents of <see cref="LocalNetwork.CreateAgent"/> read).</summary>
    public TimeProvider Clock => _time().Clock;

    /// <summary>Sets the time (rounded up to a millisecond); throws ArgumentException when it lies before the network's time.</summary>
    public Task<SubnetTimeResult> SetAsync(DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        if (time < DateTimeOffset.UnixEpoch)
        {
            throw new ArgumentException($"{time:O} lies before the Unix epoch", nameof(time));
        }

        return SetAsync(checked((time - DateTimeOffset.UnixEpoch).Ticks * 100), cancellationToken);
    }

    /// <summary>Sets the time in nanoseconds since the Unix epoch; throws ArgumentException when it lies before the network's time.</summary>
    public Task<SubnetTimeResult> SetAsync(long nanosSinceEpoch, CancellationToken cancellationToken = default)
    {
        if (nanosSinceEpoch < 0)
        {
            throw new ArgumentException($"{nanosSinceEpoch} ns lies before the Unix epoch", nameof(nanosSinceEpoch));
        }

        return _time().SetTimeAsync(nanosSinceEpoch, cancellationToken);
    }

    /// <summary>Moves the time forward by <paramref name="duration"/>; throws ArgumentException when it is negative.</summary>
    public Task<SubnetTimeResult> AdvanceAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentException($"time only moves forward: cannot advance by {duration}", nameof(duration));
        }

        return _time().AdvanceTimeAsync(duration, cancellationToken);
    }

    /// <summary>
    /// Manual mode: one millisecond and exactly one new height (pending calls go into it). Throws InvalidOperationException
    /// in system mode, where blocks are made continuously.
    /// </summary>
    public Task<SubnetTimeResult> TickAsync(CancellationToken cancellationToken = default) => _time().TickAsync(cancellationToken);
}
