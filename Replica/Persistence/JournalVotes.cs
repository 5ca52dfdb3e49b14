using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Wire;

namespace InternetIdentity.Replica.Persistence;

/// <summary>
/// What a replica's consensus journal says it voted for, read without running consensus: the highest height of
/// anything it persisted (its proposals, shares and what it finalized), which a reset would make it forget.
/// </summary>
public static class JournalVotes
{
    /// <summary>
    /// The highest height in replica <c>config.NodeIndex</c>'s consensus journal in <paramref name="storage"/> (0 when
    /// it is empty). Throws TimeoutException when the journal cannot be read within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<long> HighestHeightAsync(ReplicaStorage storage, GenesisConfig config, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(config);
        Config akka = storage.ConfigFor(config.NodeIndex)
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF"))
            .WithFallback(ConfigurationFactory.ParseString(ReplicaSerializer.Hocon));
        using ActorSystem system = ActorSystem.Create("journal-votes", akka);
        try
        {
            var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(FactoryProps.Of(() => new Reader(ReplicaConsensus.PersistenceId(config), done)));
            return await done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private sealed class Reader : ReceivePersistentActor
    {
        private readonly TaskCompletionSource<long> _done;
        private long _highest;

        public Reader(string persistenceId, TaskCompletionSource<long> done)
        {
            _done = done;
            PersistenceId = persistenceId;
            Recover<ConsensusMessage>(m => _highest = Math.Max(_highest, m.Height));
            Recover<RecoveryCompleted>(_ =>
            {
                done.TrySetResult(_highest);
                Context.Stop(Self);
            });
        }

        public override string PersistenceId { get; }

        protected override void OnRecoveryFailure(Exception reason, object? message = null)
        {
            _done.TrySetException(new IOException($"the consensus journal could not be read: {reason.Message}", reason));
            base.OnRecoveryFailure(reason, message);
        }
    }
}
