using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.Cluster;

namespace InternetIdentity.Replica.Tests.Execution;

public class ImpersonatedIngressTests
{
    private static readonly Principal s_alice = Principal.SelfAuthenticating([1, 2, 3]);

    private static RequestContent Call() =>
        RequestContent.Call(RequestType.Call, s_alice, WhoamiCanister.Id, "whoami", [], 2_000_000_000_000_000_000, [1]);

    [Test]
    public void TryDecode_ImpersonatedCallOnSubnetThatAllowsIt_TakesTheSenderAsWritten()
    {
        byte[] content = BlockBatches.ToImpersonatedIngress(Call()).Content;

        bool valid = BlockBatches.TryDecode(content, 1_000_000_000_000_000_000, ReadOnlyMemory<byte>.Empty, out IngressMessage? message, impersonationAllowed: true);

        Assert.That(valid, Is.True);
        Assert.That(message!.Sender, Is.EqualTo(s_alice));
        Assert.That(message.Id, Is.EqualTo(Call().ComputeRequestId()));
    }

    [Test]
    public void TryDecode_ImpersonatedCallOnOrdinarySubnet_IsLeftOut()
    {
        byte[] content = BlockBatches.ToImpersonatedIngress(Call()).Content;

        Assert.That(BlockBatches.TryDecode(content, 1_000_000_000_000_000_000, ReadOnlyMemory<byte>.Empty, out _), Is.False);
    }

    [Test]
    public void TryDecode_UnsignedEnvelopeWithoutPrefix_IsLeftOutEvenWhereImpersonationIsAllowed()
    {
        byte[] unsigned = new Envelope(Call()).Encode();

        Assert.That(BlockBatches.TryDecode(unsigned, 1_000_000_000_000_000_000, ReadOnlyMemory<byte>.Empty, out _, impersonationAllowed: true), Is.False);
    }

    [Test]
    public void ToImpersonatedIngress_Query_ThrowsArgumentException()
    {
        RequestContent query = RequestContent.Call(RequestType.Query, s_alice, WhoamiCanister.Id, "whoami", [], 1);

        Assert.That(() => BlockBatches.ToImpersonatedIngress(query), Throws.ArgumentException);
    }

    [Test]
    public async Task SubmitImpersonatedAsync_SubnetWithoutImpersonation_ThrowsInvalidOperationException()
    {
        var ordering = new ConsensusOrdering();
        await using var node = new ReplicaNode(TestSubnets.Create(4)[0], [], ordering, TimeProvider.System);

        Assert.That(() => node.SubmitImpersonatedAsync(Call(), CancellationToken.None), Throws.InvalidOperationException.With.Message.Contains("impersonated"));
    }
}
