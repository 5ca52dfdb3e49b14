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
    /// Execution finished <c>state.Height</c> with this root (called under the execution lock): the moment to take a
    /// checkpoint of exactly that state.
    /// </summary>
    void Executed(ExecutionState state, byte[] stateRoot)
    {
    }
}

/// <summary>No state sync configured: a jump to a catch-up package stops the replica and says why.</summary>
public sealed class NoStateSync : IStateSync
{
    /// <inheritdoc/>
    public Task RestoreAsync(CatchUpPackage package, ExecutionState state, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(
            $"consensus jumped to the catch-up package at height {package?.Height}, and this replica has no state sync to restore the state it certifies");
}
