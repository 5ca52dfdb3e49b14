using System.Collections.Immutable;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

/// <summary>Something that happens to a replica; <see cref="Now"/> is its local clock in milliseconds.</summary>
/// <param name="Now">The replica's clock when the input arrives.</param>
public abstract record ConsensusInput(long Now)
{
    /// <summary>
    /// The same clock in nanoseconds, where the replica reads it that finely (0 = only <see cref="Now"/>, taken as whole
    /// milliseconds); a block made on this input carries it, so a canister's time has nanosecond resolution.
    /// </summary>
    public long NowNanos { get; init; }
}

/// <summary>The replica starts, from genesis or from what it persisted.</summary>
/// <param name="Now">Local clock.</param>
/// <param name="Persisted">Persisted artifacts (latest catch-up package first), replayed in order; empty at genesis.</param>
public sealed record StartInput(long Now, ImmutableArray<ConsensusMessage> Persisted) : ConsensusInput(Now);

/// <summary>A message from a peer arrived.</summary>
/// <param name="Now">Local clock.</param>
/// <param name="From">Sending replica's index.</param>
/// <param name="Message">The message.</param>
public sealed record MessageReceived(long Now, int From, ConsensusMessage Message) : ConsensusInput(Now);

/// <summary>A timer the core asked for has fired.</summary>
/// <param name="Now">Local clock.</param>
/// <param name="Timer">The timer.</param>
public sealed record TimerFired(long Now, ConsensusTimer Timer) : ConsensusInput(Now);

/// <summary>Execution finished a finalized height and delivers its state root.</summary>
/// <param name="Now">Local clock.</param>
/// <param name="Height">The executed height.</param>
/// <param name="StateRoot">The state tree root after it.</param>
/// <param name="CheckpointHash">
/// At a catch-up height, SHA-256 of the checkpoint the replica took there (what its catch-up share vouches for); null
/// when it keeps none.
/// </param>
/// <param name="CheckpointPending">
/// A checkpoint was taken at this height and is still being stored: the certification share goes out now, the catch-up
/// share waits for <see cref="CheckpointStored"/> (a replica vouches only for a checkpoint it holds).
/// </param>
public sealed record BlockExecuted(long Now, long Height, byte[] StateRoot, byte[]? CheckpointHash = null, bool CheckpointPending = false)
    : ConsensusInput(Now);

/// <summary>The checkpoint a <see cref="BlockExecuted"/> said was pending is stored (or its store gave up and peers keep theirs).</summary>
/// <param name="Now">Local clock.</param>
/// <param name="Height">The catch-up height it was taken at.</param>
/// <param name="CheckpointHash">SHA-256 of the checkpoint.</param>
public sealed record CheckpointStored(long Now, long Height, byte[] CheckpointHash) : ConsensusInput(Now);

/// <summary>A client submitted an ingress message to this replica.</summary>
/// <param name="Now">Local clock.</param>
/// <param name="Message">The message.</param>
public sealed record IngressSubmitted(long Now, IngressMessage Message) : ConsensusInput(Now);

/// <summary>
/// A peer gossiped this ingress message and the host found it valid, by the checks its gateway applies to a client's
/// call (size, envelope, expiry, signatures): only such messages of peers may enter the pool and this replica's blocks.
/// </summary>
/// <param name="Now">Local clock.</param>
/// <param name="From">The peer that gossiped it.</param>
/// <param name="Message">The message.</param>
public sealed record PeerIngressValidated(long Now, int From, IngressMessage Message) : ConsensusInput(Now);

/// <summary>The host allows blocks up to a height (only read under <see cref="ConsensusConfig.ManualBlockMaking"/>).</summary>
/// <param name="Now">Local clock.</param>
/// <param name="UpToHeight">The highest height a block may now be made at.</param>
public sealed record BlocksAllowed(long Now, long UpToHeight) : ConsensusInput(Now);

/// <summary>What a timer is for.</summary>
public enum TimerKind
{
    /// <summary>This replica's turn to propose at its rank.</summary>
    BlockMaker,

    /// <summary>The notary delay of a rank has passed.</summary>
    Notary,

    /// <summary>Periodic check for lack of progress.</summary>
    Status,
}

/// <summary>A timer request: kind, height, and the rank it concerns (notary timers).</summary>
/// <param name="Kind">Timer kind.</param>
/// <param name="Height">The round it belongs to.</param>
/// <param name="Rank">The rank whose delay it marks.</param>
public sealed record ConsensusTimer(TimerKind Kind, long Height, int Rank);
