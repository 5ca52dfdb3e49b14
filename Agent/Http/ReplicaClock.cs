namespace InternetIdentity.Agent.Http;

/// <summary>
/// The agent's view of the network's time: the local clock plus an offset learned from certified <c>/time</c>, so that
/// ingress expiries and certificate freshness follow a network whose time was moved.
/// </summary>
public sealed class ReplicaClock
{
    private readonly TimeProvider _time;
    private long _offsetNanos;

    /// <summary>Creates a clock over <paramref name="time"/> with no offset.</summary>
    public ReplicaClock(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>The local clock.</summary>
    public TimeProvider LocalTime => _time;

    /// <summary>The network's time now, in nanoseconds since the epoch.</summary>
    public ulong NowNanos => (ulong)(LocalNanos + Interlocked.Read(ref _offsetNanos));

    /// <summary>The offset last learned (network minus local), in nanoseconds.</summary>
    public long OffsetNanos => Interlocked.Read(ref _offsetNanos);

    /// <summary>Whether the clock was synced at least once.</summary>
    public bool IsSynced { get; private set; }

    /// <summary>Adopts <paramref name="networkNanos"/> as the network's time now.</summary>
    public void SyncTo(ulong networkNanos)
    {
        Interlocked.Exchange(ref _offsetNanos, (long)networkNanos - LocalNanos);
        IsSynced = true;
    }

    private long LocalNanos => (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
}
