namespace InternetIdentity.Consensus;

/// <summary>Subnet-wide consensus parameters (ICC-lite); every replica must use the same values.</summary>
public sealed record ConsensusConfig
{
    /// <summary>Number of replicas n (n = 3f+1 tolerates f faults).</summary>
    public int Replicas { get; init; } = 4;

    /// <summary>Faults tolerated, f = floor((n-1)/3).</summary>
    public int Faulty => (Replicas - 1) / 3;

    /// <summary>Shares that notarize a block: n-f.</summary>
    public int NotarizationThreshold => Replicas - Faulty - (Faults.HasFlag(ProtocolFaults.QuorumsTooLow) ? 1 : 0);

    /// <summary>Shares that finalize a block: n-f.</summary>
    public int FinalizationThreshold => Replicas - Faulty - (Faults.HasFlag(ProtocolFaults.QuorumsTooLow) ? 1 : 0);

    /// <summary>Shares that make a random beacon: f+1.</summary>
    public int BeaconThreshold => Faulty + 1;

    /// <summary>Shares that certify a state root: 2f+1.</summary>
    public int CertificationThreshold => 2 * Faulty + 1;

    /// <summary>Signatures that make a catch-up package: n-f.</summary>
    public int CatchUpThreshold => Replicas - Faulty;

    /// <summary>Replicas of ranks 0..f make blocks.</summary>
    public int BlockMakers => Faulty + 1;

    /// <summary>Delay between consecutive ranks, in milliseconds (local network default 200).</summary>
    public long UnitDelayMs { get; init; } = 200;

    /// <summary>Delay before notarizing a rank-0 block, in milliseconds (local network default 50).</summary>
    public long InitialNotaryDelayMs { get; init; } = 50;

    /// <summary>
    /// How long a block maker with no pending ingress waits before proposing an empty block, in milliseconds (0: never
    /// waits). Ingress arriving meanwhile is proposed at once, so this only slows an idle subnet down; safety never
    /// depends on timing.
    /// </summary>
    public long IdleBlockDelayMs { get; init; }

    /// <summary>
    /// When true, height 1 is proposed without the <see cref="IdleBlockDelayMs"/> wait, so a fresh subnet certifies its
    /// first state (what a host's readiness waits for) one idle round sooner.
    /// </summary>
    public bool FirstHeightWithoutIdleDelay { get; init; }

    /// <summary>
    /// How long an idle block maker (see <see cref="IdleBlockDelayMs"/>) waits after the first fresh ingress before
    /// proposing, in milliseconds (0: proposes at once), so that a burst of calls lands in one block instead of being
    /// split over several rounds. A maker that is busy when its round starts proposes at once. The batch also ends as soon
    /// as it holds the calls that were waiting plus as many fresh ones as the parent block carried (the clients its
    /// replies answered), so closed-loop clients, and a lone one, do not wait out the delay.
    /// </summary>
    public long IngressBatchDelayMs { get; init; }

    /// <summary>
    /// Whether a block maker holding fresh ingress waits until its parent block's state is certified (at most
    /// <see cref="IdleBlockDelayMs"/> into the round) before proposing. Calls that arrive while a block executes then
    /// share the next block instead of each group making its own height: fewer heights for the same calls, each height
    /// costing the same threshold-signature work, at the price of pipelining. Off by default (ICC proposes at once);
    /// safety never depends on it.
    /// </summary>
    public bool AwaitParentCertification { get; init; }

    /// <summary>
    /// Whether blocks are made only up to the height the host allows (<see cref="Core.BlocksAllowed"/>), each at once and
    /// without idle waits: a test network's manual time mode, where a block is one tick.
    /// </summary>
    public bool ManualBlockMaking { get; init; }

    /// <summary>A catch-up package is made at every height divisible by this.</summary>
    public long CatchUpInterval { get; init; } = 100;

    /// <summary>How far a block's time may run ahead of the validator's clock, in milliseconds.</summary>
    public long PermittedDriftMs { get; init; } = 30_000;

    /// <summary>Longest ingress expiry accepted beyond the current time (5 minutes).</summary>
    public long MaxIngressTtlMs { get; init; } = 300_000;

