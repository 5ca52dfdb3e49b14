using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Hosting;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Replica.Cluster;

/// <summary>
/// One replica's consensus: runs the pure <see cref="ConsensusCore"/> and only routes its inputs and outputs. Peer
/// artifacts, ingress, timers and execution reports become core inputs; the outputs become messages to the peers'
/// consensus actors (by actor path from genesis), Akka scheduler timers, decisions for the replica's execution, and
/// log lines. Artifacts the core asks to persist are journaled before the messages of the same step leave, so a
/// restarted replica never contradicts what it already told its peers; on recovery they are replayed from the
/// latest catch-up package on.
/// </summary>
public sealed class ConsensusActor : ReceivePersistentActor, IWithTimers
{
    /// <summary>Delays up to this many milliseconds use a precise timer rather than Akka's scheduler.</summary>
    private const long PreciseTimerMs = 50;

    private readonly ConsensusCore _core;
    private readonly IReadOnlyList<ActorPath?> _peerPaths;
    private readonly TimeProvider _time;
    private readonly IConsensusDelivery _delivery;
    private readonly ILogger _log;
    private readonly List<ConsensusMessage> _recovered = [];
    private readonly Persistence.JournalTrim _trim = new();
    private bool _written;
    private ICanTell?[] _peers = [];
    private CatchUpPackage? _recoveredCatchUp;
    private ConsensusState _state;
    private readonly Metrics.ReplicaMetrics? _metrics;
    private readonly PeerFrames _frames;
    private readonly ByzantineSender? _byzantine;

    /// <summary>Creates the actor; use <see cref="Props"/>.</summary>
    public ConsensusActor(ConsensusCore core, IReadOnlyList<ActorPath?> peers, TimeProvider time, IConsensusDelivery delivery, ILogger log,
        string persistenceId, PeerFrames frames, Metrics.ReplicaMetrics? metrics = null, ByzantineMode byzantine = ByzantineMode.None)
    {
        _metrics = metrics;
        _frames = frames;
        _byzantine = byzantine == ByzantineMode.None ? null : new ByzantineSender(byzantine, core.Crypto, core.Config.Replicas, core.Crypto.NodeIndex);
        _core = core;
        _peerPaths = peers;
        _time = time;
        _delivery = delivery;
        _log = log;
        PersistenceId = persistenceId;
        _state = core.Initial();

        Recover<ConsensusMessage>(Recovered);
        Recover<RecoveryCompleted>(_ => Self.Tell(new StartConsensus()));
        Command<StartConsensus>(_ => Start());
        CommandAny(_ => Stash.Stash()); // nothing reaches the core before the persisted artifacts are replayed
    }

    /// <inheritdoc/>
    public override string PersistenceId { get; }

    /// <summary>The actor's timers (set by Akka); one per core timer, so setting a timer again replaces it.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// Props for replica <c>core.Crypto.NodeIndex</c>. <paramref name="peers"/> holds, by replica index, the path of each
    /// replica's consensus actor (this replica's own entry is ignored). Decisions go to <paramref name="delivery"/>; each
    /// step's state and events to <paramref name="metrics"/> when given. Peer messages leave sealed by
    /// <paramref name="frames"/>' signer and are believed only through its gate. <paramref name="byzantine"/> makes the replica
    /// misbehave on purpose (tests and research only).
    /// </summary>
    public static Props Props(ConsensusCore core, IReadOnlyList<ActorPath?> peers, TimeProvider time, IConsensusDelivery delivery, ILogger log,
        string persistenceId, PeerFrames frames, Metrics.ReplicaMetrics? metrics = null, ByzantineMode byzantine = ByzantineMode.None)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentException.ThrowIfNullOrWhiteSpace(persistenceId);
        if (peers.Count != core.Config.Replicas)
        {
            throw new ArgumentException($"{peers.Count} peer paths for a subnet of {core.Config.Replicas} replicas", nameof(peers));
        }

        if (frames.Signer.Index != core.Crypto.NodeIndex || frames.Gate.Index != core.Crypto.NodeIndex)
        {
            throw new ArgumentException($"the peer frames of replica {frames.Signer.Index} for replica {core.Crypto.NodeIndex}", nameof(frames));
        }

