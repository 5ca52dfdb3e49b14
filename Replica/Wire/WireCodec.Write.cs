using Google.Protobuf;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using P = InternetIdentity.Replica.Wire.Proto;

namespace InternetIdentity.Replica.Wire;

// C# messages to protobuf. Every byte array is copied into a ByteString: the records hold mutable arrays.
public static partial class WireCodec
{
    /// <summary>The protobuf message for a host message or a bare artifact.</summary>
    internal static IMessage ToProto(object message) => message switch
    {
        ConsensusMessage m => ToProto(m),
        PeerMessage m => new P.PeerMessage { From = m.From, Message = Wrap(m.Message) },
        CheckpointRequest m => new P.CheckpointRequest { From = m.From, Height = m.Height, FirstChunk = m.FirstChunk },
        CheckpointChunk m => new P.CheckpointChunk
        {
            From = m.From, Height = m.Height, Index = m.Index, Count = m.Count, Data = B(m.Data),
        },
        // Wrapped, not copied: a checkpoint's state is never changed after it is taken, and it can be a gigabyte.
        Checkpoint m => new P.Checkpoint { Height = m.Height, StateRoot = B(m.StateRoot), State = UnsafeByteOperations.UnsafeWrap(m.State) },
        SignedFrame m => ToProto(m),
        null => throw new ArgumentNullException(nameof(message)),
        _ => throw new ArgumentException($"{message.GetType()} is not a replica message", nameof(message)),
    };

    private static IMessage ToProto(ConsensusMessage message) => message switch
    {
        BlockProposal m => ToProto(m),
        RandomBeaconShare m => new P.RandomBeaconShare { Height = m.Height, Share = ToProto(m.Share) },
        RandomBeacon m => new P.RandomBeacon { Height = m.Height, Signature = B(m.Signature) },
        NotarizationShare m => new P.NotarizationShare
        {
            Height = m.Height, BlockHash = B(m.BlockHash), Signer = m.Signer, Signature = B(m.Signature),
        },
        Notarization m => new P.Notarization
        {
            Height = m.Height, BlockHash = B(m.BlockHash), Signatures = { m.Signatures.Select(ToProto) },
        },
        FinalizationShare m => new P.FinalizationShare
        {
            Height = m.Height, BlockHash = B(m.BlockHash), Signer = m.Signer, Signature = B(m.Signature),
        },
        Finalization m => new P.Finalization
        {
            Height = m.Height, BlockHash = B(m.BlockHash), Signatures = { m.Signatures.Select(ToProto) },
        },
        CertificationShare m => new P.CertificationShare { Height = m.Height, StateRoot = B(m.StateRoot), Share = ToProto(m.Share) },
        Certification m => new P.Certification { Height = m.Height, StateRoot = B(m.StateRoot), Signature = B(m.Signature) },
        CatchUpShare m => new P.CatchUpShare
        {
            Height = m.Height, ContentHash = B(m.ContentHash), Signer = m.Signer, Signature = B(m.Signature),
        },
        CatchUpPackage m => new P.CatchUpPackage { Content = ToProto(m.Content), Signatures = { m.Signatures.Select(ToProto) } },
        IngressGossip m => new P.IngressGossip { Message = ToProto(m.Message) },
        StatusRequest m => new P.StatusRequest { FinalizedHeight = m.FinalizedHeight, Round = m.Round, CertifiedHeight = m.CertifiedHeight },
        SyncBundle m => new P.SyncBundle { Messages = { m.Messages.Select(Wrap) }, ResponderFinalized = m.ResponderFinalized },
        _ => throw new ArgumentException($"{message.GetType()} has no wire format", nameof(message)),
    };

    /// <summary>An artifact in the envelope that names its kind (for sync bundles and peer messages).</summary>
    private static P.ConsensusMessage Wrap(ConsensusMessage message) => ToProto(message) switch
    {
        P.BlockProposal x => new() { BlockProposal = x },
        P.RandomBeaconShare x => new() { RandomBeaconShare = x },
        P.RandomBeacon x => new() { RandomBeacon = x },
        P.NotarizationShare x => new() { NotarizationShare = x },
        P.Notarization x => new() { Notarization = x },
        P.FinalizationShare x => new() { FinalizationShare = x },
        P.Finalization x => new() { Finalization = x },
        P.CertificationShare x => new() { CertificationShare = x },
        P.Certification x => new() { Certification = x },
        P.CatchUpShare x => new() { CatchUpShare = x },
        P.CatchUpPackage x => new() { CatchUpPackage = x },
        P.IngressGossip x => new() { IngressGossip = x },
        P.StatusRequest x => new() { StatusRequest = x },
        P.SyncBundle x => new() { SyncBundle = x },
        var x => throw new InvalidOperationException($"{x.Descriptor.Name} is not an artifact"),
    };

    private static P.BlockProposal ToProto(BlockProposal m) => new() { Block = ToProto(m.Block), Signature = B(m.Signature) };

    private static P.Block ToProto(Block b) => new()
    {
        Height = b.Height, ParentHash = B(b.ParentHash), Maker = b.Maker, Rank = b.Rank, TimeMs = b.TimeMs, TimeSubMsNanos = b.TimeSubMsNanos,
        Payload = { b.Payload.Select(ToProto) },
    };

    private static P.IngressMessage ToProto(IngressMessage m) => new() { Content = B(m.Content), ExpiryMs = m.ExpiryMs };

    private static P.SignatureShare ToProto(SignatureShare s) => new() { NodeIndex = s.NodeIndex, Bytes = B(s.Bytes) };

    private static P.NodeSignature ToProto(NodeSignature s) => new() { Signer = s.Signer, Signature = B(s.Signature) };

    private static P.CatchUpContent ToProto(CatchUpContent c) => new()
    {
        Height = c.Height, Block = ToProto(c.Block), RandomBeacon = B(c.RandomBeacon), StateRoot = B(c.StateRoot),
        Certification = B(c.Certification), CheckpointHash = B(c.CheckpointHash ?? []),
        IngressHistory = { c.IngressHistory.Select(r => new P.IngressRecord { RequestId = B(r.RequestId.ToBytes()), ExpiryMs = r.ExpiryMs }) },
    };

    private static ByteString B(byte[] bytes) => ByteString.CopyFrom(bytes);
}
