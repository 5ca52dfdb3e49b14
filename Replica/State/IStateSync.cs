using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Execution;

namespace InternetIdentity.Replica.State;

/// <summary>
/// State sync: consensus jumped to a catch-up package, so the replica's execution state must become the state the
/// package certifies (from a local checkpoint, or fetched from peers) before any later block is executed.
/// </summary>
public interface IStateSync
{
    /// <summary>
    /// Replaces <paramref name="state"/> by the state after <c>package.Height</c>, whose tree root must equal
    /// <c>package.Content.StateRoot</c> (the replica checks it afterwards and stops if it does not).
    /// </summary>
    Task RestoreAsync(CatchUpPackage package, ExecutionState state, CancellationToken cancellationToken);

    /// <summary>
    /// Called after each height is executed, under the replica's execution lock and before its state root goes to
    /// consensus. Returns the checkpoint taken at this height (its catch-up share vouches for it, once
    /// <see cref="TakenCheckpoint.Stored"/> completes), or null when none was. What must see exactly this height's state
    /// is done before it returns; writing, hashing and storing may go on after.
    /// </summary>
    ValueTask<TakenCheckpoint?> ExecutedAsync(ulong height, ReadOnlyMemory<byte> stateRoot, ExecutionState state, CancellationToken cancellationToken);
}

/// <summary>A checkpoint taken at an executed height.</summary>
/// <param name="Stored">
/// Completes with the checkpoint's SHA-256 once it is in the replica's store (or the store gave up; peers keep theirs).
/// Execution goes on meanwhile; the replica signs its catch-up share for the height only after this.
/// </param>
public sealed record TakenCheckpoint(Task<byte[]> Stored);

/// <summary>No state sync configured: a jump to a catch-up package stops the replica and says why.</summary>
public sealed class NoStateSync : IStateSync
{
    /// <inheritdoc/>
    public Task RestoreAsync(CatchUpPackage package, ExecutionState state, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(
            $"consensus jumped to the catch-up package at height {package?.Height}, and this replica has no state sync to restore the state it certifies");

    /// <inheritdoc/>
    public ValueTask<TakenCheckpoint?> ExecutedAsync(ulong height, ReadOnlyMemory<byte> stateRoot, ExecutionState state, CancellationToken cancellationToken) =>
        ValueTask.FromResult<TakenCheckpoint?>(null);
}
