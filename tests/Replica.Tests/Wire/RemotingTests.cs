using Akka.Actor;
using Akka.Configuration;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Tests.Cluster;
using InternetIdentity.Replica.Wire;

namespace InternetIdentity.Replica.Tests.Wire;

/// <summary>Two ActorSystems over loopback TCP: replica messages cross a real association through ReplicaSerializer.</summary>
public class RemotingTests : NUnitTestKit
{
    private const int Seed = 1000;

    private static readonly Config Remote = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp {
          hostname = 127.0.0.1
          port = 0
          maximum-frame-size = 8MiB
          send-buffer-size = 16MiB
          receive-buffer-size = 16MiB
        }
        """).WithFallback(ConfigurationFactory.ParseString(ReplicaSerializer.Hocon));

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    public RemotingTests()
        : base(Remote, "subnet")
    {
    }

    [Test]
    public async Task Tell_PeerMessageWithFullBlockToOtherSystem_ArrivesEqual()
    {
        // 1000 ingress messages of 4000 bytes: the block limits' worth, about 4 MB on the wire.
        var sent = new PeerMessage(2, new WireSamples(Seed).Proposal(WireCodec.Limits.MaxIngressMessagesPerBlock, 4000));
        await WithPeerSystem(sender =>
        {
            sender.Tell(sent);
            var got = ExpectMsg<PeerMessage>(Generous, $"seed {Seed}, receiver {Address}");
            Assert.That(got.From, Is.EqualTo(2));
            var proposal = (BlockProposal)got.Message;
            Assert.That(proposal.Block.Hash, Is.EqualTo(((BlockProposal)sent.Message).Block.Hash), $"seed {Seed}");
            Assert.That(WireSamples.Render(got), Is.EqualTo(WireSamples.Render(sent)), $"seed {Seed}");
        });
    }

    [Test]
    public async Task Tell_UndecodableMessageThenValidOne_DropsOnlyTheFirst()
    {
        // Encodes fine, but the receiver refuses a block over the message limit: remoting must drop that message
        // and keep the association, so the next message still arrives, and first.
        var oversized = new PeerMessage(1, new WireSamples(Seed).Proposal(WireCodec.Limits.MaxIngressMessagesPerBlock + 1, 1));
        var valid = new PeerMessage(1, new StatusRequest(3, 4, 2));
        await WithPeerSystem(sender =>
        {
            sender.Tell(oversized);
            sender.Tell(valid);
            var got = ExpectMsg<PeerMessage>(Generous, $"receiver {Address}");
            Assert.That(got.Message, Is.EqualTo(valid.Message));
        });
    }

    private Address Address => ((ExtendedActorSystem)Sys).Provider.DefaultAddress;

    /// <summary>Runs <paramref name="test"/> with a selection of this test's actor as seen from a second system.</summary>
    private async Task WithPeerSystem(Action<ActorSelection> test)
    {
        ActorSystem peer = ActorSystem.Create("subnet", Remote);
        try
        {
            test(peer.ActorSelection(TestActor.Path.ToStringWithAddress(Address)));
        }
        finally
        {
            await peer.Terminate().WaitAsync(Generous);
        }
    }
}
