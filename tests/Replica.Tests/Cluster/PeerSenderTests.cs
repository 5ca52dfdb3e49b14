using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using InternetIdentity.Consensus;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Genesis;
using Microsoft.Extensions.Logging.Abstractions;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>A peer message is believed only from the connection of the replica it claims to come from.</summary>
public sealed class PeerSenderTests : NUnitTestKit
{
    public PeerSenderTests()
        : base(ConfigurationFactory.ParseString("akka.persistence.journal.plugin = \"akka.persistence.journal.inmem\""))
    {
    }

    [Test]
    public void StatusRequest_ClaimingAnotherReplica_IsNotAnsweredToThatReplicaButTheGenuineOneIs()
    {
        GenesisConfig config = TestSubnets.Create(4)[0];
        TestProbe replica1 = CreateTestProbe("replica-1");
        TestProbe forger = CreateTestProbe("forger");
        replica1.IgnoreMessages(m => m is not PeerMessage { Message: SyncBundle });
        ActorPath nobody = ActorPath.Parse($"{((ExtendedActorSystem)Sys).Provider.DefaultAddress}/user/nobody");
        IActorRef consensus = Sys.ActorOf(ConsensusActor.Props(ReplicaConsensus.CreateCore(config, new ConsensusConfig()),
            [null, replica1.Ref.Path, nobody, nobody], TimeProvider.System, new ConsensusOrdering(), NullLogger.Instance,
            ReplicaConsensus.PersistenceId(config)));

        // Claims to be replica 1: the bundle would go to replica 1, which never asked.
        consensus.Tell(new PeerMessage(1, new StatusRequest(0, 1, 0)), forger.Ref);
        replica1.ExpectNoMsg(TimeSpan.FromMilliseconds(1500));

        consensus.Tell(new PeerMessage(1, new StatusRequest(0, 1, 0)), replica1.Ref);
        PeerMessage answer = replica1.ExpectMsg<PeerMessage>(TimeSpan.FromSeconds(30));
        Assert.That(answer.From, Is.Zero);
        Assert.That(answer.Message, Is.InstanceOf<SyncBundle>());
    }
}
