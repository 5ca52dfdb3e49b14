using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;
using static InternetIdentity.Consensus.Tests.CoreHarness;

namespace InternetIdentity.Consensus.Tests;

/// <summary>A peer's gossiped ingress enters the pool only once the host validated it, and within the peer's quota.</summary>
public class PeerIngressTests
{
    private static IngressMessage Message(int i, int size = 8) => new([.. BitConverter.GetBytes(i), .. new byte[size]], Start + 60_000);

    [Test]
    public void IngressGossip_NotValidatedByTheHost_NeverEntersThePoolOrABlock()
    {
        var h = new CoreHarness();
        IngressMessage junk = Message(1);
        h.Receive(Start, 1, new IngressGossip(junk));
        h.Receive(Start, 2, new SyncBundle([new IngressGossip(Message(2))], 0));
        Assert.That(h.State.IngressPoolSize, Is.Zero);
    }

    [Test]
    public void PeerIngressValidated_FromAPeer_EntersThePoolWithoutGossipingAgain()
    {
        var h = new CoreHarness();
        IReadOnlyList<ConsensusOutput> o = h.Step(new PeerIngressValidated(Start, 1, Message(1)));
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(1));
        Assert.That(Sent<IngressGossip>(o), Is.Empty);
    }

    [Test]
    public void PeerIngressValidated_ClaimingThisReplicaOrNoReplica_Ignored()
    {
        var h = new CoreHarness();
        foreach (int from in new[] { 0, 4, -1 })
        {
            h.Step(new PeerIngressValidated(Start, from, Message(from)));
        }
        Assert.That(h.State.IngressPoolSize, Is.Zero);
    }

    [Test]
    public void PeerIngressValidated_OverThePeersQuota_DroppedAndCountedOthersStillAccepted()
    {
        var h = new CoreHarness(new ConsensusConfig { MaxIngressPoolMessagesPerPeer = 3 });
        for (int i = 0; i < 5; i++)
        {
            h.Step(new PeerIngressValidated(Start, 1, Message(i)));
        }
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(3));
        Assert.That(h.State.DroppedArtifacts, Is.EqualTo(2));
        h.Step(new PeerIngressValidated(Start, 2, Message(10)));
        h.Step(new IngressSubmitted(Start, Message(11)));
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(5), "another peer's quota and this replica's clients are untouched");
    }

    [Test]
    public void PeerIngressValidated_OverThePeersByteQuota_Dropped()
    {
        var h = new CoreHarness(new ConsensusConfig { MaxIngressPoolBytesPerPeer = 1000 });
        h.Step(new PeerIngressValidated(Start, 1, Message(1, size: 600)));
        h.Step(new PeerIngressValidated(Start, 1, Message(2, size: 600)));
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(1));
        Assert.That(h.State.DroppedArtifacts, Is.EqualTo(1));
    }

    [Test]
    public void IngressPool_Full_NothingMoreAcceptedUntilBlocksTakeSome()
    {
        var h = new CoreHarness(new ConsensusConfig { MaxIngressPoolMessages = 2 });
        IngressMessage first = Message(1);
        h.Step(new IngressSubmitted(Start, first));
        h.Step(new PeerIngressValidated(Start, 1, Message(2)));
        h.Step(new IngressSubmitted(Start, Message(3)));
        h.Step(new PeerIngressValidated(Start, 2, Message(4)));
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(2));
        h.NotarizeAndFinalize(Start, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start, [first]));
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(1), "the finalized message left the pool");
        h.Step(new PeerIngressValidated(Start + 2_000, 2, Message(4)));
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(2));
    }

    [Test]
    public void Validate_NonPositivePoolQuota_ThrowsArgumentException()
    {
        Assert.That(() => new ConsensusConfig { MaxIngressPoolMessagesPerPeer = 0 }.Validate(), Throws.ArgumentException.With.Message.Contains("ingress pool"));
    }
}