        return FactoryProps.Of(() => new ConsensusActor(core, peers, time, delivery, log, persistenceId, frames, metrics, byzantine));
    }

    /// <summary>The replica's clock in milliseconds since the epoch.</summary>
    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // A local subnet's clock holds nanoseconds (a TimeProvider only 100 ns ticks): blocks carry them to the canisters.
    private long NowNanos => _time is SubnetClock clock ? clock.NowNanos : (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;

    private int Me => _core.Crypto.NodeIndex;

    /// <inheritdoc/>
    protected override void PreStart()
    {
        // A remote peer is reached by path: its replica's actor receives whatever incarnation runs there. A peer in this
        // ActorSystem (tests) is reached by selection for the same reason; a resolved local ref would stay bound to one
        // incarnation of the peer.
        var provider = ((ExtendedActorSystem)Context.System).Provider;
        Address local = provider.DefaultAddress;
        _peers = [.. _peerPaths.Select((p, i) => i == Me || p is null ? null
            : p.Address == local || p.Address.HasLocalScope ? Context.ActorSelection(p) : (ICanTell)provider.ResolveActorRef(p))];
        base.PreStart();
    }

    private void Recovered(ConsensusMessage m)
    {
        _trim.Persisted(LastSequenceNr, m);
        if (m is CatchUpPackage cup)
        {
            if (cup.Height > (_recoveredCatchUp?.Height ?? 0))
            {
                _recoveredCatchUp = cup;
                _recovered.RemoveAll(x => x.Height <= cup.Height);
            }

            return;
        }

        _recovered.Add(m);
    }

    private void Start()
    {
        // The latest catch-up package first, then what was persisted after it (anything at or below its height is
        // history it already certifies).
        long from = _recoveredCatchUp?.Height ?? 0;
        ImmutableArray<ConsensusMessage> persisted = _recoveredCatchUp is null
            ? [.. _recovered]
            : [_recoveredCatchUp, .. _recovered.Where(m => m.Height > from)];
        _recovered.Clear();
        _log.LogDebug("replica {Index}: journal recovered ({Count} artifacts)", Me, persisted.Length);
        if (persisted.Length > 0)
        {
            _log.LogInformation("replica {Index}: replaying {Count} persisted consensus artifacts from height {From}", Me, persisted.Length, from);
        }

        // Still unhealthy: a journal that failed a write may read fine (a read-only file does); the first write that
        // succeeds again clears the failure, so the status never flaps to healthy between retries.
        Become(Running);
        Step(new StartInput(Now, persisted));
        Stash.UnstashAll();
    }

    private void Running()
    {
        Command<SignedFrame>(f =>
        {
            if ((uint)f.Sender < (uint)_core.Config.Replicas && f.Sender != Me && !SentBy(f.Sender))
            {
                // Before the gate sees it: a relayed copy must not use up the genuine frame's place in the replay window,
                // and answering it (a status request's bundle) would send our bytes to a replica that never asked.
                _frames.Gate.Refused(FrameVerdict.WrongConnection);
                _log.LogDebug("replica {Index}: dropped a frame of replica {From} sent by {Sender}", Me, f.Sender, Sender.Path);
                return;
            }

            FrameVerdict verdict = _frames.Gate.Open(f, out IReplicaMessage? opened);
            if (opened is PeerMessage m)
            {
                OnPeerMessage(m);
            }
            else if (verdict != FrameVerdict.Accepted)
            {
                _log.LogDebug("replica {Index}: dropped a frame from replica {Sender} ({Verdict})", Me, f.Sender, verdict);
            }
        });
        Command<PeerMessage>(_ => _frames.Gate.Refused(FrameVerdict.Unsigned)); // only a frame says who sent it
        Command<SubmitIngress>(m => Step(new IngressSubmitted(Now, m.Message)));
        Command<AdmitPeerIngress>(m => Step(new PeerIngressValidated(Now, m.From, m.Message)));
        Command<ReportExecuted>(m => Step(new BlockExecuted(Now, m.Height, m.StateRoot, m.CheckpointHash, m.CheckpointPending)));
        Command<ReportCheckpointStored>(m => Step(new CheckpointStored(Now, m.Height, m.CheckpointHash)));
        Command<TimerDue>(OnTimer);
        Command<AllowBlocks>(m => Step(new BlocksAllowed(Now, m.UpToHeight)));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => _log.LogWarning("replica {Index}: old journal entries not deleted: {Reason}", Me, f.Cause.Message));
    }

    private void OnPeerMessage(PeerMessage m)
    {
        // The gate checked that the signer is the claimed sender, and the frame came over that replica's connection.
        if ((uint)m.From < (uint)_core.Config.Replicas && m.From != Me)
        {
            if (m.Message is IngressGossip gossip)
            {
                // Checked off the actor as the gateway checks a client's call; only then may the core pool it.
                _delivery.IngressFromPeer(m.From, gossip.Message);
                return;
            }

            Step(new MessageReceived(Now, m.From, m.Message));
        }
    }

    // The sender's actor path must be the claimed replica's consensus actor (any incarnation): Akka.Remote fills it in from
    // the association the message came over, not from the message.
    private bool SentBy(int from)
    {
        ActorPath? expected = _peerPaths[from];
        ActorPath actual = Sender.Path;
        if (expected is null || Sender.IsNobody())
        {
            return false;
        }

        Address local = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress;
        Address Normal(Address a) => a.HasLocalScope ? local : a;
        return Normal(actual.Address) == Normal(expected.Address) && actual.Elements.SequenceEqual(expected.Elements);
    }

    private void OnTimer(TimerDue due)
    {
        long now = Now;
        if (now < due.At)
        {
            Schedule(due); // the scheduler's tick is coarser than the core's milliseconds: never hand the core an early timer
            return;
        }

        Step(new TimerFired(now, due.Timer));
    }

    private void Schedule(TimerDue due)
    {
        long delay = Math.Max(0, due.At - Now);
        if (delay <= PreciseTimerMs)
        {
            // Akka's scheduler ticks every 10 ms, too coarse for the few-millisecond protocol delays (ingress batching, a
            // short notary delay), so those run on the runtime's timer. A timer firing again or late is harmless: the
            // core only acts on what is due at the time it is given.
            IActorRef self = Self;
            _ = Task.Delay(TimeSpan.FromMilliseconds(delay), _time).ContinueWith(_ => self.Tell(due), TaskScheduler.Default);
            return;
        }

        Timers.StartSingleTimer(due.Timer, due, TimeSpan.FromMilliseconds(delay));
    }

    private void Step(ConsensusInput input)
    {
        if (_state.Halted)
        {
            return;
        }

        StepResult result = _core.Step(_state, input with { NowNanos = NowNanos });
        if (result.State.VouchedPeerHeight != _state.VouchedPeerHeight)
        {
            _delivery.PeersVouch(result.State.VouchedPeerHeight);
        }

        _state = result.State;
        _metrics?.Stepped(result);
        List<ConsensusMessage>? artifacts = null;
        List<SendMessage>? sends = null;
        foreach (ConsensusOutput output in result.Outputs)
        {
            switch (output)
            {
                case SendMessage s:
                    (sends ??= []).Add(s);
                    break;
                case PersistArtifact p:
                    (artifacts ??= []).Add(p.Artifact);
                    break;
                case SetTimer t:
                    Schedule(new TimerDue(t.Timer, t.At));
                    break;
                case BlockFinalized or CertificationMade or CatchUpApplied:
                    _delivery.Deliver(output);
                    break;
                case ProtocolEvent e:
                    OnEvent(e);
                    break;
            }
        }

        if (artifacts is null)
        {
            SendAll(sends);
            return;
        }

        int remaining = artifacts.Count;
        PersistAll(artifacts, a =>
        {
            if (!_written)
            {
                _written = true;
                _delivery.PersistenceRecovered();
            }

            _trim.Persisted(LastSequenceNr, a);
            if (a is CatchUpPackage cup && _trim.DeletableAfter(cup.Height, LastSequenceNr) is long upTo)
            {
                DeleteMessages(upTo); // recovery starts at this package and drops everything at or below it
            }

            if (--remaining == 0)
            {
                SendAll(sends);
            }
        });
    }

    private void SendAll(List<SendMessage>? sends)
    {
        if (sends is null)
        {
            return;
        }

        foreach (SendMessage s in sends)
        {
            if (_byzantine is not null)
            {
                _byzantine.Send(s, _state, Send);
                continue;
            }

            Send(s.To, s.Message);
        }
    }

    private void Send(int? to, ConsensusMessage artifact)
    {
        var message = new PeerMessage(Me, artifact);
        if (to is int receiver)
        {
            if ((uint)receiver < (uint)_peers.Length && _peers[receiver] is { } peer)
            {
                peer.Tell(_frames.Signer.Seal(message, receiver), Self);
            }

            return;
        }

        SignedFrame frame = _frames.Signer.Seal(message, SignedFrame.Broadcast); // one signature for every peer
        foreach (ICanTell? peer in _peers)
        {
            peer?.Tell(frame, Self);
        }
    }

    private void OnEvent(ProtocolEvent e)
    {
        switch (e.Kind)
        {
            case ProtocolEventKind.StateDivergence:
                Halt($"the subnet certified a different state root at height {e.Height} than this replica computed ({e.Hash?.Short}): its execution diverged");
                break;
            case ProtocolEventKind.FinalityConflict:
                Halt($"a finalization at height {e.Height} ({e.Hash?.Short}) contradicts this replica's finalized chain: more than f replicas are faulty");
                break;
            case ProtocolEventKind.InvalidArtifact or ProtocolEventKind.InvalidBlock or ProtocolEventKind.MakerDisqualified:
                _log.LogWarning("replica {Index}: {Event}", Me, e);
                break;
            case ProtocolEventKind.CatchUpApplied or ProtocolEventKind.CatchUpMade:
                _log.LogInformation("replica {Index}: {Event}", Me, e);
                break;
            default:
                _log.LogDebug("replica {Index}: {Event}", Me, e);
                break;
        }
    }

    /// <inheritdoc/>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        PersistenceFailed($"the consensus journal failed to write {@event.GetType().Name} at sequence number {sequenceNr}: {cause.Message}");
        base.OnPersistFailure(cause, @event, sequenceNr); // stops the actor: a replica that cannot persist must not vote
    }

    /// <inheritdoc/>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        PersistenceFailed($"the consensus journal rejected {@event.GetType().Name} at sequence number {sequenceNr}: {cause.Message}");
        Context.Stop(Self); // a rejected write is not in the journal: sending what depends on it could contradict a restart
    }

    /// <inheritdoc/>
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        PersistenceFailed($"the consensus journal could not be recovered: {reason.Message}");
        base.OnRecoveryFailure(reason, message);
    }

    private void PersistenceFailed(string reason)
    {
        _log.LogCritical("replica {Index} stops voting: {Reason}", Me, reason);
        _delivery.PersistenceFailed(reason);
    }

    private void Halt(string reason)
    {
        _log.LogCritical("replica {Index} stops: {Reason}", Me, reason);
        _delivery.Halt(reason);
        Context.Stop(Self);
    }
}

