namespace InternetIdentity.Replica.Tests;

/// <summary>The system clock, read in the IC's nanoseconds (consensus needs a clock that moves: its delays are real).</summary>
internal sealed class TestClock : TimeProvider
{
    public ulong NowNanos => (ulong)(GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
}
