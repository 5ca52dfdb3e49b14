using System.Collections.Immutable;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

/// <summary>One step in progress: the state being rebuilt and the outputs collected. Lives only inside Step.</summary>
internal sealed partial class StepRun
{
    private readonly ConsensusCore _core;
    private readonly ConsensusConfig _cfg;
    private IConsensusCrypto _crypto;
    private readonly int _me;

    public StepRun(ConsensusCore core, ConsensusState state)
    {
        _core = core;
        _cfg = core.Config;
        _crypto = core.Crypto;
        _me = core.Crypto.NodeIndex;
        S = state;
        _pool = state.Pool.ToBuilder();
    }

    // The pool is edited in place during a step and frozen into the state once, at the end.
    private readonly ImmutableSortedDictionary<long, HeightPool>.Builder _pool;

    public ConsensusState S { get; private set; }

    /// <summary>The state after the step, with the edited pool frozen in.</summary>
    public ConsensusState Result()
    {
        S.Pool = _pool.ToImmutable();
        return S;
    }

    public List<ConsensusOutput> Out { get; } = [];

    public void Apply(ConsensusInput input)
    {
        switch (input)
        {
            case StartInput start:
                Start(start.Persisted);
                break;
            case MessageReceived m:
                Claimed(m.From, m.Message);
                Handle(m.From, m.Message, trusted: false);
                break;
            case TimerFired t:
                OnTimer(t.Timer);
                break;
            case BlockExecuted e:
                OnExecuted(e.Height, e.StateRoot, e.CheckpointHash, e.CheckpointPending);
                break;
            case CheckpointStored c:
                OnCheckpointStored(c.Height, c.CheckpointHash);
                break;
            case IngressSubmitted i:
                OnIngress(i.Message, _me, gossip: true);
                break;
            case PeerIngressValidated v when v.From != _me:
                OnIngress(v.Message, v.From, gossip: false);
                break;
            case BlocksAllowed a:
                // The round's rank delays count from the permit: time that jumped before it must not make every rank due at
                // once (competing blocks at one height leave it unfinalized until a next height, which nobody may make).
                S.BlocksAllowedUpTo = Math.Max(S.BlocksAllowedUpTo, a.UpToHeight);
                S.RoundStart = a.UpToHeight >= S.Round ? S.Now : S.RoundStart;
                break;
        }
        Progress();
    }

    /// <summary>Notes the height a peer's message says it reached (certified, or finalized for a sync bundle).</summary>
    private void Claimed(int from, ConsensusMessage m)
    {
        long claim = m switch
        {
            StatusRequest s => s.CertifiedHeight,
            SyncBundle b => b.ResponderFinalized,
            CertificationShare c when c.Share.NodeIndex == from => c.Height,
            CatchUpShare c when c.Signer == from => c.Height,
            Certification or CatchUpPackage => m.Height,
            _ => 0,
        };
        int n = _cfg.Replicas;
        if ((uint)from >= (uint)n || from == _me || claim <= 0)
        {
            return;
        }
        ImmutableArray<long> claims = S.PeerClaims.Length == n ? S.PeerClaims : [.. new long[n]];
        if (claims[from] >= claim)
        {
            return;
        }
        claims = claims.SetItem(from, claim);
        long vouched = VouchedHeight(claims.AsSpan(), _me, _cfg.Faulty);
        S.PeerClaims = claims;
        S.VouchedPeerHeight = vouched;
        AskIfFarBehind();
    }

    /// <summary>
    /// f+1 peers claim a height beyond this replica's sync window, so at least one honest peer is there and their live
    /// artifacts fall outside the window: ask the peers ahead for the catch-up package and chain now rather than at the
    /// status timer (whose first request a restarted replica may send before its connections are up). At most once per
    /// half status interval, the interval within which a peer answers the same request once; the claims rise with every
    /// height the peers make, so a request that was lost is made again.
    /// </summary>
    private void AskIfFarBehind()
    {
        if (_replaying || S.VouchedPeerHeight <= S.FinalizedHeight + _cfg.SyncBatch
            || (S.FarBehindAskedAt is { } at && S.Now - at < _cfg.StatusIntervalMs / 2))
        {
            return;
        }
        S.FarBehindAskedAt = S.Now;
        var ask = new StatusRequest(S.FinalizedHeight, S.Round, S.CertifiedHeight);
        for (int peer = 0; peer < S.PeerClaims.Length; peer++)
        {
            if (peer != _me && S.PeerClaims[peer] > S.FinalizedHeight + _cfg.SyncBatch)
            {
                Send(ask, peer);
            }
        }
    }

