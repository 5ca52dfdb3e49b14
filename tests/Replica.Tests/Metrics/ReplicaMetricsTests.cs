using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Replica.Metrics;

namespace InternetIdentity.Replica.Tests.Metrics;

public class ReplicaMetricsTests
{
    private static MetricFamily Family(ReplicaMetrics m, string name) => m.Collect().Single(f => f.Name == name);

    [Test]
    public void Collect_TwoReplicasInOneProcess_NeverMix()
    {
        using var a = new ReplicaMetrics("subnet", 0);
        using var b = new ReplicaMetrics("subnet", 1);
        a.BlockExecuted(ingressMessages: 3, payloadBytes: 900, executedMessages: 2);
        a.BlockExecuted(ingressMessages: 1, payloadBytes: 100, executedMessages: 1);
        b.QueryAnswered(TimeSpan.FromMilliseconds(3));

        Assert.That(Family(a, "iinet_messages_executed_total").Total, Is.EqualTo(3));
        Assert.That(Family(b, "iinet_messages_executed_total").Total, Is.Zero);
        Assert.That(Family(a, "iinet_query_latency_seconds").Total, Is.Zero);
        Assert.That(Family(b, "iinet_query_latency_seconds").Total, Is.EqualTo(1));
        HistogramValue bytes = Family(a, "iinet_block_size_bytes").Samples.Single().Histogram!;
        Assert.That((bytes.Count, bytes.Sum), Is.EqualTo((2.0, 1000.0)));
        Assert.That(bytes.Buckets.First(x => x.UpperBound == 256).Count, Is.EqualTo(1), "100 bytes at or below 256");
        Assert.That(bytes.Buckets.First(x => x.UpperBound == 1024).Count, Is.EqualTo(2));
    }

    [Test]
    public void CheckpointStored_SizeGaugeAppearsWithTheFirstCheckpoint()
    {
        using var m = new ReplicaMetrics("subnet", 0);
        Assert.That(Family(m, "iinet_checkpoint_size_bytes").Samples, Is.Empty);
        m.CheckpointStored(12345, TimeSpan.FromMilliseconds(20));
        Assert.That(Family(m, "iinet_checkpoint_size_bytes").Unlabeled!.Value, Is.EqualTo(12345));
        Assert.That(Family(m, "iinet_checkpoint_duration_seconds").Total, Is.EqualTo(1));
    }

    [Test]
    public void Observe_HeightsAndPeersReadAtCollection()
    {
        using var m = new ReplicaMetrics("subnet", 2);
        ulong executed = 5;
        m.Observe(() => executed, () => 4, () => 3);
        Assert.That(Family(m, "iinet_executed_height").Unlabeled!.Value, Is.EqualTo(5));
        executed = 7;
        Assert.That(Family(m, "iinet_executed_height").Unlabeled!.Value, Is.EqualTo(7));
        Assert.That(Family(m, "iinet_certified_height").Unlabeled!.Value, Is.EqualTo(4));
        Assert.That(Family(m, "iinet_peers_connected").Unlabeled!.Value, Is.EqualTo(3));
    }

    [Test]
    public void MeteredConsensusCrypto_CountsEachOperation_ResultsUnchanged()
    {
        using var m = new ReplicaMetrics("subnet", 0);
        IReadOnlyList<IConsensusCrypto> subnet = StandInCrypto.CreateSubnet(4, [1, 2, 3]);
        var crypto = new MeteredConsensusCrypto(subnet[0], m);
        byte[] message = [1, 2, 3];
        SignatureShare share = crypto.Certification.SignShare(message);
        Assert.That(crypto.Certification.VerifyShare(share, message), Is.True);
        Assert.That(crypto.Certification.VerifyShare(share, [9]), Is.False);
        Assert.That(crypto.Node.Verify(0, message, crypto.Node.Sign(message)), Is.True);

        MetricFamily ops = Family(m, "iinet_bls_operations_total");
        Assert.That(ops.Samples.Single(s => s.Label("scheme") == "certification" && s.Label("op") == "verify_share").Value, Is.EqualTo(2));
        Assert.That(ops.Samples.Single(s => s.Label("op") == "sign_share").Value, Is.EqualTo(1));
        Assert.That(Family(m, "iinet_signature_checks_total").Samples.Single(s => s.Label("where") == "consensus").Value, Is.EqualTo(1));
        Assert.That(Family(m, "iinet_bls_seconds_total").Total, Is.GreaterThanOrEqualTo(0));
    }
}
