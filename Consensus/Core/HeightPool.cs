using System.Collections.Immutable;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

/// <summary>
/// Everything a replica holds about one height: beacon, proposals, shares, proofs, certification, CUP. Immutable once a
/// step has returned it; during a step, the copy that step made may be edited in place (see StepRun.Own).
/// </summary>
internal sealed record HeightPool(long Height)
{
    /// <summary>The step that made this copy (a token unique to the step); <c>with</c> copies it along.</summary>
    public object? EditStamp { get; set; }

    public byte[]? Beacon { get; set; }
    public SignerSet<HeldShare> BeaconShares { get; set; } = SignerSet<HeldShare>.Empty;
    public RandomBeaconShare? MyBeaconShare { get; set; }
    public ImmutableArray<int> Ranks { get; set; }

    public SmallMap<Digest, BlockProposal> Proposals { get; set; } = SmallMap<Digest, BlockProposal>.Empty;
    public SmallSet<Digest> Valid { get; set; } = SmallSet<Digest>.Empty;
    public SmallSet<int> Disqualified { get; set; } = SmallSet<int>.Empty;
    public BlockProposal? MyProposal { get; set; }

    public SmallMap<Digest, SignerSet<byte[]>> NotarizationShares { get; set; } = SmallMap<Digest, SignerSet<byte[]>>.Empty;
    public SmallMap<Digest, Notarization> Notarized { get; set; } = SmallMap<Digest, Notarization>.Empty;
    public SmallSet<Digest> MyNotarizations { get; set; } = SmallSet<Digest>.Empty;
    public int MyLowestSharedRank { get; set; } = int.MaxValue;
    public ImmutableArray<NotarizationShare> MyNotarizationShares { get; set; } = [];

    public SmallMap<Digest, SignerSet<byte[]>> FinalizationShares { get; set; } = SmallMap<Digest, SignerSet<byte[]>>.Empty;
    public Finalization? Finalization { get; set; }
    public FinalizationShare? MyFinalization { get; set; }
    public Digest? FinalizedHash { get; set; }

    public byte[]? MyStateRoot { get; set; }
    public CertificationShare? MyCertificationShare { get; set; }
    public SmallMap<Digest, SignerSet<HeldShare>> CertificationShares { get; set; } = SmallMap<Digest, SignerSet<HeldShare>>.Empty;

    /// <summary>Signers an invalid beacon or certification share claimed at this height: their further shares are verified on receipt.</summary>
    public SmallSet<int> SuspectShareSigners { get; set; } = SmallSet<int>.Empty;
    public Certification? Certification { get; set; }

    public IngressHistory? HistoryAtHeight { get; set; }
    public CatchUpContent? MyCatchUpContent { get; set; }

    /// <summary>SHA-256 of this replica's checkpoint at this height, when it took one.</summary>
    public byte[]? MyCheckpointHash { get; set; }

    /// <summary>This replica's checkpoint at this height is still being stored: its catch-up share waits.</summary>
    public bool MyCheckpointPending { get; set; }
    public Digest MyCatchUpHash { get; set; }
    public CatchUpShare? MyCatchUpShare { get; set; }
    public SmallMap<Digest, SignerSet<byte[]>> CatchUpShares { get; set; } = SmallMap<Digest, SignerSet<byte[]>>.Empty;

    /// <summary>The finalized block at this height, if this replica has finalized it.</summary>
    public BlockProposal? FinalizedProposal => FinalizedHash is { } h && Proposals.TryGetValue(h, out BlockProposal? p) ? p : null;
}
