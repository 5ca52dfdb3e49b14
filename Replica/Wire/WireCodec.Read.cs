using System.Collections.Immutable;
using Google.Protobuf;
using Google.Protobuf.Collections;
using InternetIdentity.Consensus;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using P = InternetIdentity.Replica.Wire.Proto;

namespace InternetIdentity.Replica.Wire;

// Protobuf to C# messages. Every check names the field, so a rejected peer message says what was wrong with it.
public static partial class WireCodec
{
    /// <summary>The host message or bare artifact a parsed protobuf message stands for.</summary>
    internal static object FromProto(IMessage proto) => proto switch
    {
        P.PeerMessage p => new PeerMessage(Index(p.From, "peer message sender"),
            ReadArtifact(Required(p.Message, "peer message artifact"), nested: false)),
        P.CheckpointRequest p => new CheckpointRequest(Index(p.From, "checkpoint request sender"), Height(p.Height, "checkpoint request height"),
            p.FirstChunk >= 0 ? p.FirstChunk : throw new WireFormatException($"the checkpoint request's first chunk is {p.FirstChunk}")),
        P.CheckpointChunk p => ReadChunk(p),
        P.SignedFrame p => ReadFrame(p),
        P.Checkpoint p => new Checkpoint(Height(p.Height, "checkpoint height"), Hash(p.StateRoot, "checkpoint state root"),
            Owned(p.State, "checkpoint state", MaxCheckpointStateBytes)),
        _ => ReadArtifact(proto, nested: false),
    };

    /// <summary>Reads an enveloped artifact; <paramref name="nested"/> is true inside a sync bundle, which may not hold another.</summary>
    private static ConsensusMessage ReadArtifact(P.ConsensusMessage e, bool nested)
    {
        IMessage artifact = e.ArtifactCase switch
        {
            P.ConsensusMessage.ArtifactOneofCase.BlockProposal => e.BlockProposal,
            P.ConsensusMessage.ArtifactOneofCase.RandomBeaconShare => e.RandomBeaconShare,
            P.ConsensusMessage.ArtifactOneofCase.RandomBeacon => e.RandomBeacon,
            P.ConsensusMessage.ArtifactOneofCase.NotarizationShare => e.NotarizationShare,
            P.ConsensusMessage.ArtifactOneofCase.Notarization => e.Notarization,
            P.ConsensusMessage.ArtifactOneofCase.FinalizationShare => e.FinalizationShare,
            P.ConsensusMessage.ArtifactOneofCase.Finalization => e.Finalization,
            P.ConsensusMessage.ArtifactOneofCase.CertificationShare => e.CertificationShare,
            P.ConsensusMessage.ArtifactOneofCase.Certification => e.Certification,
            P.ConsensusMessage.ArtifactOneofCase.CatchUpShare => e.CatchUpShare,
            P.ConsensusMessage.ArtifactOneofCase.CatchUpPackage => e.CatchUpPackage,
            P.ConsensusMessage.ArtifactOneofCase.IngressGossip => e.IngressGossip,
            P.ConsensusMessage.ArtifactOneofCase.StatusRequest => e.StatusRequest,
            P.ConsensusMessage.ArtifactOneofCase.SyncBundle when nested => throw new WireFormatException("a sync bundle inside a sync bundle"),
            P.ConsensusMessage.ArtifactOneofCase.SyncBundle => e.SyncBundle,
            _ => throw new WireFormatException("the consensus message holds no artifact"),
        };
        return ReadArtifact(artifact, nested);
    }

    private static ConsensusMessage ReadArtifact(IMessage proto, bool nested) => proto switch
    {
        P.ConsensusMessage p => ReadArtifact(p, nested),
        P.BlockProposal p => Read(p, "block proposal"),
        P.RandomBeaconShare p => new RandomBeaconShare(Height(p.Height, "beacon share height"), Read(Required(p.Share, "beacon share"), "beacon share")),
        P.RandomBeacon p => new RandomBeacon(Height(p.Height, "beacon height"), Bytes(p.Signature, "beacon signature")),
        P.NotarizationShare p => new NotarizationShare(Height(p.Height, "notarization share height"),
            Hash(p.BlockHash, "notarization share block hash"), Index(p.Signer, "notarization share signer"), Bytes(p.Signature, "notarization share signature")),
        P.Notarization p => new Notarization(Height(p.Height, "notarization height"), Hash(p.BlockHash, "notarization block hash"),
            Read(p.Signatures, "notarization")),
        P.FinalizationShare p => new FinalizationShare(Height(p.Height, "finalization share height"),
            Hash(p.BlockHash, "finalization share block hash"), Index(p.Signer, "finalization share signer"), Bytes(p.Signature, "finalization share signature")),
        P.Finalization p => new Finalization(Height(p.Height, "finalization height"), Hash(p.BlockHash, "finalization block hash"),
            Read(p.Signatures, "finalization")),
        P.CertificationShare p => new CertificationShare(Height(p.Height, "certification share height"),
            Hash(p.StateRoot, "certification share state root"), Read(Required(p.Share, "certification share"), "certification share")),
        P.Certification p => new Certification(Height(p.Height, "certification height"), Hash(p.StateRoot, "certification state root"),
            Bytes(p.Signature, "certification signature")),
        P.CatchUpShare p => new CatchUpShare(Height(p.Height, "catch-up share height"), Hash(p.ContentHash, "catch-up share content hash"),
            Index(p.Signer, "catch-up share signer"), Bytes(p.Signature, "catch-up share signature")),
        P.CatchUpPackage p => new CatchUpPackage(Read(Required(p.Content, "catch-up package content")), Read(p.Signatures, "catch-up package")),
        P.IngressGossip p => new IngressGossip(Read(Required(p.Message, "gossiped ingress message"))),
        P.StatusRequest p => new StatusRequest(Height(p.FinalizedHeight, "status finalized height"), Height(p.Round, "status round"),
            Height(p.CertifiedHeight, "status certified height")),
        P.SyncBundle p => new SyncBundle([.. p.Messages.Select(m => ReadArtifact(m, nested: true))],
            Height(p.ResponderFinalized, "sync bundle responder height")),
        _ => throw new WireFormatException($"{proto.Descriptor.Name} is not a replica message"),
    };

