using System.Buffers.Binary;
using System.Collections.Immutable;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Consensus.Messages;

/// <summary>Type tags of the canonical encoding; stable, never reused.</summary>
internal static class MessageTags
{
    public const byte Block = 1, Proposal = 2, BeaconShare = 3, Beacon = 4, NotarizationShare = 5, Notarization = 6,
        FinalizationShare = 7, Finalization = 8, CertificationShare = 9, Certification = 10, CatchUpShare = 11,
        CatchUpPackage = 12, CatchUpContent = 13, Ingress = 14, IngressGossip = 15, Status = 16, SyncBundle = 17;
}

/// <summary>A message between replicas. Plain immutable data with a canonical byte encoding.</summary>
public abstract record ConsensusMessage
{
    /// <summary>The height the artifact belongs to (0 when none).</summary>
    public abstract long Height { get; }

    /// <summary>The canonical encoding.</summary>
    public byte[] Encode()
    {
        var w = new CanonicalWriter();
        Write(w);
        return w.ToArray();
    }

    /// <summary>Length of the canonical encoding, without building it.</summary>
    public int EncodedSize()
    {
        var w = new CanonicalWriter(countOnly: true);
        Write(w);
        return w.Length;
    }

    internal abstract void Write(CanonicalWriter w);
}

/// <summary>One replica's signature inside a notarization, finalization or catch-up package.</summary>
/// <param name="Signer">Replica index.</param>
/// <param name="Signature">The signature bytes.</param>
public sealed record NodeSignature(int Signer, byte[] Signature)
{
    internal static void Write(CanonicalWriter w, NodeSignature s)
    {
        w.Int64(s.Signer);
        w.Bytes(s.Signature);
    }
}

/// <summary>A block proposal, signed by its maker.</summary>
/// <param name="Block">The proposed block.</param>
/// <param name="Signature">The maker's signature of the block hash.</param>
public sealed record BlockProposal(Block Block, byte[] Signature) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height => Block.Height;

    internal override void Write(CanonicalWriter w)
    {
        w.Byte(MessageTags.Proposal);
        Block.Write(w);
        w.Bytes(Signature);
    }
}

/// <summary>A share of the random beacon at a height.</summary>
/// <param name="Height">Beacon height.</param>
/// <param name="Share">The threshold signature share.</param>
public sealed record RandomBeaconShare(long Height, SignatureShare Share) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height { get; } = Height;

    internal override void Write(CanonicalWriter w)
    {
        w.Byte(MessageTags.BeaconShare);
        w.Int64(Height);
        w.Int64(Share.NodeIndex);
        w.Bytes(Share.Bytes);
    }
}

/// <summary>The combined random beacon at a height.</summary>
/// <param name="Height">Beacon height.</param>
/// <param name="Signature">The threshold signature over the previous beacon.</param>
public sealed record RandomBeacon(long Height, byte[] Signature) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height { get; } = Height;

    internal override void Write(CanonicalWriter w)
    {
        w.Byte(MessageTags.Beacon);
        w.Int64(Height);
        w.Bytes(Signature);
    }
}

/// <summary>A notarization share: one replica supports a block at a height.</summary>
/// <param name="Height">Block height.</param>
/// <param name="BlockHash">Hash of the supported block.</param>
/// <param name="Signer">Replica index.</param>
/// <param name="Signature">The replica's signature.</param>
public sealed record NotarizationShare(long Height, byte[] BlockHash, int Signer, byte[] Signature) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height { get; } = Height;

    internal override void Write(CanonicalWriter w) => BlockVote.Write(w, MessageTags.NotarizationShare, Height, BlockHash, Signer, Signature);
}

/// <summary>A notarization: n-f notarization shares on one block.</summary>
/// <param name="Height">Block height.</param>
/// <param name="BlockHash">Hash of the notarized block.</param>
/// <param name="Signatures">The signatures, ordered by signer.</param>
public sealed record Notarization(long Height, byte[] BlockHash, ImmutableArray<NodeSignature> Signatures) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height { get; } = Height;

    internal override void Write(CanonicalWriter w) => BlockVote.WriteProof(w, MessageTags.Notarization, Height, BlockHash, Signatures);
}

/// <summary>A finalization share: a replica that supported only this block at its height.</summary>
/// <param name="Height">Block height.</param>
/// <param name="BlockHash">Hash of the block.</param>
/// <param name="Signer">Replica index.</param>
/// <param name="Signature">The replica's signature.</param>
public sealed record FinalizationShare(long Height, byte[] BlockHash, int Signer, byte[] Signature) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height { get; } = Height;

    internal override void Write(CanonicalWriter w) => BlockVote.Write(w, MessageTags.FinalizationShare, Height, BlockHash, Signer, Signature);
}

