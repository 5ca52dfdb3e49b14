using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.Tests.Gateway;

namespace InternetIdentity.Replica.Tests.Execution;

public class PeerIngressCheckTests
{
    [Test]
    public async Task IngressFromPeer_ValidCall_ItsSignatureIsCheckedBeforeAnyBlock()
    {
        var ordering = new ConsensusOrdering();
        var clock = new TestClock();
        await using var node = new ReplicaNode(TestSubnets.Create(4)[1], [], ordering, clock);
        node.Start();
        var alice = new TestIdentity(7);
        RequestContent call = RequestContent.Call(RequestType.Call, alice.Principal, WhoamiCanister.Id, "whoami", [], clock.NowNanos + 60_000_000_000);
        byte[] envelope = alice.Envelope(call);
        var forged = new TestIdentity(8);
        byte[] wrongSigner = alice.Envelope(call, signer: forged);

        ordering.IngressFromPeer(BlockBatches.ToIngress(wrongSigner, call.IngressExpiry));
        ordering.IngressFromPeer(BlockBatches.ToIngress(envelope, call.IngressExpiry));

        byte[] signed = call.ComputeRequestId().SignedMessage();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!node.Signatures.Contains(alice.PublicKeyDer, signed, Envelope.Decode(envelope).SenderSignature))
        {
            await Task.Yield();
            Assert.That(timeout.IsCancellationRequested, Is.False, "the peer's call was not checked within 60 s");
        }

        Assert.That(node.Signatures.Count, Is.EqualTo(1), "the call signed by another key is not recorded");
    }
}
