using Akka.Actor;
using Akka.Event;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Wire;

namespace InternetIdentity.Replica.Persistence;

/// <summary>
/// State sync between replicas. Serves this replica's stored checkpoints to peers (<see cref="CheckpointRequest"/>,
/// answered with <see cref="CheckpointChunk"/> pieces), and on <see cref="Fetch"/> gets the checkpoint at a catch-up
/// package's height: first from the local store, else from the peers in turn, starting after itself. What it gets must
/// hash to the package's checkpoint hash (SHA-256 of the checkpoint bytes, signed by n-f replicas: the state root alone
/// does not cover canister state such as II's anchors), and is then handed to the installer, which installs it only if
/// it builds the package's state root; a peer whose checkpoint is missing, malformed, of another hash or root or too
/// slow is skipped and the next one asked, round after round, until one fits. The installed checkpoint is then stored locally, so this replica can serve it in turn.
/// </summary>
public sealed class CheckpointSyncActor : ReceiveActor, IWithTimers
{
    /// <summary>The default piece size: well under the remoting frame limit the cluster configures.</summary>
    public const int DefaultChunkSize = 512 * 1024;

    /// <summary>The most pieces one checkpoint may have (bounds what a peer can make us buffer).</summary>
    public const int MaxChunks = 8192;

    /// <summary>
    /// The default bytes of one window: what a request asks of a peer at once (4 MiB), so a large checkpoint never fills
    /// the transport's buffers (twice the 8 MiB frame) and a lagging replica makes progress under load.
    /// </summary>
    public const int DefaultWindowBytes = 4 * 1024 * 1024;

    private readonly Settings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Attempt? _attempt;
    private IActorRef? _requester;

    /// <summary>Creates the actor; see <see cref="Settings"/>.</summary>
    public CheckpointSyncActor(Settings settings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Receive<SignedFrame>(f =>
        {
            switch (_settings.Frames.Gate.Open(f, out IReplicaMessage? m) == FrameVerdict.Accepted ? m : null)
            {
                case CheckpointRequest r:
                    Serve(r);
                    break;
                case CheckpointChunk c:
                    OnChunk(c);
                    break;
            }
        });
        Receive<CheckpointRequest>(_ => _settings.Frames.Gate.Refused(FrameVerdict.Unsigned)); // only a frame says who asks
        Receive<CheckpointChunk>(_ => _settings.Frames.Gate.Refused(FrameVerdict.Unsigned));
        Receive<Served>(SendPieces);
        Receive<Fetch>(StartFetch);
        Receive<LocalLoaded>(OnLocalLoaded);
        Receive<AttemptTimedOut>(t =>
        {
            if (_attempt is { } a && a.Id == t.AttemptId)
            {
                _log.Warning("checkpoint at height {0}: replica {1} did not deliver within {2}", a.Height, a.Peer, _settings.AttemptTimeout);
                NextPeer();
            }
        });
        Receive<InstallResult>(OnInstallResult);
        Receive<Stored>(OnStored);
    }

