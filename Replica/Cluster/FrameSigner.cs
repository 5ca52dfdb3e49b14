using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Wire;

namespace InternetIdentity.Replica.Cluster;

/// <summary>
/// Seals this replica's peer messages into <see cref="SignedFrame"/>s with its node key. One per replica, shared by every
/// actor that talks to peers, so the counter is one sequence per process; thread-safe.
/// </summary>
public sealed class FrameSigner
{
    private readonly NodeKey _key;
    private readonly byte[] _subnetId;
    private long _counter;

    /// <summary>A signer for replica <paramref name="index"/> of subnet <paramref name="subnetId"/> in epoch <paramref name="epoch"/>.</summary>
    public FrameSigner(NodeKey key, ReadOnlySpan<byte> subnetId, int index, long epoch)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        _key = key;
        _subnetId = subnetId.ToArray();
        Index = index;
        Epoch = epoch;
    }

    /// <summary>This replica's index (every frame's sender).</summary>
    public int Index { get; }

    /// <summary>This process's epoch.</summary>
    public long Epoch { get; }

    /// <summary>Encodes and signs <paramref name="message"/> for <paramref name="receiver"/> (or <see cref="SignedFrame.Broadcast"/>).</summary>
    public SignedFrame Seal(IReplicaMessage message, int receiver) => SealPayload(WireCodec.EncodeFramePayload(message), receiver);

    /// <summary>Signs already encoded payload bytes (tests and Byzantine replicas send payloads no honest encoder writes).</summary>
    public SignedFrame SealPayload(byte[] payload, int receiver)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentOutOfRangeException.ThrowIfLessThan(receiver, SignedFrame.Broadcast);
        long counter = Interlocked.Increment(ref _counter);
        byte[] signature = _key.Sign(SignedFrame.SignedBytes(_subnetId, Index, receiver, Epoch, counter, payload));
        return new SignedFrame(Index, receiver, Epoch, counter, payload, signature);
    }
}
