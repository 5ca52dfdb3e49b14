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

    /// <summary>
    /// Execution finished <paramref name="height"/> with this state root (and, at a catch-up height, took the checkpoint
    /// with this hash); consensus signs its certification share. With <paramref name="checkpointPending"/> a checkpoint
    /// was taken and is still being stored: its hash follows in <see cref="ReportCheckpointStored"/>.
    /// </summary>
    void ReportExecuted(long height, byte[] stateRoot, byte[]? checkpointHash = null, bool checkpointPending = false);

    /// <summary>The checkpoint a pending <see cref="ReportExecuted"/> announced is stored; consensus may vouch for it.</summary>
    void ReportCheckpointStored(long height, byte[] checkpointHash);

    /// <summary>
    /// Calls peers gossiped to this replica, each to be checked as the gateway checks a client's call and handed back
    /// through <see cref="PeerIngressChecked"/>; consensus holds none of them before (some may be dropped under a flood).
    /// </summary>
    ChannelReader<GossipedIngress> PeerIngress { get; }

    /// <summary>Why consensus does not run now (e.g. its journal failed and a restart is pending), or null.</summary>
    string? HealthProblem { get; }

    /// <summary>A height at least one honest peer has reached, by what the peers claim (0 when unknown).</summary>
    long VouchedPeerHeight { get; }

    /// <summary>A gossiped call was checked: when <paramref name="valid"/>, consensus may pool it and put it into blocks.</summary>
    void PeerIngressChecked(GossipedIngress ingress, bool valid);
}

/// <summary>A call gossiped by peer <paramref name="From"/>, not yet checked.</summary>
/// <param name="From">The peer's replica index.</param>
/// <param name="Message">The call.</param>
public sealed record GossipedIngress(int From, ConsensusIngress Message);

/// <summary>Consensus stopped this replica (its state diverged from the subnet's, or finality was contradicted).</summary>
/// <param name="message">Why.</param>
public sealed class ReplicaHaltedException(string message) : Exception(message);
