using System.Collections.Immutable;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

/// <summary>Everything a replica holds about one height: beacon, proposals, shares, proofs, certification, CUP.</summary>
internal sealed record HeightPool(long Height)
{
    public byte[]? Beacon { get; init; }
    public SignerSet<HeldShare> BeaconShares { get; init; } = SignerSet<HeldShare>.Empty;
    public RandomBeaconShare? MyBeaconShare { get; init; }
    public ImmutableArray<int> Ranks { get; init; }

    public SmallMap<Digest, BlockProposal> Proposals { get; init; } = SmallMap<Digest, BlockProposal>.Empty;
    public SmallSet<Digest> Valid { get; init; } = SmallSet<Digest>.Empty;
    public SmallSet<int> Disqualified { get; init; } = SmallSet<int>.Empty;
    public BlockProposal? MyProposal { get; init; }

    public SmallMap<Digest, SignerSet<byte[]>> NotarizationShares { get; init; } = SmallMap<Digest, SignerSet<byte[]>>.Empty;
    public SmallMap<Digest, Notarization> Notarized { get; init; } = SmallMap<Digest, Notarization>.Empty;
    public SmallSet<Digest> MyNotarizations { get; init; } = SmallSet<Digest>.Empty;
    public int MyLowestSharedRank { get; init; } = int.MaxValue;
    public ImmutableArray<NotarizationShare> MyNotarizationShares { get; init; } = [];

    public SmallMap<Digest, SignerSet<byte[]>> FinalizationShares { get; init; } = SmallMap<Digest, SignerSet<byte[]>>.Empty;
    public Finalization? Finalization { get; init; }
    public FinalizationShare? MyFinalization { get; init; }
    public Digest? FinalizedHash { get; init; }

    public byte[]? MyStateRoot { get; init; }
    public CertificationShare? MyCertificationShare { get; init; }
    public SmallMap<Digest, SignerSet<HeldShare>> CertificationShares { get; init; } = SmallMap<Digest, SignerSet<HeldShare>>.Empty;

    /// <summary>Signers an invalid beacon or certification share claimed at this height: their further shares are verified on receipt.</summary>
    public SmallSet<int> SuspectShareSigners { get; init; } = SmallSet<int>.Empty;
    public Certification? Certification { get; init; }

    public IngressHistory? HistoryAtHeight { get; init; }
    public CatchUpContent? MyCatchUpContent { get; init; }

    /// <summary>SHA-256 of this replica's checkpoint at this height, when it took one.</summary>
    public byte[]? MyCheckpointHash { get; init; }
    public Digest MyCatchUpHash { get; init; }
    public CatchUpShare? MyCatchUpShare { get; init; }
    public SmallMap<Digest, SignerSet<byte[]>> CatchUpShares { get; init; } = SmallMap<Digest, SignerSet<byte[]>>.Empty;

    /// <summary>The finalized block at this height, if this replica has finalized it.</summary>
    public BlockProposal? FinalizedProposal => FinalizedHash is { } h && Proposals.TryGetValue(h, out BlockProposal? p) ? p : null;
}
