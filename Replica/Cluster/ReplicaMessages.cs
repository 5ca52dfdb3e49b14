using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Replica.Cluster;

/// <summary>
/// A message one replica's actors send to another's (or write to the journal). Every such type is carried by
/// <c>ReplicaSerializer</c> as Protocol Buffers with a stable string manifest, never by a reflection serializer.
/// </summary>
public interface IReplicaMessage;

/// <summary>A consensus artifact from replica <paramref name="From"/> to a peer's consensus actor.</summary>
/// <param name="From">The sending replica's index.</param>
/// <param name="Message">The artifact.</param>
public sealed record PeerMessage(int From, ConsensusMessage Message) : IReplicaMessage;

/// <summary>
/// Replica <paramref name="From"/> asks a peer for a window of pieces of its checkpoint (state snapshot) at
/// <paramref name="Height"/>, from piece <paramref name="FirstChunk"/> on; it asks for the next window once this one
/// arrived, so no peer has more than a window in flight to it.
/// </summary>
/// <param name="From">The asking replica's index.</param>
/// <param name="Height">A catch-up package height.</param>
/// <param name="FirstChunk">The first piece wanted.</param>
public sealed record CheckpointRequest(int From, long Height, int FirstChunk = 0) : IReplicaMessage;

/// <summary>
/// One piece of a checkpoint, sent in pieces so that no remoting frame exceeds its limit. <paramref name="Count"/> is
/// zero when the peer has no checkpoint at that height.
/// </summary>
/// <param name="From">The answering replica's index.</param>
/// <param name="Height">The checkpoint's height.</param>
/// <param name="Index">This piece's index, 0..Count-1.</param>
/// <param name="Count">How many pieces the checkpoint has.</param>
/// <param name="Data">This piece's bytes.</param>
public sealed record CheckpointChunk(int From, long Height, int Index, int Count, byte[] Data) : IReplicaMessage;

/// <summary>A persisted checkpoint: the replicated state after executing <paramref name="Height"/>, as bytes.</summary>
/// <param name="Height">The height it was taken after.</param>
/// <param name="StateRoot">The state tree root at that height.</param>
/// <param name="State">The serialized execution state (canisters and request statuses).</param>
public sealed record Checkpoint(long Height, byte[] StateRoot, byte[] State) : IReplicaMessage;