    /// <summary>The (f+1)-th highest claim of the peers other than <paramref name="me"/>, 0 when there are not that many.</summary>
    private static long VouchedHeight(ReadOnlySpan<long> claims, int me, int faulty)
    {
        Span<long> peers = claims.Length <= 128 ? stackalloc long[claims.Length] : new long[claims.Length];
        int count = 0;
        for (int i = 0; i < claims.Length; i++)
        {
            if (i != me)
            {
                peers[count++] = claims[i];
            }
        }
        peers = peers[..count];
        peers.Sort();
        return faulty < count ? peers[count - 1 - faulty] : 0;
    }

    private HeightPool P(long h) => _pool.TryGetValue(h, out HeightPool? p) ? p : new HeightPool(h) { EditStamp = _stamp };

    private void Put(HeightPool p) => _pool[p.Height] = p;

    // Marks the height pools this step made: no one outside the step has seen them, so it may edit them in place.
    private readonly object _stamp = new();

    /// <summary>
    /// A height pool this step may edit in place and then <see cref="Put"/>: <paramref name="p"/> itself when this step
    /// made it and it is the pool's current entry for its height (or the height has none yet), else a copy of it. Use
    /// only where nothing up the stack reads <paramref name="p"/> afterwards expecting the fields as they were.
    /// </summary>
    private HeightPool Own(HeightPool p)
    {
        if (ReferenceEquals(p.EditStamp, _stamp) && (!_pool.TryGetValue(p.Height, out HeightPool? current) || ReferenceEquals(current, p)))
        {
            return p;
        }
        HeightPool copy = p with { };
        copy.EditStamp = _stamp;
        return copy;
    }

    private bool _replaying;

    private bool InWindow(long h) => h > S.CatchUpHeight && (_replaying || h <= S.Round + _cfg.SyncBatch);

    /// <summary>Counts a peer artifact dropped for being over its sender's allowance.</summary>
    private void Dropped() => S.DroppedArtifacts++;

    private void Send(ConsensusMessage m, int? to = null) => Out.Add(new SendMessage(to, m));

    private void Persist(ConsensusMessage m) => Out.Add(new PersistArtifact(m));

    private void Event(ProtocolEventKind kind, long h, Digest? hash = null, int? node = null) =>
        Out.Add(new ProtocolEvent(kind, h, hash, node));

    private void Timer(TimerKind kind, long h, int rank, long at) => Out.Add(new SetTimer(new ConsensusTimer(kind, h, rank), at));

    private void Start(ImmutableArray<ConsensusMessage> persisted)
    {
        S.RoundStart = S.Now;
        bool restarted = !persisted.IsDefaultOrEmpty;
        if (restarted)
        {
            _replaying = true;
            IConsensusCrypto crypto = _crypto;
            _crypto = new JournalReplayCrypto(crypto); // validated before they were persisted: not checked again
            foreach (ConsensusMessage m in persisted)
            {
                Handle(_me, m, trusted: true);
                TryFinalize();
            }
            _crypto = crypto;
            _replaying = false;
        }
        Timer(TimerKind.Status, 0, 0, S.Now + _cfg.StatusIntervalMs);
        // Restarted or not (a wiped replica starts from genesis into a running subnet), ask the peers at once: on a real
        // transport this also opens the connections, and the peers of a fresh subnet have nothing to answer.
        Send(new StatusRequest(S.FinalizedHeight, S.Round, S.CertifiedHeight));
    }

