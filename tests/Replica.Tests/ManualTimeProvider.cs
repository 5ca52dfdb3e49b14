namespace InternetIdentity.Replica.Tests;

/// <summary>A clock tests move by hand (the replica reads time only through its TimeProvider).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public ulong NowNanos => (ulong)(GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
}
