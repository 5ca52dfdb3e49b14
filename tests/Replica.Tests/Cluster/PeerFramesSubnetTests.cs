using System.Net;
using Akka.Actor;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Metrics;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>Signed frames over real remoting: a 4-replica subnet certifies, and bad frames sent over it are dropped and counted.</summary>
[NonParallelizable]
public sealed class PeerFramesSubnetTests
{
    [Test]
    public async Task LocalSubnet_ForgedReplayedImpersonatingAndForeignFrames_AreDroppedCountedAndTheSubnetKeepsCertifying()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        await using LocalSubnet subnet = await LocalSubnet.StartAsync(configs, () => [], new TestClock(), IPAddress.Loopback, 0,
            cancellationToken: cts.Token);
        CertifiedState before = await subnet.WaitUntilCertifiedAsync(cts.Token);
        ReplicaHost target = subnet.Hosts[0];
        ReplicaHost replica1 = subnet.Hosts[1];
        Assert.That(target.Frames.Gate.Count(FrameVerdict.Accepted), Is.GreaterThan(0), "the subnet certified through signed frames");

        // Everything below is sent from replica 1's consensus actor's connection, so only the frame itself can be at fault.
        IActorRef from = await replica1.System.ActorSelection("/user/" + ReplicaHost.ConsensusActorName).ResolveOne(TimeSpan.FromSeconds(30));
        ActorSelection to = replica1.System.ActorSelection(new RootActorPath(target.Address) / "user" / ReplicaHost.ConsensusActorName);
        var status = new PeerMessage(1, new StatusRequest(0, 0, 0));
        using var stranger = new NodeKey(Enumerable.Repeat((byte)7, 32).ToArray());
        SignedFrame genuine = replica1.Frames.Signer.Seal(status, 0);
        to.Tell(new FrameSigner(stranger, configs[1].SubnetId.Bytes, 1, long.MaxValue / 2).Seal(status, 0), from);     // forged
        to.Tell(genuine, from);
        to.Tell(genuine, from);                                                                                          // replayed
        to.Tell(replica1.Frames.Signer.Seal(new PeerMessage(2, new StatusRequest(0, 0, 0)), 0), from);                  // claims replica 2
        to.Tell(new FrameSigner(configs[1].NodeKey, TestSubnets.Create(4, seed: 2)[0].SubnetId.Bytes, 1, long.MaxValue / 2)
            .Seal(status, 0), from);                                                                                     // another subnet
        to.Tell(replica1.Frames.Signer.Seal(status, 2), from);                                                          // for replica 2

        FrameGate gate = target.Frames.Gate;
        while (gate.Count(FrameVerdict.BadSignature) < 2 || gate.Count(FrameVerdict.Replayed) < 1 || gate.Count(FrameVerdict.SenderMismatch) < 1
            || gate.Count(FrameVerdict.Misaddressed) < 1)
        {
            Assert.That(cts.IsCancellationRequested, Is.False, $"waited for the drops to be counted: {Describe(gate)}");
            await Task.Delay(20, cts.Token);
        }

        MetricFamily dropped = target.Metrics.Collect().Single(f => f.Name == "iinet_peer_frames_dropped_total");
        Assert.That(dropped.Samples.Select(s => (s.Label("reason"), s.Value)),
            Is.SupersetOf(new[] { ("bad_signature", 2.0), ("replayed", 1.0), ("sender_mismatch", 1.0), ("misaddressed", 1.0) }));
        CertifiedState after = await target.Node.WaitForCertificationAsync(before.Height + 3, cts.Token);
        Assert.That(after.Height, Is.GreaterThan(before.Height + 3));
    }

    private static string Describe(FrameGate gate) =>
        string.Join(", ", Enum.GetValues<FrameVerdict>().Select(v => $"{v} {gate.Count(v)}"));
}
