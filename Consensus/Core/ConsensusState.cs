using System.Collections.Immutable;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

/// <summary>One replica's complete, immutable consensus state. Only <see cref="ConsensusCore.Step"/> makes new ones.</summary>
public sealed record ConsensusState
{
    /// <summary>This replica's index.</summary>
    public int NodeIndex { get; init; }

    /// <summary>The latest local clock reading seen.</summary>
    public long Now { get; init; }

    /// <summary>The latest local clock reading seen, in nanoseconds (at least <see cref="Now"/>'s milliseconds).</summary>
    public long NowNanos { get; init; }

    /// <summary>The height being notarized now (one above the highest notarized height).</summary>
    public long Round { get; init; } = 1;

    /// <summary>Highest height with a notarized block known here.</summary>
    public long NotarizedHeight => Round - 1;

    /// <summary>Highest finalized (and delivered) height.</summary>
    public long FinalizedHeight { get; init; }

    /// <summary>Highest height executed, as reported by execution.</summary>
    public long ExecutedHeight { get; init; }

    /// <summary>Highest height whose state root this replica holds a matching certification for.</summary>
    public long CertifiedHeight { get; init; }

    /// <summary>Height of the latest catch-up package held (0 = genesis).</summary>
    public long CatchUpHeight { get; init; }

    /// <summary>True once the replica saw the subnet certify a different state root than its own; it does nothing more.</summary>
    public bool Halted { get; init; }

    /// <summary>The highest height the host allows a block at, under <see cref="ConsensusConfig.ManualBlockMaking"/>.</summary>
    public long BlocksAllowedUpTo { get; init; }

    /// <summary>
    /// Peer artifacts dropped because their sender or signer had used up its allowance at their height (proposals per
    /// maker, shares per signer, ingress per peer); a growing count means a faulty or flooding peer.
    /// </summary>
    public long DroppedArtifacts { get; init; }

    /// <summary>
    /// The highest height each replica claimed to have certified (or finalized) in what it sent here, by index (this
    /// replica's own entry stays 0); claims are not proofs, see <see cref="VouchedPeerHeight"/>.
    /// </summary>
    public ImmutableArray<long> PeerClaims { get; init; } = [];

    /// <summary>
    /// The (f+1)-th highest of the peers' claimed heights: at most f peers are faulty, so at least one honest peer has
    /// reached it. A replica whose certified height is far below it answers from stale state.
    /// </summary>
    public long VouchedPeerHeight { get; init; }

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

    internal long RoundStart { get; init; }
    internal bool RoundSetUp { get; init; }

    /// <summary>This round's maker found nothing new to include at some point (so fresh ingress may be batched).</summary>
    internal bool RoundIdle { get; init; }

    /// <summary>When an idle maker that saw fresh ingress proposes (null: not batching).</summary>
    internal long? BatchUntil { get; init; }
    internal long PendingFinalization { get; init; }
    internal ImmutableSortedDictionary<long, HeightPool> Pool { get; init; } = ImmutableSortedDictionary<long, HeightPool>.Empty;
    internal IngressHistory IngressHistory { get; init; } = IngressHistory.Empty;
    internal IngressPool IngressPool { get; init; } = IngressPool.Empty;
    internal CatchUpPackage? LatestCatchUp { get; init; }

    /// <summary>By peer: when this replica last answered its status request, and the heights it asked from then.</summary>
    internal ImmutableDictionary<int, (long At, long Finalized, long Certified)> StatusAnswered { get; init; } =
        ImmutableDictionary<int, (long At, long Finalized, long Certified)>.Empty;
    internal long StatusMarkFinalized { get; init; } = -1;
    internal long StatusMarkCertified { get; init; } = -1;

    /// <summary>The highest finalized height whose delivery waited for a missing block or beacon and asked peers at once.</summary>
    internal long MissingAskedFor { get; init; }

    /// <summary>The hash of the finalized block at a height, if this replica still holds it.</summary>
    public Digest? FinalizedHashAt(long height) => Pool.TryGetValue(height, out HeightPool? p) ? p.FinalizedHash : null;

    /// <summary>The certification at a height, if held.</summary>
    public Certification? CertificationAt(long height) => Pool.TryGetValue(height, out HeightPool? p) ? p.Certification : null;
}

/// <summary>The result of one step: the next state and what the host must do.</summary>
/// <param name="State">The next state.</param>
/// <param name="Outputs">Outputs, in order.</param>
public sealed record StepResult(ConsensusState State, IReadOnlyList<ConsensusOutput> Outputs);
