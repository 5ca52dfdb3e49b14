using System.Collections.Concurrent;
using System.Diagnostics;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.State;
using AkkaCluster = Akka.Cluster.Cluster;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>Four replicas, each its own ActorSystem, in one Akka cluster on loopback; consensus over Akka remoting.</summary>
[NonParallelizable]
public class ClusterSubnetTests
{
    private static readonly TimeSpan s_milestone = TimeSpan.FromSeconds(90);

    [Test]
    public async Task LocalSubnet_FourActorSystems_CertifyAndFormOneCluster()
    {
        var clock = Stopwatch.StartNew();
        await using ClusterSubnet s = await ClusterSubnet.StartAsync();
        await ReportingTimeouts(s, () => FormOneCluster(s, clock));
    }

    private static async Task FormOneCluster(ClusterSubnet s, Stopwatch clock)
    {
        using var cts = new CancellationTokenSource(s_milestone);
        CertifiedState first = await s.Subnet.WaitUntilCertifiedAsync(cts.Token);
        TestContext.Out.WriteLine($"first certified height {first.Height} on every replica {clock.ElapsedMilliseconds} ms after start; {s.Describe()}");

        // Readiness never waited for membership, but the replicas do form one cluster of four.
        foreach (var host in s.Subnet.Hosts)
        {
            await WaitUntil(() => AkkaCluster.Get(host.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == 4,
                "4 members up", s, cts.Token);
        }
    }

    [Test]
    public async Task Partition_OneReplicaBlackholedUnderLoad_OthersProgressThenItCatchesUpToEqualRoots()
    {
        await using ClusterSubnet s = await ClusterSubnet.StartAsync();
        await ReportingTimeouts(s, () => PartitionAndHeal(s));
    }

    private static async Task PartitionAndHeal(ClusterSubnet s)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await s.Subnet.WaitUntilCertifiedAsync(cts.Token);
        var roots = new ConcurrentDictionary<(int Replica, ulong Height), string>();
        Task[] recorders = [.. s.Subnet.Replicas.Select((r, i) => Record(r, i, roots, cts.Token))];

        await s.PartitionAsync(3, cut: true);
        ulong isolatedAtCut = s.Subnet.Replicas[3].Latest!.Height;
        ulong othersAtCut = s.Subnet.Replicas.Take(3).Max(r => r.Latest!.Height);
        for (int k = 0; k < 12; k++)
        {
            await s.IncrementAsync(k % 3, TimeSpan.FromSeconds(60));
        }

        // The three keep finalizing and answering; the isolated one cannot certify anything new on its own. Each call
        // was awaited on the replica it was sent to only, so the three first all reach the newest height among them.
        ulong afterLoad = s.Subnet.Replicas.Take(3).Max(r => r.Latest!.Height);
        await Task.WhenAll(s.Subnet.Replicas.Take(3).Select(r => r.WaitForCertificationAsync(Math.Max(afterLoad - 1, othersAtCut + 10), cts.Token)));
        CanisterReply? answer = await s.Subnet.Replicas[1].QueryAsync(Principal.Anonymous, CounterCanister.Id, "get", CandidEncoder.Encode([], []), cts.Token);
        Assert.That(answer, Is.InstanceOf<CanisterReply.Replied>(), s.Describe());
        Assert.That(s.Counters.Take(3).Select(c => c.Count), Is.All.EqualTo(12UL), s.Describe());
        Assert.That(s.Subnet.Replicas[3].Latest!.Height, Is.LessThanOrEqualTo(isolatedAtCut + 1), "2f+1 shares are needed to certify: " + s.Describe());
        Assert.That(s.Counters[3].Count, Is.LessThan(12UL), s.Describe());

        var healed = Stopwatch.StartNew();
        await s.PartitionAsync(3, cut: false);
        ulong target = s.Subnet.Replicas.Take(3).Max(r => r.Latest!.Height) + 5;
        await s.Subnet.Replicas[3].WaitForCertificationAsync(target, cts.Token);
        TestContext.Out.WriteLine($"replica 3 caught up from height {isolatedAtCut} past {target} {healed.ElapsedMilliseconds} ms after the heal");
        Assert.That(s.Counters[3].Count, Is.EqualTo(12UL), "every finalized update executed once on the caught-up replica: " + s.Describe());

        // Equal state roots at every height that the caught-up replica and the others both certified.
        await WaitUntil(() => CommonHeights(roots, 3).Count() >= 3, "3 heights certified by all four", s, cts.Token);
        foreach (ulong h in CommonHeights(roots, 3))
        {
            Assert.That(Enumerable.Range(0, 4).Select(i => roots[(i, h)]).Distinct().Count(), Is.EqualTo(1), $"roots at height {h}: {s.Describe()}");
        }

        Assert.That(s.Subnet.Replicas.Select(r => r.Fault), Is.All.Null, s.Describe());
        await cts.CancelAsync();
        await Task.WhenAll(recorders);
    }

    // A milestone that times out fails with every replica's ports and heights, not a bare cancellation.
    private static async Task ReportingTimeouts(ClusterSubnet s, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("timed out: " + s.Describe());
        }
    }

    private static IEnumerable<ulong> CommonHeights(ConcurrentDictionary<(int Replica, ulong Height), string> roots, int replica) =>
        roots.Keys.Where(k => k.Replica == replica).Select(k => k.Height)
            .Where(h => Enumerable.Range(0, 4).All(i => roots.ContainsKey((i, h))));

    // Records the root of every certified state a replica publishes.
    private static async Task Record(Node.ReplicaNode replica, int index, ConcurrentDictionary<(int, ulong), string> roots, CancellationToken ct)
    {
        ulong seen = 0;
        try
        {
            while (true)
            {
                CertifiedState state = await replica.WaitForCertificationAsync(seen, ct);
                roots[(index, state.Height)] = Convert.ToHexString(state.Tree.Digest);
                seen = state.Height;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string what, ClusterSubnet s, CancellationToken ct)
    {
        while (!condition())
        {
            if (ct.IsCancellationRequested)
            {
                Assert.Fail($"timed out waiting for {what}: {s.Describe()}");
            }

            // Conditions here change with certifications, which every replica publishes several times a second.
            await s.Subnet.Replicas[0].WaitForCertificationAsync(s.Subnet.Replicas[0].Latest?.Height ?? 0, ct).ConfigureAwait(false);
        }
    }
}
