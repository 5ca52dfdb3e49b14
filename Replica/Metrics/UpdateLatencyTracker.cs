using System.Collections.Concurrent;
using System.Diagnostics;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.Replica.Metrics;

/// <summary>
/// Measures update latency from a call's submission at this replica's gateway to the certification of the height that
/// executed it here: submissions are remembered by request id, the executed ones by height, and a certification
/// records every call at or below its height. Calls that never execute (expired, refused at execution) are forgotten
/// after the longest ingress expiry window, so the memory stays bounded.
/// </summary>
public sealed class UpdateLatencyTracker
{
    // The ingress expiry is at most 5 minutes and 30 s ahead; nothing submitted before that can still execute.
    private static readonly TimeSpan s_forgetAfter = TimeSpan.FromMinutes(6);

    private readonly ReplicaMetrics _metrics;
    private readonly ConcurrentDictionary<RequestId, long> _submitted = new();
    private readonly Lock _lock = new();
    private readonly SortedDictionary<ulong, List<long>> _executed = [];
    private long _lastSweep = Stopwatch.GetTimestamp();

    /// <summary>A tracker recording into <paramref name="metrics"/>.</summary>
    public UpdateLatencyTracker(ReplicaMetrics metrics) => _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));

    /// <summary>Calls submitted and not yet executed.</summary>
    public int Pending => _submitted.Count;

    /// <summary>The gateway handed the call to consensus now (a repeated submission keeps the first time).</summary>
    public void Submitted(RequestId id)
    {
        _metrics.UpdateSubmitted();
        _submitted.TryAdd(id, Stopwatch.GetTimestamp());
    }

    /// <summary>Height <paramref name="height"/> executed these calls.</summary>
    public void Executed(ulong height, IEnumerable<RequestId> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        List<long>? started = null;
        foreach (RequestId id in ids)
        {
            if (_submitted.TryRemove(id, out long at))
            {
                (started ??= []).Add(at);
            }
        }

        if (started is not null)
        {
            lock (_lock)
            {
                _executed[height] = started;
            }
        }
    }

    /// <summary>The state at <paramref name="height"/> is certified: every call executed at or below it is done.</summary>
    public void Certified(ulong height)
    {
        long now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            while (_executed.Count > 0 && _executed.First() is var first && first.Key <= height)
            {
                foreach (long at in first.Value)
                {
                    _metrics.UpdateCertified(Stopwatch.GetElapsedTime(at, now));
                }

                _executed.Remove(first.Key);
            }
        }

        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastSweep), now) > TimeSpan.FromMinutes(1))
        {
            Interlocked.Exchange(ref _lastSweep, now);
            foreach (KeyValuePair<RequestId, long> entry in _submitted)
            {
                if (Stopwatch.GetElapsedTime(entry.Value, now) > s_forgetAfter)
                {
                    _submitted.TryRemove(entry);
                }
            }
        }
    }
}
