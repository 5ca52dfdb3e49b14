using System.Collections.Immutable;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

/// <summary>
/// One replica's complete, immutable consensus state. Only <see cref="ConsensusCore.Step"/> makes new ones: it copies the
/// state once and sets fields on that copy, which nothing else sees until the step returns it.
/// </summary>
public sealed record ConsensusState
{
    /// <summary>This replica's index.</summary>
    public int NodeIndex { get; internal set; }

    /// <summary>The latest local clock reading seen.</summary>
    public long Now { get; internal set; }

    /// <summary>The latest local clock reading seen, in nanoseconds (at least <see cref="Now"/>'s milliseconds).</summary>
    public long NowNanos { get; init; }

    /// <summary>The height being notarized now (one above the highest notarized height).</summary>
    public long Round { get; internal set; } = 1;

    /// <summary>Highest height with a notarized block known here.</summary>
    public long NotarizedHeight => Round - 1;

    /// <summary>Highest finalized (and delivered) height.</summary>
    public long FinalizedHeight { get; internal set; }

    /// <summary>Highest height executed, as reported by execution.</summary>
    public long ExecutedHeight { get; internal set; }

    /// <summary>Highest height whose state root this replica holds a matching certification for.</summary>
    public long CertifiedHeight { get; internal set; }

    /// <summary>Height of the latest catch-up package held (0 = genesis).</summary>
    public long CatchUpHeight { get; internal set; }

    /// <summary>True once the replica saw the subnet certify a different state root than its own; it does nothing more.</summary>
    public bool Halted { get; internal set; }

    /// <summary>The highest height the host allows a block at, under <see cref="ConsensusConfig.ManualBlockMaking"/>.</summary>
    public long BlocksAllowedUpTo { get; internal set; }

    /// <summary>
    /// Peer artifacts dropped because their sender or signer had used up its allowance at their height (proposals per
    /// maker, shares per signer, ingress per peer); a growing count means a faulty or flooding peer.
    /// </summary>
    public long DroppedArtifacts { get; internal set; }

    /// <summary>
    /// The highest height each replica claimed to have certified (or finalized) in what it sent here, by index (this
    /// replica's own entry stays 0); claims are not proofs, see <see cref="VouchedPeerHeight"/>.
    /// </summary>
    public ImmutableArray<long> PeerClaims { get; internal set; } = [];

    /// <summary>
    /// The (f+1)-th highest of the peers' claimed heights: at most f peers are faulty, so at least one honest peer has
    /// reached it. A replica whose certified height is far below it answers from stale state.
    /// </summary>
    public long VouchedPeerHeight { get; internal set; }

    /// <summary>Ingress messages waiting to be included in a block.</summary>
    public int IngressPoolSize => IngressPool.Count;

    /// <summary>The heights the artifact pool holds.</summary>
    public int PoolHeights => Pool.Count;

    /// <summary>
    /// The proposals and shares the artifact pool holds over every height (computed on each call): what the per-peer,
    /// per-height bounds keep bounded whatever the peers send.
    /// </summary>
    public int PoolArtifacts => Pool.Values.Sum(p => p.Proposals.Count + p.BeaconShares.Count
        + p.NotarizationShares.Values.Sum(s => s.Count) + p.FinalizationShares.Values.Sum(s => s.Count)
        + p.CertificationShares.Values.Sum(s => s.Count) + p.CatchUpShares.Values.Sum(s => s.Count));

    internal long RoundStart { get; set; }
    internal bool RoundSetUp { get; set; }

    /// <summary>This round's maker found nothing new to include at some point (so fresh ingress may be batched).</summary>
    internal bool RoundIdle { get; set; }

    /// <summary>When an idle maker that saw fresh ingress proposes (null: not batching).</summary>
    internal long? BatchUntil { get; set; }

    /// <summary>
    /// How many calls end this round's batch early (null: not known yet): the parent's calls, whose clients its
    /// certification answered, plus the calls already waiting when the maker could first propose.
    /// </summary>
    internal int? BatchTarget { get; set; }
    internal long PendingFinalization { get; set; }
    internal ImmutableSortedDictionary<long, HeightPool> Pool { get; set; } = ImmutableSortedDictionary<long, HeightPool>.Empty;
    internal IngressHistory IngressHistory { get; set; } = IngressHistory.Empty;
    internal IngressPool IngressPool { get; set; } = IngressPool.Empty;
    internal CatchUpPackage? LatestCatchUp { get; set; }

    /// <summary>By peer: when this replica last answered its status request, and the heights it asked from then.</summary>
    internal ImmutableDictionary<int, (long At, long Finalized, long Certified)> StatusAnswered { get; set; } =
        ImmutableDictionary<int, (long At, long Finalized, long Certified)>.Empty;
    internal long StatusMarkFinalized { get; set; } = -1;
    internal long StatusMarkCertified { get; set; } = -1;

    /// <summary>When this replica last asked its peers because they vouched for a height beyond its sync window (null: never).</summary>
    internal long? FarBehindAskedAt { get; set; }

    /// <summary>The highest finalized height whose delivery waited for a missing block or beacon and asked peers at once.</summary>
    internal long MissingAskedFor { get; set; }

    /// <summary>The hash of the finalized block at a height, if this replica still holds it.</summary>
    public Digest? FinalizedHashAt(long height) => Pool.TryGetValue(height, out HeightPool? p) ? p.FinalizedHash : null;

    /// <summary>The certification at a height, if held.</summary>
    public Certification? CertificationAt(long height) => Pool.TryGetValue(height, out HeightPool? p) ? p.Certification : null;
}

/// <summary>The result of one step: the next state and what the host must do.</summary>
/// <param name="State">The next state.</param>
/// <param name="Outputs">Outputs, in order.</param>
public sealed record StepResult(ConsensusState State, IReadOnlyList<ConsensusOutput> Outputs);
