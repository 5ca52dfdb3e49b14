using System.Buffers.Binary;
using System.Text;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Replica.Cluster;

/// <summary>
/// A peer message as it crosses the transport: its encoded payload (a <see cref="PeerMessage"/>, <see cref="CheckpointRequest"/>
/// or <see cref="CheckpointChunk"/>), signed by the sender's node key over <see cref="SignedBytes"/>. The receiver believes
/// nothing in it before <see cref="FrameGate"/> checked the signature against the genesis node keys.
/// </summary>
/// <param name="Sender">The signing replica's index.</param>
/// <param name="Receiver">The receiving replica's index, or <see cref="Broadcast"/> for every peer (one signature for all).</param>
/// <param name="Epoch">The sender's epoch: the wall-clock millisecond its process started signing (larger after a restart).</param>
/// <param name="Counter">The sender's frame counter within the epoch (strictly increasing).</param>
/// <param name="Payload">The encoded payload.</param>
/// <param name="Signature">The 64-byte Ed25519 signature.</param>
public sealed record SignedFrame(int Sender, int Receiver, long Epoch, long Counter, byte[] Payload, byte[] Signature) : IReplicaMessage
{
    /// <summary>The receiver index of a frame for every peer.</summary>
    public const int Broadcast = -1;

    /// <summary>The domain separator of frame signatures (length-prefixed, as the IC prefixes its own).</summary>
    public const string DomainSeparator = "ic-peer-frame-v1";

    /// <summary>
    /// The bytes the sender signs: the domain separator, the subnet id, sender, receiver (0xFFFFFFFF for a broadcast),
    /// epoch and counter (big-endian) and the SHA-256 of the payload. The subnet id binds a frame to one subnet, the
    /// receiver to one peer, epoch and counter to one moment, so none can be replayed elsewhere.
    /// </summary>
    public static byte[] SignedBytes(ReadOnlySpan<byte> subnetId, int sender, int receiver, long epoch, long counter, ReadOnlySpan<byte> payload)
    {
        byte[] domain = Encoding.ASCII.GetBytes(DomainSeparator);
        var bytes = new byte[1 + domain.Length + 1 + subnetId.Length + 4 + 4 + 8 + 8 + 32];
        int at = 0;
        bytes[at++] = (byte)domain.Length;
        domain.CopyTo(bytes, at);
        at += domain.Length;
        bytes[at++] = checked((byte)subnetId.Length);
        subnetId.CopyTo(bytes.AsSpan(at));
        at += subnetId.Length;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), sender);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at + 4), receiver); // -1 is 0xFFFFFFFF
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at + 8), epoch);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at + 16), counter);
        Sha256.HashData(payload, bytes.AsSpan(at + 24));
        return bytes;
    }
}