/// <summary>A finalization: n-f finalization shares; the block and all its ancestors are final.</summary>
/// <param name="Height">Block height.</param>
/// <param name="BlockHash">Hash of the finalized block.</param>
/// <param name="Signatures">The signatures, ordered by signer.</param>
public sealed record Finalization(long Height, byte[] BlockHash, ImmutableArray<NodeSignature> Signatures) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height { get; } = Height;

    internal override void Write(CanonicalWriter w) => BlockVote.WriteProof(w, MessageTags.Finalization, Height, BlockHash, Signatures);
}

/// <summary>A share of the certification of the state root after executing a height.</summary>
/// <param name="Height">Executed height.</param>
/// <param name="StateRoot">The state tree root hash.</param>
/// <param name="Share">The threshold signature share.</param>
public sealed record CertificationShare(long Height, byte[] StateRoot, SignatureShare Share) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height { get; } = Height;

    internal override void Write(CanonicalWriter w)
    {
        w.Byte(MessageTags.CertificationShare);
        w.Int64(Height);
        w.Bytes(StateRoot);
        w.Int64(Share.NodeIndex);
        w.Bytes(Share.Bytes);
    }
}

/// <summary>A certification: the subnet's threshold signature on the state root of a height.</summary>
/// <param name="Height">Certified height.</param>
/// <param name="StateRoot">The state tree root hash.</param>
/// <param name="Signature">The combined threshold signature.</param>
public sealed record Certification(long Height, byte[] StateRoot, byte[] Signature) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height { get; } = Height;

    internal override void Write(CanonicalWriter w)
    {
        w.Byte(MessageTags.Certification);
        w.Int64(Height);
        w.Bytes(StateRoot);
        w.Bytes(Signature);
    }
}

/// <summary>An executed request id and its expiry, kept for deduplication across a catch-up package.</summary>
/// <param name="RequestId">The request id.</param>
/// <param name="ExpiryMs">Its expiry.</param>
public readonly record struct IngressRecord(Digest RequestId, long ExpiryMs);

/// <summary>What a catch-up package holds: enough to resume at its height without any history.</summary>
/// <param name="Height">The height, a multiple of the catch-up interval.</param>
/// <param name="Block">The finalized block at that height, as proposed.</param>
/// <param name="RandomBeacon">The random beacon at that height.</param>
/// <param name="StateRoot">The state root after executing the block.</param>
/// <param name="Certification">The certification of that state root.</param>
/// <param name="IngressHistory">Executed request ids not yet expired at the block's time, sorted.</param>
/// <param name="CheckpointHash">
/// SHA-256 of the replicas' checkpoint bytes at that height (canister state included, which the state root does not
/// cover), so that state fetched from one peer is installed only if n-f replicas vouched for it; null when the replicas
/// keep no checkpoints.
/// </param>
public sealed record CatchUpContent(long Height, BlockProposal Block, byte[] RandomBeacon, byte[] StateRoot, byte[] Certification,
    ImmutableArray<IngressRecord> IngressHistory, byte[]? CheckpointHash = null)
{
    private ImmutableArray<IngressRecord> _ingressHistory = IngressHistory;

    // A replica's own content keeps its history as the trie it already holds: a package is signed every K heights but
    // its records are read only when it is sent or stored, and building them (tens of KB, on the large object heap once
    // a few thousand calls are unexpired) for every package made the collector run full collections.
    private Core.IngressHistory? _source;

    /// <summary>Executed request ids not yet expired at the block's time, sorted.</summary>
    public ImmutableArray<IngressRecord> IngressHistory
    {
        get
        {
            if (_ingressHistory.IsDefault && _source is { } source)
            {
                _ingressHistory = source.ToRecords(); // deterministic, so a racing second build is the same value
            }
            return _ingressHistory;
        }
        init
        {
            _ingressHistory = value;
            _source = null;
        }
    }

    /// <summary>The content a replica signs from its own ingress history, whose records are built only when read.</summary>
    internal static CatchUpContent FromHistory(long height, BlockProposal block, byte[] randomBeacon, byte[] stateRoot,
        byte[] certification, Core.IngressHistory history, byte[]? checkpointHash) =>
        new(height, block, randomBeacon, stateRoot, certification, default, checkpointHash) { _source = history };

    /// <summary>
    /// What replicas sign: SHA-256 of the canonical encoding with the ingress history replaced by its own SHA-256,
    /// so the hash commits to the whole history without building one large buffer.
    /// </summary>
    public Digest Hash()
    {
        var w = new CanonicalWriter();
        WriteHeader(w);
        w.Bytes(HistoryHash().ToBytes());
        return Digest.Sha256(w.ToArray());
    }

    private Digest HistoryHash()
    {
        if (_ingressHistory.IsDefault && _source is { } source)
        {
            return source.Hash();
        }
        var hash = new IngressHistoryHash(stackalloc byte[IngressHistoryHash.ChunkBytes]);
        try
        {
            foreach (IngressRecord r in IngressHistory)
            {
                hash.Add(r.RequestId, r.ExpiryMs);
            }
            return hash.Finish();
        }
        finally
        {
            hash.Dispose();
        }
    }

    private void WriteHeader(CanonicalWriter w)
    {
        w.Byte(MessageTags.CatchUpContent);
        w.Int64(Height);
        Block.Write(w);
        w.Bytes(RandomBeacon);
        w.Bytes(StateRoot);
        w.Bytes(Certification);
        w.Bytes(CheckpointHash ?? []);
    }

    internal void Write(CanonicalWriter w)
    {
        WriteHeader(w);
        w.List(IngressHistory, static (x, r) => { x.Bytes(r.RequestId.ToBytes()); x.Int64(r.ExpiryMs); });
    }
}