    /// <summary>Largest accepted ingress message payload, in bytes (2 MiB).</summary>
    public int MaxIngressMessageBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>At most this many messages wait in the ingress pool.</summary>
    public int MaxIngressPoolMessages { get; init; } = 20_000;

    /// <summary>At most this many bytes of messages wait in the ingress pool (256 MiB).</summary>
    public long MaxIngressPoolBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>At most this many messages gossiped by one peer wait in the ingress pool.</summary>
    public int MaxIngressPoolMessagesPerPeer { get; init; } = 5_000;

    /// <summary>At most this many bytes of messages gossiped by one peer wait in the ingress pool (64 MiB).</summary>
    public long MaxIngressPoolBytesPerPeer { get; init; } = 64L * 1024 * 1024;

    /// <summary>At most this many ingress messages per block.</summary>
    public int MaxIngressMessagesPerBlock { get; init; } = 1000;

    /// <summary>At most this many payload bytes per block (4 MiB).</summary>
    public int MaxBlockPayloadBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>A replica stops notarizing when notarized minus certified height reaches this.</summary>
    public long MaxNotarizationCertificationGap { get; init; } = 70;

    /// <summary>A replica whose finalized height stood still this long asks its peers for what it missed.</summary>
    public long StatusIntervalMs { get; init; } = 1000;

    /// <summary>
    /// The byte budget of one catch-up response (6 MiB, under the transport's 8 MiB frame): it holds fewer heights when
    /// blocks are large, and the lagging replica asks again at once for the rest. One finalized height is always sent.
    /// </summary>
    public int MaxSyncBundleBytes { get; init; } = 6 * 1024 * 1024;

    /// <summary>Heights per catch-up response, and how far ahead of its round a replica keeps artifacts.</summary>
    public int SyncBatch { get; init; } = 50;

    /// <summary>Subnet genesis seed: the genesis block and the first random beacon derive from it.</summary>
    public byte[] GenesisSeed { get; init; } = new byte[32];

    /// <summary>Deliberately broken rules, switched on only by tests to prove the invariant checker works.</summary>
    internal ProtocolFaults Faults { get; init; }

    /// <summary>Throws ArgumentException when the parameters cannot run a subnet.</summary>
    public void Validate()
    {
        if (Replicas < 1)
        {
            throw new ArgumentException("a subnet needs at least one replica", nameof(Replicas));
        }
        if (UnitDelayMs <= 0 || InitialNotaryDelayMs < 0 || StatusIntervalMs <= 0 || IdleBlockDelayMs < 0 || IngressBatchDelayMs < 0)
        {
            throw new ArgumentException("delays must be positive", nameof(UnitDelayMs));
        }
        if (CatchUpInterval < 1 || SyncBatch < 1 || MaxSyncBundleBytes < 1)
        {
            throw new ArgumentException("the catch-up interval, sync batch and sync bundle budget must be at least 1", nameof(CatchUpInterval));
        }
        if (MaxIngressPoolMessages < 1 || MaxIngressPoolMessagesPerPeer < 1 || MaxIngressPoolBytes < 1 || MaxIngressPoolBytesPerPeer < 1)
        {
            throw new ArgumentException("the ingress pool's quotas must be positive", nameof(MaxIngressPoolMessages));
        }
        if (GenesisSeed.Length != 32)
        {
            throw new ArgumentException("the genesis seed is 32 bytes", nameof(GenesisSeed));
        }
    }
}

/// <summary>Rules a test build can break on purpose.</summary>
[Flags]
internal enum ProtocolFaults
{
    None = 0,

    /// <summary>Block makers and validators ignore request ids in notarized, not yet finalized ancestors.</summary>
    IgnoreAncestorRequestIds = 1,

    /// <summary>Notarization and finalization need n-f-1 shares instead of n-f, so two halves can each finalize.</summary>
    QuorumsTooLow = 2,

    /// <summary>A replica sends a finalization share even after notarizing several blocks at a height.</summary>
    FinalizeAfterSeveralNotarizations = 4,
}
