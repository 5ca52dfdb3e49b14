using InternetIdentity.Protocol.Signatures;
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
    private readonly ISignatureCache? _signatures;
    private long _counter;

    /// <summary>
    /// A signer for replica <paramref name="index"/> of subnet <paramref name="subnetId"/> in epoch <paramref name="epoch"/>.
    /// With <paramref name="signatures"/>, the cache the <see cref="FrameGate"/>s of the replicas in this process share,
    /// every frame it signs is entered there as valid (it is: the replica's own key made it), so that its peers in the
    /// process find it there instead of each verifying it; frames from other processes are still verified on arrival.
    /// </summary>
    public FrameSigner(NodeKey key, ReadOnlySpan<byte> subnetId, int index, long epoch, ISignatureCache? signatures = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        _key = key;
        _subnetId = subnetId.ToArray();
        _signatures = signatures;
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
        byte[] signed = SignedFrame.SignedBytes(_subnetId, Index, receiver, Epoch, counter, payload);
        byte[] signature = _key.Sign(signed);
        _signatures?.Add(_key.PublicKeyDer, signed, signature); // before any peer can receive it
        return new SignedFrame(Index, receiver, Epoch, counter, payload, signature);
    }
}