/// <summary>A replica's signature on catch-up content it computed itself.</summary>
/// <param name="Height">The catch-up height.</param>
/// <param name="ContentHash">Hash of the content.</param>
/// <param name="Signer">Replica index.</param>
/// <param name="Signature">The replica's signature.</param>
public sealed record CatchUpShare(long Height, byte[] ContentHash, int Signer, byte[] Signature) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height { get; } = Height;

    internal override void Write(CanonicalWriter w) => BlockVote.Write(w, MessageTags.CatchUpShare, Height, ContentHash, Signer, Signature);
}

/// <summary>A catch-up package: content signed by n-f replicas.</summary>
/// <param name="Content">The content.</param>
/// <param name="Signatures">The signatures, ordered by signer.</param>
public sealed record CatchUpPackage(CatchUpContent Content, ImmutableArray<NodeSignature> Signatures) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height => Content.Height;

    internal override void Write(CanonicalWriter w)
    {
        w.Byte(MessageTags.CatchUpPackage);
        Content.Write(w);
        w.List(Signatures, NodeSignature.Write);
    }
}

/// <summary>An ingress message gossiped to peers.</summary>
/// <param name="Message">The message.</param>
public sealed record IngressGossip(IngressMessage Message) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height => 0;

    internal override void Write(CanonicalWriter w)
    {
        w.Byte(MessageTags.IngressGossip);
        Message.Write(w);
    }
}

/// <summary>A replica that made no progress tells a peer where it stands and asks for what it missed.</summary>
/// <param name="FinalizedHeight">Its finalized height.</param>
/// <param name="Round">The height it is trying to notarize.</param>
/// <param name="CertifiedHeight">Its certified height.</param>
public sealed record StatusRequest(long FinalizedHeight, long Round, long CertifiedHeight) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height => Round;

    internal override void Write(CanonicalWriter w)
    {
        w.Byte(MessageTags.Status);
        w.Int64(FinalizedHeight);
        w.Int64(Round);
        w.Int64(CertifiedHeight);
    }
}

/// <summary>A peer's answer to a status request: artifacts to process in order.</summary>
/// <param name="Messages">The artifacts.</param>
/// <param name="ResponderFinalized">The responder's finalized height, so the asker knows whether to ask again.</param>
public sealed record SyncBundle(ImmutableArray<ConsensusMessage> Messages, long ResponderFinalized) : ConsensusMessage
{
    /// <inheritdoc/>
    public override long Height => ResponderFinalized;

    internal override void Write(CanonicalWriter w)
    {
        w.Byte(MessageTags.SyncBundle);
        w.List(Messages, static (x, m) => m.Write(x));
        w.Int64(ResponderFinalized);
    }
}

internal static class BlockVote
{
    public static void Write(CanonicalWriter w, byte tag, long height, byte[] hash, int signer, byte[] signature)
    {
        w.Byte(tag);
        w.Int64(height);
        w.Bytes(hash);
        w.Int64(signer);
        w.Bytes(signature);
    }

    public static void WriteProof(CanonicalWriter w, byte tag, long height, byte[] hash, ImmutableArray<NodeSignature> signatures)
    {
        w.Byte(tag);
        w.Int64(height);
        w.Bytes(hash);
        w.List(signatures, NodeSignature.Write);
    }
}