    private void OnTimer(ConsensusTimer t)
    {
        switch (t.Kind)
        {
            case TimerKind.Status:
                if (S.FinalizedHeight == S.StatusMarkFinalized && S.CertifiedHeight == S.StatusMarkCertified)
                {
                    Send(new StatusRequest(S.FinalizedHeight, S.Round, S.CertifiedHeight));
                }
                S.StatusMarkFinalized = S.FinalizedHeight;
                S.StatusMarkCertified = S.CertifiedHeight;
                Timer(TimerKind.Status, 0, 0, S.Now + _cfg.StatusIntervalMs);
                break;
            case TimerKind.Notary when t.Height == S.Round && t.Rank + 1 < _cfg.BlockMakers:
                Timer(TimerKind.Notary, t.Height, t.Rank + 1, S.RoundStart + NotaryDelay(t.Rank + 1));
                break;
        }
    }

    /// <summary>Delay after the round start before a rank's block may be notarized.</summary>
    internal long NotaryDelay(int rank) => _cfg.InitialNotaryDelayMs + (rank * _cfg.UnitDelayMs);

    /// <summary>Runs every rule that may fire now, until the round stops moving.</summary>
    private void Progress()
    {
        if (S.Halted)
        {
            return;
        }
        for (int guard = 0; guard < 10_000; guard++)
        {
            long round = S.Round;
            SetUpRound();
            ValidatePending();
            TryPropose();
            TryNotarize();
            TryFinalize();
            if (S.Round == round)
            {
                return;
            }
        }
    }

    /// <summary>A block at height h is notarized (h at least the current round): move to h+1.</summary>
    private void AdvanceTo(long h)
    {
        if (h < S.Round)
        {
            return;
        }
        long left = S.Round;
        S.Round = h + 1;
        S.RoundStart = S.Now;
        S.RoundSetUp = false;
        S.RoundIdle = false;
        S.BatchUntil = null;
        S.BatchTarget = null;
        for (long x = left; x <= h; x++)
        {
            MaybeSendFinalizationShare(x);
        }
        PurgeExpiredIngress();
        SetUpRound();
    }

    /// <summary>Starts the current round once the previous beacon is known: beacon share, ranks, timers.</summary>
    private void SetUpRound()
    {
        long h = S.Round;
        if (S.RoundSetUp || P(h - 1).Beacon is not { } previous)
        {
            return;
        }
        S.RoundSetUp = true;
        S.RoundStart = Math.Max(S.RoundStart, S.Now);
        HeightPool p = P(h);
        if (p.Beacon is null && p.MyBeaconShare is null)
        {
            var share = new RandomBeaconShare(h, _crypto.RandomBeacon.SignShare(SigningDomains.RandomBeacon(h, previous)));
            AddBeaconShare(share, verified: true);
            Send(share);
        }
        ImmutableArray<int> ranks = Ranks(h);
        int myRank = ranks[_me];
        long idle = IdleDelay(h);
        if (myRank < _cfg.BlockMakers && (myRank > 0 || idle > 0))
        {
            Timer(TimerKind.BlockMaker, h, myRank, S.RoundStart + idle + (myRank * _cfg.UnitDelayMs));
        }
        Timer(TimerKind.Notary, h, 0, S.RoundStart + NotaryDelay(0));
    }

    /// <summary>
    /// How long an idle maker waits at height h (see <see cref="ConsensusConfig.FirstHeightWithoutIdleDelay"/>).
    /// </summary>
    private long IdleDelay(long h) => h == 1 && _cfg.FirstHeightWithoutIdleDelay ? 0 : _cfg.IdleBlockDelayMs;

    /// <summary>The ranks at height h (from the beacon at h-1), or default when that beacon is unknown.</summary>
    private ImmutableArray<int> Ranks(long h)
    {
        HeightPool p = P(h);
        if (!p.Ranks.IsDefault)
        {
            return p.Ranks;
        }
        if (P(h - 1).Beacon is not { } previous)
        {
            return default;
        }
        ImmutableArray<int> ranks = Ranking.RanksFromBeacon(previous, _cfg.Replicas);
        p = Own(p);
        p.Ranks = ranks;
        Put(p);
        return ranks;
    }
}
