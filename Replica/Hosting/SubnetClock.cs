using System.Globalization;

namespace InternetIdentity.Replica.Hosting;

/// <summary>How a local subnet's time moves.</summary>
public enum SubnetTimeMode
{
    /// <summary>Wall-clock time plus an offset; blocks are made continuously; advancing adds to the offset.</summary>
    System,

    /// <summary>Time stands still until it is set or advanced, or a tick adds one nanosecond; blocks are made only on ticks.</summary>
    Manual,
}

/// <summary>
/// The clock every replica of a local subnet shares, as their <see cref="TimeProvider"/>: consensus stamps blocks with it
/// (so it is the canisters' time and the certified <c>/time</c>) and the gateways check ingress expiry against it. It
/// only moves forward. Timers and timestamps are the wall clock's, so consensus keeps its pace whatever the time says.
/// Blocks carry nanoseconds, so the clock keeps them: a block made right after <see cref="MoveTo"/> carries exactly that time.
/// </summary>
public sealed class SubnetClock : TimeProvider
{
    private readonly TimeProvider _wall;
    private readonly Lock _lock = new();
    private long _offsetNanos; // system mode
    private long _manualNanos; // manual mode

    /// <summary>Creates a clock in a mode; manual time starts at the wall clock's time.</summary>
    public SubnetClock(SubnetTimeMode mode, TimeProvider? wall = null)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentException($"unknown time mode {mode}", nameof(mode));
        }

        Mode = mode;
        _wall = wall ?? TimeProvider.System;
        _manualNanos = WallNanos;
    }

    /// <summary>How the clock moves.</summary>
    public SubnetTimeMode Mode { get; }

    /// <summary>The subnet's time in nanoseconds since the Unix epoch.</summary>
    public long NowNanos
    {
        get
        {
            lock (_lock)
            {
                return Mode == SubnetTimeMode.Manual ? _manualNanos : WallNanos + _offsetNanos;
            }
        }
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(NowNanos / 100);

    /// <inheritdoc/>
    public override long GetTimestamp() => _wall.GetTimestamp();

    /// <inheritdoc/>
    public override long TimestampFrequency => _wall.TimestampFrequency;

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => _wall.LocalTimeZone;

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _wall.CreateTimer(callback, state, dueTime, period);

    /// <summary>
    /// Moves the clock to <paramref name="nanosSinceEpoch"/> and returns it; throws ArgumentException, naming the current
    /// time, when it lies before it.
    /// </summary>
    public long MoveTo(long nanosSinceEpoch)
    {
        long target = nanosSinceEpoch;
        lock (_lock)
        {
            long now = Mode == SubnetTimeMode.Manual ? _manualNanos : WallNanos + _offsetNanos;
            if (nanosSinceEpoch < now)
            {
                throw new ArgumentException(
                    $"time only moves forward: {nanosSinceEpoch} ns ({Format(nanosSinceEpoch)}) is before the subnet's time {now} ns ({Format(now)})",
                    nameof(nanosSinceEpoch));
            }

            if (Mode == SubnetTimeMode.Manual)
            {
                _manualNanos = target;
            }
            else
            {
                _offsetNanos = target - WallNanos;
            }

            return target;
        }
    }

    /// <summary>A time as ISO 8601 UTC, for messages.</summary>
    public static string Format(long nanosSinceEpoch) =>
        DateTimeOffset.UnixEpoch.AddTicks(nanosSinceEpoch / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private long WallNanos => (_wall.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
}
