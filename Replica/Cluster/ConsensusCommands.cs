using InternetIdentity.Consensus.Core;
using ConsensusIngress = InternetIdentity.Consensus.Messages.IngressMessage;

namespace InternetIdentity.Replica.Cluster;

/// <summary>The local gateway hands an ingress message to its replica's consensus actor (never crosses the wire).</summary>
/// <param name="Message">The message.</param>
internal sealed record SubmitIngress(ConsensusIngress Message);

/// <summary>The replica checked a peer's gossiped call as its gateway would and found it valid (never crosses the wire).</summary>
/// <param name="From">The peer that gossiped it.</param>
/// <param name="Message">The call.</param>
internal sealed record AdmitPeerIngress(int From, ConsensusIngress Message);

/// <summary>Local execution finished a height (never crosses the wire).</summary>
/// <param name="Height">The height.</param>
/// <param name="StateRoot">The state root after it.</param>
/// <param name="CheckpointHash">SHA-256 of the checkpoint taken at the height, if one was.</param>
/// <param name="CheckpointPending">A checkpoint was taken and is still being stored (its hash comes later).</param>
internal sealed record ReportExecuted(long Height, byte[] StateRoot, byte[]? CheckpointHash, bool CheckpointPending);

/// <summary>The checkpoint taken at a catch-up height is stored (never crosses the wire).</summary>
/// <param name="Height">The height.</param>
/// <param name="CheckpointHash">SHA-256 of the checkpoint.</param>
internal sealed record ReportCheckpointStored(long Height, byte[] CheckpointHash);

/// <summary>A timer the core asked for, delivered by the Akka scheduler.</summary>
/// <param name="Timer">The timer.</param>
/// <param name="At">When it is due on the replica's clock, in ms since the epoch.</param>
internal sealed record TimerDue(ConsensusTimer Timer, long At);

/// <summary>Sent to itself once recovery completed: replay what was persisted, then take commands.</summary>
internal sealed record StartConsensus;

/// <summary>The subnet's time control allows blocks up to a height (manual time mode; never crosses the wire).</summary>
/// <param name="UpToHeight">The highest height a block may be made at.</param>
public sealed record AllowBlocks(long UpToHeight);
