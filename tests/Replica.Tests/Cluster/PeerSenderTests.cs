using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using InternetIdentity.Consensus;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>A peer message is believed only in a frame signed by the replica it claims, over that replica's connection.</summary>
public sealed class PeerSenderTests : NUnitTestKit
{
    public PeerSenderTests()
        : base(ConfigurationFactory.ParseString("akka.persistence.journal.plugin = \"akka.persistence.journal.inmem\""))
    {
    }

    [Test]
    public void StatusRequest_ClaimingAnotherReplica_IsNotAnsweredToThatReplicaButTheGenuineOneIs()
    {
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        TestProbe replica1 = CreateTestProbe("replica-1");
        TestProbe forger = CreateTestProbe("forger");
        replica1.IgnoreMessages(m => !(m is SignedFrame f && WireCodec.TryDecodeFramePayload(f.Payload, out IReplicaMessage? p)
            && p is PeerMessage { Message: SyncBundle }));
        ActorPath nobody = ActorPath.Parse($"{((ExtendedActorSystem)Sys).Provider.DefaultAddress}/user/nobody");
        PeerFrames frames0 = TestSubnets.Frames(configs[0]);
        IActorRef consensus = Sys.ActorOf(ConsensusActor.Props(ReplicaConsensus.CreateCore(configs[0], new ConsensusConfig()),
            [null, replica1.Ref.Path, nobody, nobody], TimeProvider.System, new ConsensusOrdering(), NullLogger.Instance,
            ReplicaConsensus.PersistenceId(configs[0]), frames0));
        FrameSigner signer1 = TestSubnets.Frames(configs[1]).Signer;

        // A frame replica 1 really signed, relayed by another connection: the bundle would go to replica 1, which never asked.
        consensus.Tell(signer1.Seal(new PeerMessage(1, new StatusRequest(0, 1, 0)), 0), forger.Ref);
        // Unsigned, from replica 1's own connection: nothing says who wrote it.
        consensus.Tell(new PeerMessage(1, new StatusRequest(0, 1, 0)), replica1.Ref);
        AwaitCondition(() => frames0.Gate.Count(FrameVerdict.WrongConnection) == 1 && frames0.Gate.Count(FrameVerdict.Unsigned) == 1,
            TimeSpan.FromSeconds(30), "the relayed and the unsigned request counted as dropped");
        replica1.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // an answer would have been sent before the drop was counted

        consensus.Tell(signer1.Seal(new PeerMessage(1, new StatusRequest(0, 1, 0)), 0), replica1.Ref);
        SignedFrame answer = replica1.ExpectMsg<SignedFrame>(TimeSpan.FromSeconds(30));
        Assert.That(FrameGate.For(configs[1]).Open(answer, out IReplicaMessage? opened), Is.EqualTo(FrameVerdict.Accepted));
        Assert.That(opened, Is.InstanceOf<PeerMessage>());
        Assert.That(((PeerMessage)opened!).From, Is.Zero);
        Assert.That(((PeerMessage)opened!).Message, Is.InstanceOf<SyncBundle>());
        Assert.That(answer.Receiver, Is.EqualTo(1), "an answer is addressed to the asker alone");
    }
}
