using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.State;
using InternetIdentity.Replica.Tests.Gateway;

namespace InternetIdentity.Replica.Tests.Cluster;

[NonParallelizable]
public class ConsensusActorTests
{
    private static readonly TimeSpan s_milestone = TimeSpan.FromSeconds(90);

    // One counter canister per replica, collected so a test can compare what each replica executed.
    private static Func<IReadOnlyList<InstalledCanister>> CountersInto(List<CounterCanister> counters) => () =>
    {
        var counter = new CounterCanister();
        counters.Add(counter);
        return [new InstalledCanister(CounterCanister.Id, counter, [])];
    };

    [Test]
    public async Task ConsensusActors_FourReplicas_CertifyEqualRootsAndExecuteACallOnEveryReplica()
    {
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        var counters = new List<CounterCanister>();
        await using ActorSubnet subnet = ActorSubnet.Start(configs, CountersInto(counters));
        using var cts = new CancellationTokenSource(s_milestone);
        CertifiedState[] first = await Task.WhenAll(subnet.Nodes.Select(n => n.WaitForCertificationAsync(2, cts.Token)));
        Assert.That(first.Select(s => s.Height), Is.All.GreaterThan(2UL));

        var alice = new TestIdentity(1);
        var clock = new TestClock();
        RequestContent call = RequestContent.Call(RequestType.Call, alice.Principal, CounterCanister.Id, "inc",
            Protocol.Candid.CandidEncoder.Encode([], []), clock.NowNanos + 60_000_000_000UL);
        RequestId id = call.ComputeRequestId();
        Assert.That(await subnet.Nodes[1].SubmitAsync(id, alice.Envelope(call), call.IngressExpiry, cts.Token), Is.True);

        CertifiedState?[] withStatus = await Task.WhenAll(subnet.Nodes.Select(n => n.WaitForStatusAsync(id, s_milestone, cts.Token)));
        Assert.That(withStatus, Is.All.Not.Null, "every replica executes the call and certifies its status");
        Assert.That(counters.Select(c => c.Count), Is.All.EqualTo(1UL), "executed exactly once on each replica");

        // Equal heights have equal roots on every replica (certification needs 3 of 4 equal roots, and each replica only
        // takes a certification of its own root).
        CertifiedState[] later = await Task.WhenAll(subnet.Nodes.Select(n => n.WaitForCertificationAsync(withStatus.Max(s => s!.Height), cts.Token)));
        Assert.That(later.Select(s => s.Height), Is.All.GreaterThan(0UL));
        Assert.That(subnet.Nodes.Select(n => n.Fault), Is.All.Null);
    }

    [Test]
    public async Task ConsensusActor_Restarted_RecoversFromItsJournalReexecutesAndCertifiesAgain()
    {
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        var counters = new List<CounterCanister>();
        await using ActorSubnet subnet = ActorSubnet.Start(configs, CountersInto(counters), ReplicaConsensus.DefaultParameters with { CatchUpInterval = 1_000_000 });
        using var cts = new CancellationTokenSource(s_milestone);
        await Task.WhenAll(subnet.Nodes.Select(n => n.WaitForCertificationAsync(1, cts.Token)));

        var alice = new TestIdentity(2);
        var clock = new TestClock();
        for (int k = 0; k < 3; k++)
        {
            RequestContent call = RequestContent.Call(RequestType.Call, alice.Principal, CounterCanister.Id, "inc",
                Protocol.Candid.CandidEncoder.Encode([], []), clock.NowNanos + 60_000_000_000UL, [(byte)k]);
            await subnet.Nodes[3].SubmitAsync(call.ComputeRequestId(), alice.Envelope(call), call.IngressExpiry, cts.Token);
            Assert.That(await subnet.Nodes[3].WaitForStatusAsync(call.ComputeRequestId(), s_milestone, cts.Token), Is.Not.Null);
        }

        ulong before = subnet.Nodes[3].Latest!.Height;
        await subnet.RestartAsync(3);
        Assert.That(counters[^1].Count, Is.Zero, "the restarted replica starts from fresh canisters");

        // Recovery replays the persisted blocks: the fresh execution runs them again and certifies beyond where it stopped.
        CertifiedState after = await subnet.Nodes[3].WaitForCertificationAsync(before + 2, cts.Token);
        Assert.That(after.Height, Is.GreaterThan(before + 2));
        Assert.That(counters[^1].Count, Is.EqualTo(3UL), "the three calls re-executed from the journal, once each");
        Assert.That(subnet.Nodes.Select(n => n.Fault), Is.All.Null);
    }

    [Test]
    public async Task ConsensusActor_ReplicaComputesADifferentRoot_StopsAndSaysWhy_OthersContinue()
    {
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        int created = 0;
        await using ActorSubnet subnet = ActorSubnet.Start(configs, () =>
        {
            // Replica 3 (the fourth canister set) runs a canister whose certified data differs: a non-deterministic bug.
            ICanister counter = Interlocked.Increment(ref created) == 4 ? new SkewedCounter() : new CounterCanister();
            return [new InstalledCanister(CounterCanister.Id, counter, [])];
        });
        using var cts = new CancellationTokenSource(s_milestone);
        Exception reason = await subnet.Nodes[3].Halted.WaitAsync(cts.Token);
        Assert.That(reason.Message, Does.Contain("different state root").And.Contain("diverged"));
        Assert.That(subnet.Nodes[3].Fault, Is.SameAs(reason));

        CertifiedState[] others = await Task.WhenAll(subnet.Nodes.Take(3).Select(n => n.WaitForCertificationAsync(3, cts.Token)));
        Assert.That(others.Select(s => s.Height), Is.All.GreaterThan(3UL), "n - f = 3 honest replicas keep certifying");
        Assert.That(subnet.Nodes[3].Latest, Is.Null, "the divergent replica never took a certification of a root it did not compute");
    }

    private sealed class SkewedCounter : ICanister
    {
        private readonly CounterCanister _inner = new();

        public ReadOnlyMemory<byte> CertifiedData => new byte[] { 0xBA, 0xD0 };

        public ReadOnlyMemory<byte> ModuleHash => _inner.ModuleHash;

        public IReadOnlyDictionary<string, CanisterMetadata> Metadata => _inner.Metadata;

        public ExportedMethods Exports => _inner.Exports;

        public CanisterReply Update(CallContext context, string method, ReadOnlySpan<byte> argument) => _inner.Update(context, method, argument);

        public CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument) => _inner.Query(context, method, argument);
    }
}
