using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Execution;

/// <summary>A request status with the height of the batch that recorded it.</summary>
public readonly record struct RecordedStatus(ulong Height, RequestStatus Status);

/// <summary>
/// The request statuses recorded in a run of heights, sealed at the run's last height (every
/// <see cref="ExecutionState.StatusSegmentHeights"/>) and written into checkpoints as one blob that is encoded once and
/// then reused by every later checkpoint, so that a checkpoint encodes only the statuses recorded since the last seal
/// rather than every status held (tens of thousands under load, pruned only when they expire). A segment keeps
/// statuses that have since expired until all of its statuses have (<see cref="MaxExpiryNanos"/>); a restored state
/// keeps its segments' bytes as they came, so that every replica's later checkpoints stay byte-identical.
/// </summary>
public sealed class StatusSegment
{
    private readonly Lock _encoding = new();
    private RecordedStatus[]? _statuses;
    private byte[]? _bytes;

    /// <summary>A segment of <paramref name="statuses"/> (recorded order), encoded on first use.</summary>
    internal StatusSegment(RecordedStatus[] statuses)
    {
        ArgumentOutOfRangeException.ThrowIfZero(statuses.Length);
        _statuses = statuses;
        Count = statuses.Length;
        (LastHeight, MaxExpiryNanos) = Bounds(statuses);
    }

    /// <summary>A segment read from a checkpoint: its bytes as they came, and the statuses they hold.</summary>
    internal StatusSegment(byte[] bytes, RecordedStatus[] statuses)
    {
        ArgumentOutOfRangeException.ThrowIfZero(statuses.Length);
        _bytes = bytes;
        Count = statuses.Length;
        (LastHeight, MaxExpiryNanos) = Bounds(statuses);
    }

    /// <summary>How many statuses the segment holds (some may have expired).</summary>
    public int Count { get; }

    /// <summary>Its length in bytes once encoded, or until then an estimate (<see cref="ExecutionCheckpoint.EstimatedStatusBytes"/> a status).</summary>
    public long EstimatedLength => Volatile.Read(ref _bytes)?.Length ?? (long)Count * ExecutionCheckpoint.EstimatedStatusBytes;

    /// <summary>The height of the last status recorded in the segment.</summary>
    public ulong LastHeight { get; }

    /// <summary>The latest expiry of the segment's statuses: once the state's time passes it, none of them is held.</summary>
    public ulong MaxExpiryNanos { get; }

    /// <summary>The segment as checkpoint bytes (<see cref="ExecutionCheckpoint"/>), encoded once, on any thread.</summary>
    public byte[] Bytes
    {
        get
        {
            if (Volatile.Read(ref _bytes) is { } bytes)
            {
                return bytes;
            }

            lock (_encoding)
            {
                if (_bytes is null)
                {
                    _bytes = ExecutionCheckpoint.EncodeStatuses(_statuses!);
                    _statuses = null; // the statuses may now be collected once the state prunes them
                }

                return _bytes;
            }
        }
    }

    private static (ulong LastHeight, ulong MaxExpiry) Bounds(RecordedStatus[] statuses)
    {
        ulong last = 0, max = 0;
        foreach (RecordedStatus s in statuses)
        {
            last = Math.Max(last, s.Height);
            max = Math.Max(max, s.Status.ExpiryNanos);
        }

        return (last, max);
    }
}
