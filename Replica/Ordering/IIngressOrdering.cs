using System.Threading.Channels;
using InternetIdentity.Consensus.Core;
using ConsensusIngress = InternetIdentity.Consensus.Messages.IngressMessage;

namespace InternetIdentity.Replica.Ordering;

/// <summary>
/// Agreement on the order of ingress messages, as one replica sees it: the replica submits authenticated messages and
/// receives, in order, what consensus decided (<see cref="BlockFinalized"/> in height order without gaps,
/// <see cref="CertificationMade"/> for state roots that match its own, <see cref="CatchUpApplied"/> when it jumped
/// ahead), and reports the state root after executing each height. The reader completes with a
/// <see cref="ReplicaHaltedException"/> when consensus stopped this replica.
/// </summary>
public interface IIngressOrdering
{
    /// <summary>Offers a message (its content is the signed envelope) for a future block.</summary>
    void Submit(ConsensusIngress message);

    /// <summary>Consensus decisions for this replica, in order.</summary>
    ChannelReader<ConsensusOutput> Decisions { get; }

    /// <summary>Execution finished <paramref name="height"/> with this state root; consensus signs its certification share.</summary>
    void ReportExecuted(long height, byte[] stateRoot);

    /// <summary>Calls peers gossiped to this replica, so it can check their signatures before they are executed (some may be dropped).</summary>
    ChannelReader<ConsensusIngress> PeerIngress { get; }
}

/// <summary>Consensus stopped this replica (its state diverged from the subnet's, or finality was contradicted).</summary>
/// <param name="message">Why.</param>
public sealed class ReplicaHaltedException(string message) : Exception(message);
