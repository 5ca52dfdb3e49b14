using System.Net;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Metrics;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>
/// One Byzantine replica of 4 over the real transport (the same hook as <c>iinet node --byzantine</c>): the honest three
/// keep finalizing and certifying, and what they hold stays bounded.
/// </summary>
[NonParallelizable]
public sealed class ByzantineSubnetTests
{
    private const int Byzantine = 3;
    private const int Heights = 12;

    // Per height the pool keeps a few proposals and one share slot per signer and kind (two notarization slots per
    // maker); a flood above that is dropped. The honest pool keeps up to 50 heights ahead and trims below the certified one.
    private const int MaxPoolArtifacts = 1000;

    [TestCase(ByzantineMode.Equivocate)]
    [TestCase(ByzantineMode.JunkIngress)]
    [TestCase(ByzantineMode.FloodShares)]
    [TestCase(ByzantineMode.ForgeShares)]
    [TestCase(ByzantineMode.BadCheckpoint)]
    [TestCase(ByzantineMode.Silent)]
    public async Task LocalSubnet_OneByzantineReplica_HonestThreeKeepCertifyingWithBoundedPools(ByzantineMode mode)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        await using LocalSubnet subnet = await LocalSubnet.StartAsync(configs, () => [], new TestClock(), IPAddress.Loopback, 0,
            cancellationToken: cts.Token, byzantine: [ByzantineMode.None, ByzantineMode.None, ByzantineMode.None, mode]);
        ReplicaHost[] honest = [.. subnet.Hosts.Where(h => h.Config.NodeIndex != Byzantine)];

        CertifiedState[] first = await Task.WhenAll(honest.Select(h => h.Node.WaitForCertificationAsync(0, cts.Token)));
        int peak = 0;
        for (int step = 1; step <= Heights; step++)
        {
            await Task.WhenAll(honest.Select((h, i) => h.Node.WaitForCertificationAsync(first[i].Height + (ulong)step, cts.Token)));
            peak = Math.Max(peak, honest.Max(h => h.Metrics.Consensus?.PoolArtifacts ?? 0));
        }

        string described = string.Join("; ", honest.Select(Describe));
        TestContext.Out.WriteLine($"{mode}: {described}; peak pool {peak}");
        Assert.That(peak, Is.LessThan(MaxPoolArtifacts), described);
        foreach (ReplicaHost h in honest)
        {
            ConsensusState state = h.Metrics.Consensus!;
            Assert.That(state.Halted, Is.False, described);
            Assert.That(state.IngressPoolSize, Is.Zero, "nothing the Byzantine replica gossips enters an honest pool: " + described);
        }

        switch (mode)
        {
            case ByzantineMode.JunkIngress:
                Assert.That(honest.Select(h => Sum(h, "iinet_signature_checks_total", "where", "peer_ingress")), Has.All.GreaterThan(0),
                    "the junk was checked (and refused) before consensus saw it: " + described);
                break;
            case ByzantineMode.FloodShares:
                Assert.That(honest.Select(h => h.Metrics.Consensus!.DroppedArtifacts), Has.All.GreaterThan(0),
                    "shares over the flooder's per-height allowance were dropped: " + described);
                break;
            case ByzantineMode.ForgeShares:
                Assert.That(honest.Select(h => Sum(h, "iinet_protocol_events_total", "kind", nameof(ProtocolEventKind.InvalidArtifact))),
                    Has.Some.GreaterThan(0), "forged shares were found out: " + described);
                break;
        }
    }

    private static double Sum(ReplicaHost host, string family, string label, string value) =>
        host.Metrics.Collect().SingleOrDefault(f => f.Name == family)?.Samples.Where(s => s.Label(label) == value).Sum(s => s.Value) ?? 0;

    private static string Describe(ReplicaHost h) => h.Metrics.Consensus is { } s
        ? $"replica {h.Config.NodeIndex}: finalized {s.FinalizedHeight}, certified {s.CertifiedHeight}, pool {s.PoolArtifacts} in {s.PoolHeights} heights, "
            + $"dropped {s.DroppedArtifacts}, ingress pool {s.IngressPoolSize}"
        : $"replica {h.Config.NodeIndex}: no step yet";
}
