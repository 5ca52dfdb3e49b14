using System.Buffers;
using System.Security.Cryptography;
using Akka.Actor;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.State;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Replica.Persistence;

/// <summary>
/// The replica's state sync through checkpoints: after every height that is a multiple of the catch-up interval it
/// captures a checkpoint under the execution lock and writes and stores it in the background (large ones one at a time
/// in the process); the replica signs its catch-up share for the height only once the store is done, so every catch-up
/// package it signs has a checkpoint at its height; when consensus jumps to a package, it installs the checkpoint at
/// that height from the local store or, failing that, from a peer, through its <see cref="CheckpointSyncActor"/>; only
/// a checkpoint with the package's checkpoint hash that builds its state root is installed.
/// </summary>
public sealed class CheckpointStateSync : IStateSync
{
    private readonly CheckpointStore _store;
    private readonly SubnetTopology _topology;
    private readonly long _interval;
    private readonly ILogger _log;
    private ExecutionState? _target;

    /// <summary>State sync for one replica; call <see cref="Attach"/> with its sync actor before the first catch-up.</summary>
    /// <param name="store">The replica's checkpoint store.</param>
    /// <param name="topology">The subnet as the state tree shows it (to compute a checkpoint's root).</param>
    /// <param name="catchUpInterval">Consensus's catch-up interval K: a checkpoint is taken at every multiple of it.</param>
    /// <param name="log">Where to log.</param>
    public CheckpointStateSync(CheckpointStore store, SubnetTopology topology, long catchUpInterval, ILogger log)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _topology = topology ?? throw new ArgumentNullException(nameof(topology));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(catchUpInterval);
        _interval = catchUpInterval;
        _log = log ?? throw new ArgumentNullException(nameof(log));
    }

    /// <summary>The replica's <see cref="CheckpointSyncActor"/>.</summary>
    public IActorRef SyncActor { get; private set; } = ActorRefs.Nobody;

    /// <summary>How long one restore may take before the replica gives up (it keeps asking peers until then).</summary>
    public TimeSpan RestoreTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The restores done so far, oldest first (height, and the peer it came from or null for the local store).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<CheckpointSyncActor.Installed> Restores { get; } = new();

    /// <summary>Called with a checkpoint's size in bytes and how long taking and storing it took, once stored.</summary>
    public Action<long, TimeSpan>? Stored { get; set; }

    /// <summary>Connects the sync actor (created after this object, because its installer calls back here).</summary>
    public void Attach(IActorRef syncActor) => SyncActor = syncActor ?? throw new ArgumentNullException(nameof(syncActor));

    /// <summary>The installer for <see cref="CheckpointSyncActor.Settings.Install"/>: installs into the state being restored.</summary>
    public async Task<bool> InstallAsync(long height, byte[] checkpoint, byte[] stateRoot)
    {
        // Runs while RestoreAsync awaits with the replica's execution lock held, so nothing else touches the state.
        ExecutionState? target = Volatile.Read(ref _target);
        if (target is null)
        {
            return false;
        }

        // One at a time in the process, like taking one: the replicas of a restarted local subnet restore together, and
        // at a million anchors each builds half a gigabyte of state (and its garbage) from a quarter-gigabyte checkpoint.
        await s_oneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            CollectTheLastCheckpointsCopies(OneAtATimeFromBytes);
            Volatile.Write(ref s_lastBytes, checkpoint.LongLength);
            if (!ExecutionCheckpoint.TryInstall(target, checkpoint, _topology, stateRoot, out string? error))
            {
                _log.LogWarning("checkpoint at height {Height} refused: {Error}", height, error);
                return false;
            }

            return target.Height == (ulong)height;
        }
        finally
        {
            s_oneAtATime.Release();
        }
    }

    /// <inheritdoc/>
    public async Task RestoreAsync(CatchUpPackage package, ExecutionState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(state);
        Volatile.Write(ref _target, state);
        try
        {
            var installed = await SyncActor.Ask<CheckpointSyncActor.Installed>(
                new CheckpointSyncActor.Fetch(package.Height, package.Content.StateRoot, package.Content.CheckpointHash), RestoreTimeout, cancellationToken).ConfigureAwait(false);
            Restores.Enqueue(installed);
            _log.LogInformation("state at height {Height} restored from {Source}", package.Height,
                installed.FromPeer is { } peer ? $"replica {peer}'s checkpoint" : "the local checkpoint");
        }
        finally
        {
            Volatile.Write(ref _target, null);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<TakenCheckpoint?> ExecutedAsync(ulong height, ReadOnlyMemory<byte> stateRoot, ExecutionState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (height == 0 || height % (ulong)_interval != 0)
        {
            return null;
        }

        // One write in flight per replica, in height order (the store keeps the newest two).
        await _storing.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        ExecutionCheckpoint.CapturedCheckpoint captured = ExecutionCheckpoint.Capture(state); // exactly this height's state: the execution lock is held
        byte[] root = stateRoot.ToArray();
        // Counted, written, hashed and stored in the background: execution goes on meanwhile. With the lock held for all of
        // it, tens of thousands of request statuses (sorted, written twice, hashed) stopped every replica's execution for
        // 50-500 ms at every catch-up interval, and at a million anchors the replicas of one process, each waiting for its
        // turn to write a quarter of a gigabyte, stopped for seconds. Consensus certifies the height at once and signs the
        // catch-up share when the store is done.
        Task<byte[]> stored = Task.Run(
            () => captured.EstimatedLength < OneAtATimeFromBytes
                ? WriteAndStoreAsync(captured, (long)height, root, start, cancellationToken)
                : WriteAndStoreOneAtATimeAsync(captured, (long)height, root, cancellationToken),
            CancellationToken.None);
        _storing = stored;
        return new TakenCheckpoint(stored);
    }

    // A large checkpoint waits its turn: the replicas of a subnet in one process (iinet up), which reach the height
    // together, write theirs one at a time, so the process holds one checkpoint's transient copies (the bytes and the
    // database's) at a time rather than one per replica. Its time is counted from its turn.
    private async Task<byte[]> WriteAndStoreOneAtATimeAsync(ExecutionCheckpoint.CapturedCheckpoint captured, long height, byte[] root,
        CancellationToken cancellationToken)
    {
        await s_oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            CollectTheLastCheckpointsCopies(OneAtATimeFromBytes);
            byte[] bytes = captured.Prepare().Write();
            Volatile.Write(ref s_lastBytes, bytes.LongLength);
            await StoreAsync(height, root, bytes, start, cancellationToken).ConfigureAwait(false);
            return SHA256.HashData(bytes);
        }
        finally
        {
            s_oneAtATime.Release();
        }
    }

    private async Task<byte[]> WriteAndStoreAsync(ExecutionCheckpoint.CapturedCheckpoint captured, long height, byte[] root, long start,
        CancellationToken cancellationToken)
    {
        // Written into a pooled buffer, returned once stored, rather than a new zeroed array of tens of megabytes per
        // replica at every catch-up interval (large-object allocations count towards the GC's full collections).
        byte[]? buffer = null;
        try
        {
            ReadOnlyMemory<byte> state;
            try
            {
                ExecutionCheckpoint.PreparedCheckpoint prepared = captured.Prepare();
                buffer = ArrayPool<byte>.Shared.Rent(checked((int)prepared.Length));
                prepared.WriteTo(buffer);
                state = buffer.AsMemory(0, (int)prepared.Length);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or OverflowException)
            {
                // Without a checkpoint the replica signs no catch-up share for the height; its peers' shares still make one.
                _log.LogError(e, "checkpoint at height {Height} could not be written", height);
                throw;
            }

            byte[] hash = SHA256.HashData(state.Span);
            await StoreAsync(height, root, state, start, cancellationToken).ConfigureAwait(false);
            return hash;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer); // the store reads it no more once SaveAsync is done, failed or not
            }
        }
    }

    // The replica's last background store (completed when none is in flight); cancelled only when the replica stops.
    private Task _storing = Task.CompletedTask;

    private async Task StoreAsync(long height, byte[] root, ReadOnlyMemory<byte> state, long start, CancellationToken cancellationToken)
    {
        try
        {
            await _store.SaveAsync(height, root, state, cancellationToken).ConfigureAwait(false);
            Stored?.Invoke(state.Length, System.Diagnostics.Stopwatch.GetElapsedTime(start));
        }
        catch (Exception e) when (e is IOException or TimeoutException or Akka.Actor.AskTimeoutException)
        {
            // Peers keep theirs: a restart or lagging replica can still fetch this height from them.
            _log.LogWarning("checkpoint at height {Height} not stored: {Message}", height, e.Message);
        }
    }

    /// <summary>From this size on, the copies a checkpoint leaves are collected before the next one is taken or installed.</summary>
    public const long LargeCheckpointBytes = 64L << 20;

    /// <summary>
    /// From this estimated size on (by default <see cref="LargeCheckpointBytes"/>), a checkpoint is written and stored one at
    /// a time in the process, and the copies of the last one are collected first.
    /// </summary>
    public long OneAtATimeFromBytes { get; init; } = LargeCheckpointBytes;

    private static readonly SemaphoreSlim s_oneAtATime = new(1, 1);
    private static long s_lastBytes; // of the checkpoint taken or installed last in this process

    // Called with the gate held, once the last checkpoint's copies (its bytes, their serialized form, a restore's
    // garbage) are unreachable. On a heap of gigabytes of state the GC's gen2 budget lets the large-object garbage of
    // several checkpoints pile up: at a million anchors each replica's checkpoint added half a gigabyte to the process,
    // never collected before the next replica's. One blocking collection keeps the process at one checkpoint's copies.
    private static void CollectTheLastCheckpointsCopies(long large)
    {
        if (Interlocked.Exchange(ref s_lastBytes, 0) >= large)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        }
    }
}