    /// <summary>Timers for per-attempt timeouts.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>What the actor needs from its replica.</summary>
    /// <param name="NodeIndex">This replica's index.</param>
    /// <param name="Replicas">How many replicas the subnet has.</param>
    /// <param name="Store">This replica's checkpoint store.</param>
    /// <param name="Peer">The checkpoint sync actor of replica i (null when unknown, e.g. not joined yet).</param>
    /// <param name="Frames">Seals the requests and pieces this replica sends and checks its peers'.</param>
    /// <param name="Install">Installs (height, checkpoint bytes, expected state root); false when it does not build that root.</param>
    /// <param name="AttemptTimeout">How long one peer may take to deliver a window of pieces.</param>
    /// <param name="ChunkSize">The size of the pieces this replica sends.</param>
    /// <param name="MaxStateBytes">The largest checkpoint this replica accepts from a peer (bounds what a peer can make it buffer).</param>
    /// <param name="WindowBytes">How many bytes of pieces one request asks of a peer (per-peer bytes in flight).</param>
    /// <param name="Byzantine">
    /// <see cref="ByzantineMode.BadCheckpoint"/> serves corrupted pieces, <see cref="ByzantineMode.Silent"/> none (tests and research only).
    /// </param>
    public sealed record Settings(int NodeIndex, int Replicas, CheckpointStore Store, Func<int, ICanTell?> Peer, PeerFrames Frames,
        Func<long, byte[], byte[], Task<bool>> Install, TimeSpan AttemptTimeout, int ChunkSize = DefaultChunkSize,
        long MaxStateBytes = WireCodec.MaxCheckpointStateBytes, int WindowBytes = DefaultWindowBytes, ByzantineMode Byzantine = ByzantineMode.None)
    {
        /// <summary>Pieces per window (at least one).</summary>
        public int WindowChunks => Math.Max(1, WindowBytes / Math.Max(1, ChunkSize));
    }

    /// <summary>Get and install the checkpoint at <paramref name="Height"/> whose state root is <paramref name="StateRoot"/>; answered with <see cref="Installed"/>.</summary>
    /// <param name="Height">A catch-up package's height.</param>
    /// <param name="StateRoot">Its certified state root.</param>
    /// <param name="CheckpointHash">
    /// The package's checkpoint hash; without one (replicas that keep no checkpoints signed it) only the local checkpoint
    /// is installed, never a peer's, whose canister state nothing vouches for.
    /// </param>
    public sealed record Fetch(long Height, byte[] StateRoot, byte[]? CheckpointHash);

    /// <summary>The checkpoint at <paramref name="Height"/> is installed and, when a peer sent it, stored (or its store failure logged).</summary>
    /// <param name="Height">Its height.</param>
    /// <param name="FromPeer">The replica it came from, or null when it came from the local store.</param>
    public sealed record Installed(long Height, int? FromPeer);

    private sealed record Served(IActorRef To, int Receiver, long Height, int FirstChunk, Checkpoint? Checkpoint);

    // The checkpoint served last: the windows of one transfer load it once.
    private Checkpoint? _served;

    private sealed record LocalLoaded(long Height, Checkpoint? Checkpoint);

    private sealed record AttemptTimedOut(long AttemptId);

    private sealed record InstallResult(long AttemptId, bool Ok, byte[] State);

    private sealed record Stored(long Height, int Peer, IActorRef? Requester, string? Error);

    private sealed class Attempt(long id, long height, byte[] root, byte[]? hash, int peer)
    {
        public long Id { get; } = id;

        public long Height { get; } = height;

        public byte[] Root { get; } = root;

        public byte[]? Hash { get; } = hash;

        /// <summary>The peer asked, or -1 while the local store is tried.</summary>
        public int Peer { get; } = peer;

        public byte[]?[]? Pieces { get; set; }

        public int Received { get; set; }

        /// <summary>How many pieces were asked for so far (windows from the first piece on).</summary>
        public int Requested { get; set; }

        public long ReceivedBytes { get; set; }

        public bool Installing { get; set; }
    }

    private long _attemptIds;
    private int _asked;

    private void Serve(CheckpointRequest r)
    {
        if (_settings.Byzantine == ByzantineMode.Silent)
        {
            return;
        }

        IActorRef to = Sender;
        if (_served is { } cached && cached.Height == r.Height)
        {
            SendPieces(new Served(to, r.From, r.Height, r.FirstChunk, cached));
            return;
        }

        _settings.Store.LoadAsync(r.Height).ContinueWith(
            t => new Served(to, r.From, r.Height, r.FirstChunk, t.IsCompletedSuccessfully ? t.Result : null),
            TaskScheduler.Default).PipeTo(Self);
    }