/// <summary>Where a consensus actor hands its decisions: the replica's execution.</summary>
public interface IConsensusDelivery
{
    /// <summary>A <see cref="BlockFinalized"/>, <see cref="CertificationMade"/> or <see cref="CatchUpApplied"/>, in order.</summary>
    void Deliver(ConsensusOutput decision);

    /// <summary>Consensus stopped this replica, for the given reason.</summary>
    void Halt(string reason);

    /// <summary>
    /// The consensus journal failed (a write or the recovery): the actor stops, so the replica votes no more, and is
    /// unhealthy for this reason until a restarted actor recovered and wrote again (<see cref="PersistenceRecovered"/>).
    /// </summary>
    void PersistenceFailed(string reason);

    /// <summary>The consensus actor recovered from its journal and wrote to it (its first write after the start succeeded).</summary>
    void PersistenceRecovered();

    /// <summary>At least one honest peer reached this height (the (f+1)-th highest the peers claim).</summary>
    void PeersVouch(long height);

    /// <summary>
    /// Peer <paramref name="from"/> gossiped this call: the replica checks it and, if valid, hands it back for the pool.
    /// False when it was dropped unchecked (the peer is over its quota of calls waiting to be checked).
    /// </summary>
    bool IngressFromPeer(int from, IngressMessage message);
}
