using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.Ordering;
using InternetIdentity.Replica.Tests.Cluster;
using InternetIdentity.Replica.Tests.Gateway;
using ConsensusIngress = InternetIdentity.Consensus.Messages.IngressMessage;

namespace InternetIdentity.Replica.Tests.Execution;

public sealed class PeerIngressCheckTests : NUnitTestKit
{
    [Test]
    public async Task IngressFromPeer_ValidAndInvalidCalls_OnlyTheValidOneReachesConsensus()
    {
        var ordering = new ConsensusOrdering();
        ordering.Attach(TestActor);
        var clock = new TestClock();
        await using var node = new ReplicaNode(TestSubnets.Create(4)[1], [], ordering, clock);
        node.Start();
        var alice = new TestIdentity(7);
        RequestContent call = RequestContent.Call(RequestType.Call, alice.Principal, WhoamiCanister.Id, "whoami", [], clock.NowNanos + 60_000_000_000);
        RequestContent expired = RequestContent.Call(RequestType.Call, alice.Principal, WhoamiCanister.Id, "whoami", [], clock.NowNanos - 1);
        RequestContent query = RequestContent.Call(RequestType.Query, alice.Principal, WhoamiCanister.Id, "whoami", [], clock.NowNanos + 60_000_000_000);
        byte[] envelope = alice.Envelope(call);

        ordering.IngressFromPeer(2, BlockBatches.ToIngress(alice.Envelope(call, signer: new TestIdentity(8)), call.IngressExpiry));
        ordering.IngressFromPeer(2, BlockBatches.ToIngress(alice.Envelope(expired), expired.IngressExpiry));
        ordering.IngressFromPeer(2, BlockBatches.ToIngress(alice.Envelope(query), query.IngressExpiry));
        ordering.IngressFromPeer(2, new ConsensusIngress(envelope, (long)(call.IngressExpiry / 1_000_000) + 60_000));
        ordering.IngressFromPeer(2, new ConsensusIngress([0xde, 0xad], (long)(call.IngressExpiry / 1_000_000)));
        ordering.IngressFromPeer(3, new ConsensusIngress(new byte[3 * 1024 * 1024], (long)(call.IngressExpiry / 1_000_000)));
        ordering.IngressFromPeer(2, BlockBatches.ToIngress(envelope, call.IngressExpiry));

        AdmitPeerIngress admitted = ExpectMsg<AdmitPeerIngress>(TimeSpan.FromSeconds(60));
        Assert.That((admitted.From, admitted.Message.Content), Is.EqualTo((2, envelope)), "forged, expired, a query, a wrong expiry label, junk and 3 MiB never reach the core");
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        byte[] signed = call.ComputeRequestId().SignedMessage();
        Assert.That(node.Signatures.Contains(alice.PublicKeyDer, signed, Envelope.Decode(envelope).SenderSignature), Is.True, "execution will not check it again");
    }

    [Test]
    public void IngressFromPeer_PeerOverItsQuotaOfUncheckedCalls_DroppedOtherPeersUnaffected()
    {
        var ordering = new ConsensusOrdering();
        for (int i = 0; i < ConsensusOrdering.PeerIngressQuota; i++)
        {
            Assert.That(ordering.IngressFromPeer(1, new ConsensusIngress([(byte)i], i)), Is.True);
        }

        Assert.That(ordering.IngressFromPeer(1, new ConsensusIngress([1], 1)), Is.False, "nothing was checked yet: peer 1 is at its quota");
        Assert.That(ordering.IngressFromPeer(2, new ConsensusIngress([1], 1)), Is.True);
        Assert.That(ordering.PeerIngress.TryRead(out GossipedIngress? first), Is.True);
        ordering.PeerIngressChecked(first!, valid: false);
        Assert.That(ordering.IngressFromPeer(1, new ConsensusIngress([1], 1)), Is.True, "one checked: room for one more");
    }
}