    private void SendPieces(Served s)
    {
        if (s.Checkpoint is not { } c)
        {
            s.To.Tell(_settings.Frames.Signer.Seal(new CheckpointChunk(_settings.NodeIndex, s.Height, 0, 0, []), s.Receiver), Self);
            return;
        }

        _served = c;
        int size = _settings.ChunkSize;
        int count = Math.Max(1, (c.State.Length + size - 1) / size);
        for (int i = s.FirstChunk; i < Math.Min(count, s.FirstChunk + _settings.WindowChunks); i++)
        {
            int start = i * size;
            byte[] piece = c.State[start..Math.Min(c.State.Length, start + size)];
            if (_settings.Byzantine == ByzantineMode.BadCheckpoint && piece.Length > 0)
            {
                piece[piece.Length / 2] ^= 0x5A;
            }

            var chunk = new CheckpointChunk(_settings.NodeIndex, s.Height, i, count, piece);
            s.To.Tell(_settings.Frames.Signer.Seal(chunk, s.Receiver), Self);
        }
    }

    private void StartFetch(Fetch f)
    {
        if (_attempt is { } current && current.Height >= f.Height)
        {
            _requester = Sender; // already on it (or on a newer one)
            return;
        }

        _requester = Sender;
        _asked = 0;
        _attempt = new Attempt(++_attemptIds, f.Height, f.StateRoot, f.CheckpointHash, -1);
        long height = f.Height;
        _settings.Store.LoadAsync(height).ContinueWith(
            t => new LocalLoaded(height, t.IsCompletedSuccessfully ? t.Result : null), TaskScheduler.Default).PipeTo(Self);
    }

    private void OnLocalLoaded(LocalLoaded l)
    {
        if (_attempt is not { Peer: -1 } a || a.Height != l.Height)
        {
            return;
        }

        if (l.Checkpoint is null)
        {
            NextPeer();
            return;
        }

        BeginInstall(a, l.Checkpoint.State);
    }

    private void NextPeer()
    {
        if (_attempt is not { } previous)
        {
            return;
        }

        Timers.Cancel("attempt");
        int n = _settings.Replicas;
        int me = _settings.NodeIndex;
        if (n < 2)
        {
            _log.Error("checkpoint at height {0}: no peer to fetch it from", previous.Height);
            return;
        }

        // Peers in turn, starting after this replica; each round visits every other replica once.
        int peer = (me + 1 + (_asked++ % (n - 1))) % n;
        var a = new Attempt(++_attemptIds, previous.Height, previous.Root, previous.Hash, peer);
        _attempt = a;
        Timers.StartSingleTimer("attempt", new AttemptTimedOut(a.Id), _settings.AttemptTimeout);
        if (_settings.Peer(peer) is { } target)
        {
            target.Tell(_settings.Frames.Signer.Seal(new CheckpointRequest(me, a.Height), peer), Self);
        }
        else
        {
            Self.Tell(new AttemptTimedOut(a.Id));
        }
    }

