using System.Threading.Channels;
using InternetIdentity.Replica.Execution;

namespace InternetIdentity.Replica.Ordering;

/// <summary>
/// Agreement on the order of ingress messages: replicas submit authenticated messages and receive finalized batches in
/// height order, the same batches on every replica. The local implementation is <see cref="LocalOrdering"/>; the
/// consensus actor (ICC-lite inside Akka) replaces it.
/// </summary>
public interface IIngressOrdering
{
    /// <summary>Offers a message for a future batch; false when it is already waiting to be ordered.</summary>
    bool Submit(IngressMessage message);

    /// <summary>The finalized batches for replica <paramref name="replicaIndex"/>, from height 1 on.</summary>
    ChannelReader<Batch> Subscribe(int replicaIndex);
}
