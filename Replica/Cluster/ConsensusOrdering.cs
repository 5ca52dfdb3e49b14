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

    // Bounded: checking peers' calls early is an optimisation, so under a flood the oldest unchecked ones are dropped
    // (execution checks them instead).
    private readonly Channel<ConsensusIngress> _peerIngress = Channel.CreateBounded<ConsensusIngress>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });

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
    public void ReportExecuted(long height, byte[] stateRoot)
    {
        ArgumentNullException.ThrowIfNull(stateRoot);
        _actor.Tell(new ReportExecuted(height, stateRoot));
    }

    /// <inheritdoc/>
    public ChannelReader<ConsensusIngress> PeerIngress => _peerIngress.Reader;

    /// <inheritdoc/>
    public void Deliver(ConsensusOutput decision) => _decisions.Writer.TryWrite(decision);

    /// <inheritdoc/>
    public void IngressFromPeer(ConsensusIngress message) => _peerIngress.Writer.TryWrite(message);

    /// <inheritdoc/>
    public void Halt(string reason) => _decisions.Writer.TryComplete(new ReplicaHaltedException(reason));
}