    private void OnChunk(CheckpointChunk c)
    {
        if (_attempt is not { } a || a.Installing || c.From != a.Peer || c.Height != a.Height)
        {
            return; // late pieces of an abandoned attempt
        }

        if (c.Count == 0)
        {
            _log.Info("checkpoint at height {0}: replica {1} has none", a.Height, a.Peer);
            NextPeer();
            return;
        }

        if (c.Count > MaxChunks || c.Index < 0 || c.Index >= c.Count || (a.Pieces is { } p && p.Length != c.Count))
        {
            _log.Warning("checkpoint at height {0}: replica {1} sent an inconsistent piece {2}/{3}", a.Height, a.Peer, c.Index, c.Count);
            NextPeer();
            return;
        }

        if (a.Pieces is null)
        {
            a.Pieces = new byte[]?[c.Count];
            a.Requested = Math.Min(c.Count, _settings.WindowChunks);
        }

        if (c.Index >= a.Requested)
        {
            return; // not asked for yet: an honest peer sends only the window asked for
        }

        if (a.Pieces[c.Index] is null)
        {
            a.Pieces[c.Index] = c.Data;
            a.Received++;
            a.ReceivedBytes += c.Data.Length;
        }

        if (a.ReceivedBytes > _settings.MaxStateBytes)
        {
            _log.Warning("checkpoint at height {0}: replica {1} sent more than {2} bytes", a.Height, a.Peer, _settings.MaxStateBytes);
            NextPeer();
            return;
        }

        if (a.Received == a.Pieces.Length)
        {
            Timers.Cancel("attempt");
            BeginInstall(a, [.. a.Pieces.SelectMany(x => x!)]);
        }
        else if (a.Received == a.Requested && _settings.Peer(a.Peer) is { } peer)
        {
            // This window arrived: ask for the next one, and give the peer a new attempt timeout for it.
            int next = Array.IndexOf(a.Pieces, null);
            a.Requested = Math.Min(a.Pieces.Length, next + _settings.WindowChunks);
            Timers.StartSingleTimer("attempt", new AttemptTimedOut(a.Id), _settings.AttemptTimeout);
            peer.Tell(_settings.Frames.Signer.Seal(new CheckpointRequest(_settings.NodeIndex, a.Height, next), a.Peer), Self);
        }
    }

    private void BeginInstall(Attempt a, byte[] state)
    {
        if (a.Hash is null ? a.Peer >= 0 : !System.Security.Cryptography.SHA256.HashData(state).AsSpan().SequenceEqual(a.Hash))
        {
            // Refused before it is even parsed: the state root does not cover canister state, so only the hash the
            // package's n-f signers vouched for tells a faithful checkpoint from a planted one.
            _log.Warning("checkpoint at height {0} from {1} refused: {2}", a.Height, a.Peer < 0 ? "the local store" : "replica " + a.Peer,
                a.Hash is null ? "the catch-up package vouches for no checkpoint hash" : "its SHA-256 is not the catch-up package's checkpoint hash");
            NextPeer();
            return;
        }

        a.Installing = true;
        Timers.Cancel("attempt"); // the peer delivered; the install may wait for the process's one-at-a-time gate
        long id = a.Id;
        Task<bool> install;
        try
        {
            install = _settings.Install(a.Height, state, a.Root);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            install = Task.FromException<bool>(e);
        }

        install.ContinueWith(t => new InstallResult(id, t.IsCompletedSuccessfully && t.Result, state), TaskScheduler.Default).PipeTo(Self);
    }

    private void OnInstallResult(InstallResult r)
    {
        if (_attempt is not { } a || a.Id != r.AttemptId)
        {
            return;
        }

        if (!r.Ok)
        {
            _log.Warning("checkpoint at height {0} from {1} does not build the certified state root; asking the next replica",
                a.Height, a.Peer < 0 ? "the local store" : "replica " + a.Peer);
            NextPeer();
            return;
        }

        _attempt = null;
        IActorRef? requester = _requester;
        _requester = null;
        if (a.Peer < 0)
        {
            requester?.Tell(new Installed(a.Height, null));
            return;
        }

        // Stored before the requester hears of it, so "installed" also means this replica can serve it to others.
        _log.Info("checkpoint at height {0} installed from replica {1}", a.Height, a.Peer);
        _settings.Store.SaveAsync(new Checkpoint(a.Height, a.Root, r.State)).ContinueWith(
            t => new Stored(a.Height, a.Peer, requester, t.IsCompletedSuccessfully ? null : t.Exception?.GetBaseException().Message ?? "cancelled"),
            TaskScheduler.Default).PipeTo(Self);
    }

    private void OnStored(Stored s)
    {
        if (s.Error is { } error)
        {
            _log.Warning("checkpoint at height {0} installed but not stored: {1}", s.Height, error);
        }

        s.Requester?.Tell(new Installed(s.Height, s.Peer));
    }
}
