using System.Collections.Concurrent;
using System.Threading.Channels;
using Akka.Actor;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Replica.Ordering;
using ConsensusIngress = InternetIdentity.Consensus.Messages.IngressMessage;

namespace InternetIdentity.Replica.Cluster;

/// <summary>
/// The seam between a replica's execution and its <see cref="ConsensusActor"/>: submissions and execution reports go
/// to the actor as local messages; the actor's decisions queue here, in order, for the execution loop.
/// </summary>
public sealed class ConsensusOrdering : IIngressOrdering, IConsensusDelivery
{
    private readonly Channel<ConsensusOutput> _decisions = Channel.CreateUnbounded<ConsensusOutput>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>How many gossiped calls of one peer may wait to be checked; more are dropped (the peer floods).</summary>
    public const int PeerIngressQuota = 1_000;

    // Bounded per peer: one flooding peer fills its own quota, never the others' (its calls are dropped unchecked, so
    // they never reach consensus from this replica).
    private readonly Channel<GossipedIngress> _peerIngress = Channel.CreateUnbounded<GossipedIngress>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly ConcurrentDictionary<int, int> _pendingByPeer = new();

    private IActorRef _actor = ActorRefs.Nobody;

    /// <summary>Connects the ordering to its consensus actor (created after the ordering, which it delivers to).</summary>
    public void Attach(IActorRef actor) => _actor = actor ?? throw new ArgumentNullException(nameof(actor));

    /// <inheritdoc/>
    public ChannelReader<ConsensusOutput> Decisions => _decisions.Reader;

    /// <inheritdoc/>
    public void Submit(ConsensusIngress message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _actor.Tell(new SubmitIngress(message));
    }

    /// <inheritdoc/>
    public void ReportExecuted(long height, byte[] stateRoot, byte[]? checkpointHash = null, bool checkpointPending = false)
    {
        ArgumentNullException.ThrowIfNull(stateRoot);
        _actor.Tell(new ReportExecuted(height, stateRoot, checkpointHash, checkpointPending));
    }

    /// <inheritdoc/>
    public void ReportCheckpointStored(long height, byte[] checkpointHash)
    {
        ArgumentNullException.ThrowIfNull(checkpointHash);
        _actor.Tell(new ReportCheckpointStored(height, checkpointHash));
    }

    /// <inheritdoc/>
    public ChannelReader<GossipedIngress> PeerIngress => _peerIngress.Reader;

    /// <inheritdoc/>
    public void Deliver(ConsensusOutput decision) => _decisions.Writer.TryWrite(decision);

    /// <inheritdoc/>
    public bool IngressFromPeer(int from, ConsensusIngress message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_pendingByPeer.AddOrUpdate(from, 1, (_, n) => n + 1) > PeerIngressQuota)
        {
            _pendingByPeer.AddOrUpdate(from, 0, (_, n) => n - 1);
            return false;
        }

        return _peerIngress.Writer.TryWrite(new GossipedIngress(from, message));
    }

    /// <inheritdoc/>
    public void PeerIngressChecked(GossipedIngress ingress, bool valid)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        _pendingByPeer.AddOrUpdate(ingress.From, 0, (_, n) => n - 1);
        if (valid)
        {
            _actor.Tell(new AdmitPeerIngress(ingress.From, ingress.Message));
        }
    }

    /// <inheritdoc/>
    public void Halt(string reason) => _decisions.Writer.TryComplete(new ReplicaHaltedException(reason));

    /// <summary>Why the replica's consensus is not running now (its journal failed), or null.</summary>
    public string? PersistenceFailure => Volatile.Read(ref _persistenceFailure);

    private string? _persistenceFailure;

    /// <inheritdoc/>
    public void PersistenceFailed(string reason) => Volatile.Write(ref _persistenceFailure, reason);

    /// <inheritdoc/>
    public void PersistenceRecovered() => Volatile.Write(ref _persistenceFailure, null);

    /// <inheritdoc/>
    public string? HealthProblem => PersistenceFailure;

    private long _vouched;

    /// <inheritdoc/>
    public void PeersVouch(long height) => Volatile.Write(ref _vouched, height);

    /// <inheritdoc/>
    public long VouchedPeerHeight => Volatile.Read(ref _vouched);
}
