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
    /// consensus (so a checkpoint taken here exists before this replica signs a catch-up share for the height). Returns
    /// the SHA-256 of the checkpoint taken at this height (its catch-up share vouches for it), or null when none was.
    /// </summary>
    ValueTask<byte[]?> ExecutedAsync(ulong height, ReadOnlyMemory<byte> stateRoot, ExecutionState state, CancellationToken cancellationToken);
}

/// <summary>No state sync configured: a jump to a catch-up package stops the replica and says why.</summary>
public sealed class NoStateSync : IStateSync
{
    /// <inheritdoc/>
    public Task RestoreAsync(CatchUpPackage package, ExecutionState state, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(
            $"consensus jumped to the catch-up package at height {package?.Height}, and this replica has no state sync to restore the state it certifies");

    /// <inheritdoc/>
    public ValueTask<byte[]?> ExecutedAsync(ulong height, ReadOnlyMemory<byte> stateRoot, ExecutionState state, CancellationToken cancellationToken) =>
        ValueTask.FromResult<byte[]?>(null);
}
