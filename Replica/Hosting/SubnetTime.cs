using Akka.Actor;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Hosting;

/// <summary>A subnet's certified time and height, as every replica holds it after a time operation.</summary>
/// <param name="NanosSinceEpoch">The certified <c>/time</c> of the height, in nanoseconds since the Unix epoch.</param>
/// <param name="Height">The certified height.</param>
public sealed record SubnetTimeResult(long NanosSinceEpoch, long Height);

/// <summary>
/// Time control of a live subnet whose replicas share one <see cref="SubnetClock"/>: set, advance and (manual mode)
/// tick. Each operation returns once its result is certified on every replica: a height whose block time is at least
/// the new time, or exactly one more height for a tick. Waits are bounded by <see cref="Timeout"/>, and a timeout names
/// the replica and what it waited for. Operations run one at a time.
/// </summary>
public sealed class SubnetTime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<ReplicaNode> _replicas = [];
    private IReadOnlyList<IActorRef> _consensus = [];

    /// <summary>Time control over <paramref name="clock"/>; <see cref="Attach"/> hands it the replicas once they run.</summary>
    public SubnetTime(SubnetClock clock, bool controlsEveryReplica = true)
    {
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
        ControlsEveryReplica = controlsEveryReplica;
    }

    /// <summary>The shared clock (every replica's <see cref="TimeProvider"/>).</summary>
    public SubnetClock Clock { get; }

    /// <summary>How time moves.</summary>
    public SubnetTimeMode Mode => Clock.Mode;

    /// <summary>
    /// Whether every replica of the subnet reads <see cref="Clock"/>; a replica of <c>iinet node</c> does not (its peers run
    /// their own clocks), so it can read the time but not move it.
    /// </summary>
    public bool ControlsEveryReplica { get; }

    /// <summary>The longest wait for a result to be certified on every replica (default 30 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock's time in nanoseconds since the Unix epoch (what set and advance move; certified a little later).</summary>
    public long NowNanos => Clock.NowNanos;

    /// <summary>The newest certified height held by the first replica (0 before any).</summary>
    public long CertifiedHeight => (long)(_replicas.Count == 0 ? 0 : _replicas[0].Latest?.Height ?? 0);

    /// <summary>Hands the running replicas and their consensus actors, by index.</summary>
    public void Attach(IReadOnlyList<ReplicaNode> replicas, IReadOnlyList<IActorRef> consensus)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(consensus);
        if (replicas.Count != consensus.Count || replicas.Count == 0)
        {
            throw new ArgumentException($"{replicas.Count} replicas and {consensus.Count} consensus actors", nameof(consensus));
        }

        _replicas = replicas;
        _consensus = consensus;
    }

    /// <summary>
    /// Sets the time to <paramref name="nanosSinceEpoch"/> and returns once every replica certified a height with at least
    /// that time; in manual mode that is exactly one new height, at exactly that time. Throws ArgumentException
    /// when the time lies before the subnet's.
    /// </summary>
    public async Task<SubnetTimeResult> SetTimeAsync(long nanosSinceEpoch, CancellationToken cancellationToken = default)
    {
        CheckControl();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long target = Clock.MoveTo(nanosSinceEpoch);
            long height = Mode == SubnetTimeMode.Manual ? AllowNextHeight() : 0;
            return await WaitEverywhereAsync(height, target, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sets the time to the subnet's time plus <paramref name="duration"/> (see <see cref="SetTimeAsync"/>); negative durations throw ArgumentException.</summary>
    public Task<SubnetTimeResult> AdvanceTimeAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentException($"time only moves forward: cannot advance by {duration}", nameof(duration));
        }

        return SetTimeAsync(checked(NowNanos + (duration.Ticks * 100)), cancellationToken);
    }

    /// <summary>
    /// Manual mode: moves time by one nanosecond and makes exactly one new height, returning
    /// once every replica certified it. Pending calls go into that block. Throws InvalidOperationException in system mode,
    /// where blocks are made continuously.
    /// </summary>
    public async Task<SubnetTimeResult> TickAsync(CancellationToken cancellationToken = default)
    {
        CheckControl();
        if (Mode != SubnetTimeMode.Manual)
        {
            throw new InvalidOperationException("a tick needs manual time mode (`iinet up --time manual`); in system mode blocks are made continuously");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long target = Clock.MoveTo(Clock.NowNanos + 1);
            long height = AllowNextHeight();
            return await WaitEverywhereAsync(height, target, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Manual mode: makes exactly one new height as PocketIC's tick does: at the clock's time as it stands (so a height
    /// made right after <see cref="SubnetClock.MoveTo"/> carries exactly the time set), or one nanosecond after the previous
    /// height's when that is not earlier (execution's rule); then the clock stands one nanosecond after the height's time.
    /// Returns once every replica certified it; throws InvalidOperationException in system mode.
    /// </summary>
    public async Task<SubnetTimeResult> ExecuteRoundAsync(CancellationToken cancellationToken = default)
    {
        CheckControl();
        if (Mode != SubnetTimeMode.Manual)
        {
            throw new InvalidOperationException("a round on demand needs manual time mode; in system mode blocks are made continuously");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long height = AllowNextHeight();
            SubnetTimeResult result = await WaitEverywhereAsync(height, Clock.NowNanos, cancellationToken).ConfigureAwait(false);
            Clock.MoveTo(Math.Max(Clock.NowNanos, result.NanosSinceEpoch + 1));
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void CheckControl()
    {
        if (_replicas.Count == 0)
        {
            throw new InvalidOperationException("the subnet's replicas are not running yet");
        }

        if (!ControlsEveryReplica)
        {
            throw new InvalidOperationException("this replica's peers run their own clocks: time moves only on a subnet that shares one clock (`iinet up`)");
        }
    }

    // One height above the highest certified anywhere; in manual mode nothing is in flight between operations.
    private long AllowNextHeight()
    {
        long height = _replicas.Max(r => (long)(r.Latest?.Height ?? 0)) + 1;
        foreach (IActorRef consensus in _consensus)
        {
            consensus.Tell(new AllowBlocks(height));
        }

        return height;
    }

    /// <summary>
    /// Manual mode: how long a height may stay uncertified on some replica before time moves by <see cref="StallStep"/>
    /// (default 3 s).
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Manual mode: how far time moves when a height stalls; more than the consensus unit delay (default 250 ms).</summary>
    public TimeSpan StallStep { get; set; } = TimeSpan.FromMilliseconds(250);

    // Manual mode: in frozen time only the rank-0 maker of a height can make its block (the other ranks wait for a unit
    // delay that never passes). When the height is not certified everywhere within StallTimeout (its maker missed the
    // previous height, or its block was lost), time moves by StallStep, so the next rank makes it.
    private async Task<SubnetTimeResult> WaitManualAsync(long height, long timeNanos, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            TimeSpan wait = left > StallTimeout + StallTimeout ? StallTimeout : left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);
            try
            {
                return await WaitEverywhereAsync(height, timeNanos, wait, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException) when (wait < left)
            {
                Clock.MoveTo(Clock.NowNanos + (StallStep.Ticks * 100));
                // Heights certified meanwhile that did not reach the time (replicas restarted from their journals replay
                // heights older than the clock): one more height, at the clock's time.
                height = Math.Max(height, AllowNextHeight());
            }
        }
    }

    private Task<SubnetTimeResult> WaitEverywhereAsync(long height, long timeNanos, CancellationToken cancellationToken) =>
        Mode == SubnetTimeMode.Manual ? WaitManualAsync(height, timeNanos, cancellationToken) : WaitEverywhereAsync(height, timeNanos, Timeout, cancellationToken);

    private async Task<SubnetTimeResult> WaitEverywhereAsync(long height, long timeNanos, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        CertifiedState? first = null;
        for (int i = 0; i < _replicas.Count; i++)
        {
            ReplicaNode replica = _replicas[i];
            try
            {
                CertifiedState state = await WaitAsync(replica, height, timeNanos, timeout.Token).ConfigureAwait(false);
                first ??= state;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                CertifiedState? latest = replica.Latest;
                throw new TimeoutException(
                    $"replica {i} did not certify a height >= {height} with time >= {timeNanos} ns ({SubnetClock.Format(timeNanos)}) within {wait.TotalSeconds:0.#} s; "
                    + $"its certified height is {latest?.Height ?? 0} with time {latest?.TimeNanos ?? 0} ns");
            }
        }

        return new SubnetTimeResult((long)first!.TimeNanos, (long)first.Height);
    }

    private static async Task<CertifiedState> WaitAsync(ReplicaNode replica, long height, long timeNanos, CancellationToken cancellationToken)
    {
        CertifiedState? state = replica.Latest;
        while (state is null || (long)state.Height < height || (long)state.TimeNanos < timeNanos)
        {
            state = await replica.WaitForCertificationAsync(state?.Height ?? 0, cancellationToken).ConfigureAwait(false);
        }

        return state;
    }
}
