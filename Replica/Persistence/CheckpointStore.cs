using Akka.Actor;
using Akka.Persistence;
using InternetIdentity.Replica.Cluster;

namespace InternetIdentity.Replica.Persistence;

/// <summary>
/// A replica's checkpoints under the persistence id <c>&lt;subnet&gt;/&lt;index&gt;/checkpoints</c>, by height. With the
/// SQL snapshot store (SQLite, PostgreSQL) they live in a table of their own in the same database
/// (<see cref="CheckpointTable"/>), which takes and gives the state as it is: the snapshot store would serialize a second
/// copy and SQLite would copy the bound blob once more (a quarter of a gigabyte each at a million anchors). Checkpoints an
/// older version stored in the snapshot store are still found there, and deleted like any older one. With any other
/// snapshot store (tests' in-memory ones) they are stored in it, the height as sequence number.
/// Keeps the newest <see cref="Kept"/>: the one at the latest catch-up package, and the one before while the
/// next package is being agreed on. The heights are learned from the store once (<see cref="HeightsAsync"/>; from the
/// snapshot store, which has no listing, by loading the newest) and those saved since are kept in memory, so saving
/// one under the replica's execution lock never loads any. A checkpoint loaded to learn the newest height is handed
/// to the first <see cref="LoadAsync(long, CancellationToken)"/> of that height (a restarting replica restores it next)
/// instead of being read again.
/// </summary>
public sealed class CheckpointStore
{
    /// <summary>How many checkpoints are kept.</summary>
    public const int Kept = 2;

    private readonly IActorRef _snapshots;
    private readonly CheckpointTable? _table;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long[]? _heights;
    private Checkpoint? _listed; // the newest checkpoint as listed, until loaded once or a newer one is saved

    /// <summary>The slowest rate a save or load may go at before it counts as failed, beyond the base timeout.</summary>
    public const long MinBytesPerSecond = 1 << 20;

    /// <summary>
    /// The checkpoint store of replica <paramref name="nodeIndex"/> of <paramref name="subnetId"/>, in <paramref name="system"/>'s snapshot store;
    /// <paramref name="timeout"/> (60 s by default) is what any request may take, and a save or load gets one more second per MiB (<see cref="TimeoutFor"/>).
    /// </summary>
    public CheckpointStore(ActorSystem system, string subnetId, int nodeIndex, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        PersistenceId = ReplicaStorage.PersistenceId(subnetId, nodeIndex, "checkpoints");
        _snapshots = Akka.Persistence.Persistence.Instance.Apply(system).SnapshotStoreFor(null);
        _table = CheckpointTable.For(system.Settings.Config);
        _timeout = timeout ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>
    /// How long storing or loading <paramref name="bytes"/> may take: the base timeout plus the time at
    /// <see cref="MinBytesPerSecond"/>. A fixed minute is not enough for a quarter-gigabyte checkpoint on a loaded
    /// machine, and a save that times out releases the replica's execution lock (and the process's one-checkpoint-at-a-time
    /// gate) while the snapshot store still writes it.
    /// </summary>
    public static TimeSpan TimeoutFor(TimeSpan baseTimeout, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return baseTimeout + TimeSpan.FromSeconds((double)bytes / MinBytesPerSecond);
    }

    /// <summary>The persistence id the checkpoints are stored under.</summary>
    public string PersistenceId { get; }

    /// <summary>Stores a checkpoint (replacing one at the same height) and deletes all but the newest <see cref="Kept"/>.</summary>
    /// <exception cref="IOException">the snapshot store failed.</exception>
    public Task SaveAsync(Checkpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return SaveAsync(checkpoint.Height, checkpoint.StateRoot, checkpoint.State, checkpoint, cancellationToken);
    }

    /// <summary>
    /// Stores the checkpoint of <paramref name="state"/> at <paramref name="height"/> like <see cref="SaveAsync(Checkpoint, CancellationToken)"/>;
    /// <paramref name="state"/> is read only until the task completes, so it may be a pooled buffer.
    /// </summary>
    /// <exception cref="IOException">the snapshot store failed.</exception>
    public Task SaveAsync(long height, byte[] stateRoot, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateRoot);
        return SaveAsync(height, stateRoot, state, null, cancellationToken);
    }

