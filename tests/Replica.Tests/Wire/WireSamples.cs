using System.Collections.Immutable;
using InternetIdentity.Consensus;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;

namespace InternetIdentity.Replica.Tests.Wire;

/// <summary>Seeded random instances of every replica message, and a rendering that compares them by content.</summary>
internal sealed class WireSamples(int seed)
{
    private readonly Random _rng = new(seed);

    /// <summary>One instance of every artifact kind, in the order of the proto's oneof.</summary>
    public IReadOnlyList<ConsensusMessage> Artifacts() => [.. Unbundled(), Bundle()];

    /// <summary>One instance of every artifact kind except the sync bundle.</summary>
    public IReadOnlyList<ConsensusMessage> Unbundled() =>
    [
        Proposal(_rng.Next(6)),
        new RandomBeaconShare(Height(), new SignatureShare(Signer(), Bytes(48))),
        new RandomBeacon(Height(), Bytes(48)),
        new NotarizationShare(Height(), Bytes(32), Signer(), Bytes(64)),
        new Notarization(Height(), Bytes(32), Signatures()),
        new FinalizationShare(Height(), Bytes(32), Signer(), Bytes(64)),
        new Finalization(Height(), Bytes(32), Signatures()),
        new CertificationShare(Height(), Bytes(32), new SignatureShare(Signer(), Bytes(48))),
        new Certification(Height(), Bytes(32), Bytes(48)),
        new CatchUpShare(Height(), Bytes(32), Signer(), Bytes(64)),
        new CatchUpPackage(Content(), Signatures()),
        new IngressGossip(Ingress()),
        new StatusRequest(Height(), Height(), Height()),
    ];

    /// <summary>Every host message, a peer message for each artifact kind included.</summary>
    public IReadOnlyList<IReplicaMessage> HostMessages() =>
    [
        .. Artifacts().Select(a => new PeerMessage(Signer(), a)),
        new CheckpointRequest(Signer(), Height()),
        new CheckpointChunk(Signer(), Height(), 2, 5, Bytes(_rng.Next(300))),
        new CheckpointChunk(Signer(), Height(), 0, 0, []),
        new Checkpoint(Height(), Bytes(32), Bytes(_rng.Next(1000))),
        new SignedFrame(Signer(), Signer() - 1, Height(), Height(), Bytes(_rng.Next(300)), Bytes(64)),
    ];

    /// <summary>A proposal of a block with <paramref name="messages"/> ingress messages of random sizes.</summary>
    public BlockProposal Proposal(int messages, int contentBytes = -1) =>
        new(new Block(Height(), Bytes(32), Signer(), _rng.Next(3), _rng.NextInt64(1L << 40),
            [.. Enumerable.Range(0, messages).Select(_ => Ingress(contentBytes))]), Bytes(64));

    public SyncBundle Bundle() => new([.. Unbundled().Take(_rng.Next(14))], Height());

    public byte[] Bytes(int length)
    {
        byte[] b = new byte[length];
        _rng.NextBytes(b);
        return b;
    }

    private IngressMessage Ingress(int contentBytes = -1) =>
        new(Bytes(contentBytes >= 0 ? contentBytes : _rng.Next(200)), _rng.NextInt64(1L << 45));

    private CatchUpContent Content() => new(Height(), Proposal(_rng.Next(4)), Bytes(48), Bytes(32), Bytes(48),
        [.. Enumerable.Range(0, _rng.Next(5)).Select(_ => new IngressRecord(Digest.FromBytes(Bytes(32)), _rng.NextInt64(1L << 45)))],
        _rng.Next(2) == 0 ? null : Bytes(32));

    private ImmutableArray<NodeSignature> Signatures() =>
        [.. Enumerable.Range(0, _rng.Next(5)).Select(i => new NodeSignature(i, Bytes(64)))];

    // Zero sometimes, so default-valued fields (which protobuf omits) are covered.
    private long Height() => _rng.Next(4) == 0 ? 0 : _rng.NextInt64(1L << 40);

    private int Signer() => _rng.Next(4) == 0 ? 0 : _rng.Next(100);

    /// <summary>
    /// A rendering that is equal exactly when two messages have equal contents (the records hold arrays, which
    /// record equality compares by reference). Artifacts render as their canonical encoding, which covers every field.
    /// </summary>
    public static string Render(object message) => message switch
    {
        ConsensusMessage m => $"{m.GetType().Name} {Convert.ToHexString(m.Encode())}",
        PeerMessage m => $"peer {m.From} {Render(m.Message)}",
        CheckpointRequest m => m.ToString(),
        CheckpointChunk m => $"chunk {m.From} {m.Height} {m.Index}/{m.Count} {Convert.ToHexString(m.Data)}",
        Checkpoint m => $"checkpoint {m.Height} {Convert.ToHexString(m.StateRoot)} {Convert.ToHexString(m.State)}",
        SignedFrame m => $"frame {m.Sender}->{m.Receiver} {m.Epoch}.{m.Counter} {Convert.ToHexString(m.Payload)} {Convert.ToHexString(m.Signature)}",
        _ => throw new ArgumentException($"no rendering for {message.GetType()}", nameof(message)),
    };
}