    private static BlockProposal Read(P.BlockProposal p, string what) =>
        new(Read(Required(p.Block, what + " block")), Bytes(p.Signature, what + " signature"));

    private static Block Read(P.Block p)
    {
        // Limits first, before hashing any content.
        if (p.Payload.Count > Limits.MaxIngressMessagesPerBlock)
        {
            throw new WireFormatException($"the block holds {p.Payload.Count} ingress messages, more than {Limits.MaxIngressMessagesPerBlock}");
        }
        long payloadBytes = p.Payload.Sum(m => m.Content.Length + 8L); // IngressMessage.Size
        if (payloadBytes > Limits.MaxBlockPayloadBytes)
        {
            throw new WireFormatException($"the block payload is {payloadBytes} bytes, more than {Limits.MaxBlockPayloadBytes}");
        }
        if (p.Maker < -1 || p.Rank < 0)
        {
            throw new WireFormatException($"the block maker {p.Maker} or rank {p.Rank} is negative");
        }
        if ((uint)p.TimeSubMsNanos >= Block.NanosPerMs)
        {
            throw new WireFormatException($"the block time's nanoseconds within its millisecond are {p.TimeSubMsNanos}, outside 0..{Block.NanosPerMs - 1}");
        }
        return new Block(Height(p.Height, "block height"), Hash(p.ParentHash, "block parent hash"), p.Maker, p.Rank, p.TimeMs,
            [.. p.Payload.Select(Read)], p.TimeSubMsNanos);
    }

    private static IngressMessage Read(P.IngressMessage p) =>
        new(Bytes(p.Content, "ingress message content", Limits.MaxIngressMessageBytes), p.ExpiryMs);

    private static SignatureShare Read(P.SignatureShare p, string what) =>
        new(Index(p.NodeIndex, what + " signer"), Bytes(p.Bytes, what + " bytes"));

    private static ImmutableArray<NodeSignature> Read(RepeatedField<P.NodeSignature> signatures, string what) =>
        [.. signatures.Select(s => new NodeSignature(Index(s.Signer, what + " signer"), Bytes(s.Signature, what + " signature")))];

    private static CatchUpContent Read(P.CatchUpContent p) => new(
        Height(p.Height, "catch-up height"),
        Read(Required(p.Block, "catch-up block"), "catch-up block"),
        Bytes(p.RandomBeacon, "catch-up random beacon"),
        Hash(p.StateRoot, "catch-up state root"),
        Bytes(p.Certification, "catch-up certification"),
        [.. p.IngressHistory.Select(r => new IngressRecord(Digest.FromBytes(Hash(r.RequestId, "ingress history request id")), r.ExpiryMs))],
        p.CheckpointHash.IsEmpty ? null : Hash(p.CheckpointHash, "catch-up checkpoint hash"));

    private static CheckpointChunk ReadChunk(P.CheckpointChunk p)
    {
        if (p.Count < 0 || (p.Count == 0 ? p.Index != 0 : p.Index < 0 || p.Index >= p.Count))
        {
            throw new WireFormatException($"checkpoint chunk {p.Index} of {p.Count} is out of range");
        }
        return new CheckpointChunk(Index(p.From, "checkpoint chunk sender"), Height(p.Height, "checkpoint chunk height"), p.Index, p.Count,
            Bytes(p.Data, "checkpoint chunk data"));
    }

    private static T Required<T>(T? part, string what)
        where T : class => part ?? throw new WireFormatException($"the {what} is missing");

    private static long Height(long height, string what) =>
        height >= 0 ? height : throw new WireFormatException($"the {what} {height} is negative");

    private static int Index(int index, string what) =>
        index >= 0 ? index : throw new WireFormatException($"the {what} {index} is negative");

    private static byte[] Hash(ByteString hash, string what) =>
        hash.Length == 32 ? hash.ToByteArray() : throw new WireFormatException($"the {what} is {hash.Length} bytes, not 32");

    // A field's bytes without a copy when the parser gave it an array of its own (it does: the message is thrown away
    // after reading), for the one field that can be a gigabyte: a checkpoint's state.
    private static byte[] Owned(ByteString bytes, string what, int max)
    {
        if (bytes.Length > max)
        {
            throw new WireFormatException($"the {what} is {bytes.Length} bytes, more than {max}");
        }

        return System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes.Memory, out ArraySegment<byte> segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToByteArray();
    }

    private static byte[] Bytes(ByteString bytes, string what, int max = MaxFieldBytes) =>
        bytes.Length <= max ? bytes.ToByteArray() : throw new WireFormatException($"the {what} is {bytes.Length} bytes, more than {max}");
}
