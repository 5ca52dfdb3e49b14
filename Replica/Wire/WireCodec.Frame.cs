using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using InternetIdentity.Replica.Cluster;
using P = InternetIdentity.Replica.Wire.Proto;

namespace InternetIdentity.Replica.Wire;

// Signed frames: the envelope is read by the serializer, the payload only after the signature was checked.
public static partial class WireCodec
{
    /// <summary>Largest frame payload: a checkpoint chunk of <see cref="MaxFieldBytes"/> with its header.</summary>
    public const int MaxFramePayloadBytes = MaxFieldBytes + 1024;

    /// <summary>Encodes a peer message (<see cref="PeerMessage"/>, <see cref="CheckpointRequest"/>, <see cref="CheckpointChunk"/>) as a frame payload.</summary>
    public static byte[] EncodeFramePayload(IReplicaMessage message) => (message switch
    {
        PeerMessage m => new P.FramePayload { Peer = (P.PeerMessage)ToProto(m) },
        CheckpointRequest m => new P.FramePayload { CheckpointRequest = (P.CheckpointRequest)ToProto(m) },
        CheckpointChunk m => new P.FramePayload { CheckpointChunk = (P.CheckpointChunk)ToProto(m) },
        null => throw new ArgumentNullException(nameof(message)),
        _ => throw new ArgumentException($"{message.GetType().Name} is not sent to peers in a frame", nameof(message)),
    }).ToByteArray();

    /// <summary>Decodes a frame payload made by <see cref="EncodeFramePayload"/>, or returns false when it is malformed.</summary>
    public static bool TryDecodeFramePayload(ReadOnlySpan<byte> payload, [NotNullWhen(true)] out IReplicaMessage? message)
    {
        try
        {
            var p = (P.FramePayload)Parse(P.FramePayload.Parser, payload, "frame payload");
            message = (IReplicaMessage)FromProto(p.MessageCase switch
            {
                P.FramePayload.MessageOneofCase.Peer => p.Peer,
                P.FramePayload.MessageOneofCase.CheckpointRequest => p.CheckpointRequest,
                P.FramePayload.MessageOneofCase.CheckpointChunk => p.CheckpointChunk,
                _ => throw new WireFormatException("the frame payload is empty"),
            });
            return true;
        }
        catch (WireFormatException)
        {
            message = null;
            return false;
        }
    }

    private static P.SignedFrame ToProto(SignedFrame f) => new()
    {
        Sender = f.Sender, Receiver = f.Receiver, Epoch = f.Epoch, Counter = f.Counter, Payload = B(f.Payload), Signature = B(f.Signature),
    };

    private static SignedFrame ReadFrame(P.SignedFrame p) => new(
        Index(p.Sender, "frame sender"),
        p.Receiver >= SignedFrame.Broadcast ? p.Receiver : throw new WireFormatException($"the frame receiver {p.Receiver} is negative"),
        Height(p.Epoch, "frame epoch"),
        Height(p.Counter, "frame counter"),
        Bytes(p.Payload, "frame payload", MaxFramePayloadBytes),
        p.Signature.Length == 64 ? p.Signature.ToByteArray() : throw new WireFormatException($"the frame signature is {p.Signature.Length} bytes, not 64"));
}