    private async Task SaveAsync(long height, byte[] stateRoot, ReadOnlyMemory<byte> state, Checkpoint? whole, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SaveLockedAsync(height, stateRoot, state, whole, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task SaveLockedAsync(long height, byte[] stateRoot, ReadOnlyMemory<byte> state, Checkpoint? whole, CancellationToken cancellationToken)
    {
        long[] known = _heights ?? await ListAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _listed, null);
        TimeSpan timeout = TimeoutFor(_timeout, state.Length);
        if (_table is { } table)
        {
            // Awaited to the end even when it times out (the table's work is cancelled, not abandoned): the state is not
            // read after this returns.
            await InTableAsync(t => table.SaveAsync(PersistenceId, height, stateRoot, state, t), timeout, $"checkpoint at height {height} not stored", cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            // The snapshot store keeps (or still serializes, after a timeout) what it is given: a whole array, never the caller's buffer.
            var metadata = new SnapshotMetadata(PersistenceId, height, DateTime.UtcNow);
            Checkpoint checkpoint = whole ?? new Checkpoint(height, stateRoot, state.ToArray());
            object saved = await _snapshots.Ask(new SaveSnapshot(metadata, checkpoint), timeout, cancellationToken).ConfigureAwait(false);
            if (saved is SaveSnapshotFailure failed)
            {
                throw new IOException($"checkpoint at height {height} not stored: {failed.Cause.Message}", failed.Cause);
            }
        }

        // Older ones than the newest Kept go (by height, the store's sequence number); the listing knows only the
        // newest of those stored before, so the delete is sent as soon as Kept are known (nothing to delete is harmless).
        long[] heights = [.. known.Append(height).Distinct().Order()];
        if (heights.Length >= Kept)
        {
            long below = heights[^Kept];
            if (_table is { } t)
            {
                await InTableAsync(c => t.DeleteBelowAsync(PersistenceId, below, c), _timeout, $"old checkpoints below height {below} not deleted", cancellationToken)
                    .ConfigureAwait(false);
            }

            // With the table, this removes what an older version left in the snapshot store (a cheap no-op otherwise).
            object deleted = await _snapshots.Ask(new DeleteSnapshots(PersistenceId, new SnapshotSelectionCriteria(below - 1)), _timeout, cancellationToken)
                .ConfigureAwait(false);
            if (deleted is DeleteSnapshotsFailure f)
            {
                Volatile.Write(ref _heights, heights);
                throw new IOException($"old checkpoints below height {below} not deleted: {f.Cause.Message}", f.Cause);
            }

            heights = heights[^Kept..];
        }

        Volatile.Write(ref _heights, heights);
    }

    /// <summary>The checkpoint at exactly <paramref name="height"/>, or null when there is none.</summary>
    public async Task<Checkpoint?> LoadAsync(long height, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (Volatile.Read(ref _listed) is { } listed && listed.Height == height && Interlocked.CompareExchange(ref _listed, null, listed) == listed)
        {
            return listed;
        }

        if (_table is { } table)
        {
            Checkpoint? stored = await InTableAsync(t => table.LoadAsync(PersistenceId, height, t), TimeoutFor(_timeout, Array.MaxLength), $"{PersistenceId}: checkpoints could not be read", cancellationToken)
                .ConfigureAwait(false);
            if (stored?.Height == height)
            {
                return stored;
            }
        }

        // Akka.Persistence.Sql ignores the criteria's lower bound and answers with the newest snapshot at or below the
        // height: anything but the height asked for is not the checkpoint asked for.
        Checkpoint? c = await LoadAsync(new SnapshotSelectionCriteria(height, DateTime.MaxValue, height, DateTime.MinValue), height, cancellationToken)
            .ConfigureAwait(false);
        return c?.Height == height ? c : null;
    }

    /// <summary>The newest checkpoint, or null when there is none.</summary>
    public async Task<Checkpoint?> LatestAsync(CancellationToken cancellationToken = default)
    {
        if (_table is { } table
            && await InTableAsync(t => table.LoadAsync(PersistenceId, long.MaxValue, t), TimeoutFor(_timeout, Array.MaxLength), $"{PersistenceId}: checkpoints could not be read", cancellationToken)
                .ConfigureAwait(false) is { } stored)
        {
            return stored; // newer than any an older version left in the snapshot store
        }

        return await LoadAsync(SnapshotSelectionCriteria.Latest, long.MaxValue, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The heights of the checkpoints known to be stored, oldest first: those the table held when this store was made (or,
    /// from the snapshot store, the newest, which the first call loads: call it before the replica executes) and those
    /// saved since; later calls answer from memory.
    /// </summary>
    public async Task<long[]> HeightsAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _heights) is { } known)
        {
            return [.. known];
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long[] listed = _heights ?? await ListAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _heights, listed);
            return [.. listed];
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<long[]> ListAsync(CancellationToken cancellationToken)
    {
        if (_table is { } table)
        {
            // The load's allowance, as the snapshot store's listing has (it loads): a listing comes before the first save.
            long[] stored = await InTableAsync(t => table.HeightsAsync(PersistenceId, t), TimeoutFor(_timeout, Array.MaxLength), $"{PersistenceId}: checkpoints could not be listed", cancellationToken)
                .ConfigureAwait(false);
            if (stored.Length > 0)
            {
                return stored;
            }
        }

        // The snapshot store has no listing, and loading is all it offers: only the newest is loaded (older ones are
        // deleted by the next save), and kept for the restore that follows a restart.
        Checkpoint? newest = await LoadAsync(SnapshotSelectionCriteria.Latest, long.MaxValue, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _listed, newest);
        return newest is null ? [] : [newest.Height];
    }

    // The table's work under the size-based timeout, which cancels it (a save that times out is rolled back, not left
    // writing after the gate is released); database failures become IOExceptions as the snapshot store's do.
    private static async Task<T> InTableAsync<T>(Func<CancellationToken, Task<T>> work, TimeSpan timeout, string failure, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            return await work(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{failure}: not done within {timeout}", e);
        }
        catch (System.Data.Common.DbException e)
        {
            throw new IOException($"{failure}: {e.Message}", e);
        }
    }

    private static Task InTableAsync(Func<CancellationToken, Task> work, TimeSpan timeout, string failure, CancellationToken cancellationToken) =>
        InTableAsync(
            async t =>
            {
                await work(t).ConfigureAwait(false);
                return true;
            },
            timeout,
            failure,
            cancellationToken);

    private async Task<Checkpoint?> LoadAsync(SnapshotSelectionCriteria criteria, long toSequenceNr, CancellationToken cancellationToken)
    {
        // The size is known only once loaded: allowed the time of the largest checkpoint there can be (one array).
        object loaded = await _snapshots.Ask(new LoadSnapshot(PersistenceId, criteria, toSequenceNr), TimeoutFor(_timeout, Array.MaxLength), cancellationToken)
            .ConfigureAwait(false);
        return loaded switch
        {
            LoadSnapshotResult { Snapshot: null } => null,
            LoadSnapshotResult { Snapshot.Snapshot: Checkpoint c } => c,
            LoadSnapshotResult r => throw new InvalidDataException($"{PersistenceId}: a snapshot of type {r.Snapshot.Snapshot.GetType().Name} is not a checkpoint"),
            LoadSnapshotFailed f => throw new IOException($"{PersistenceId}: checkpoints could not be read: {f.Cause.Message}", f.Cause),
            _ => throw new InvalidOperationException($"unexpected snapshot store reply {loaded.GetType().Name}"),
        };
    }
}
