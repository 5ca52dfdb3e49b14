using System.Net;
using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Tests.Gateway;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>
/// A 4-replica <see cref="LocalSubnet"/> (4 ActorSystems in one cluster on loopback) running a counter canister, with
/// Akka's throttler transport adapter so that links can be cut, and helpers to send signed calls.
/// </summary>
internal sealed class ClusterSubnet : IAsyncDisposable
{
    private readonly TestIdentity _alice = new(1);
    private readonly TestClock _clock = new();
    private int _nonce;

    private ClusterSubnet(LocalSubnet subnet, IReadOnlyList<CounterCanister> counters)
    {
        Subnet = subnet;
        Counters = counters;
    }

    public LocalSubnet Subnet { get; }

    public IReadOnlyList<CounterCanister> Counters { get; }

    /// <summary>Ports and addresses, for failure messages.</summary>
    public string Describe() => string.Join("; ", Subnet.Hosts.Select(h =>
        $"replica {h.Config.NodeIndex}: akka {h.Address}, http {h.Gateway.Url}, certified {h.Node.Latest?.Height}, fault {h.Node.Fault?.Message}"));

    /// <summary>Starts the subnet; catch-up packages are made rarely, so a lagging replica catches up from blocks.</summary>
    public static async Task<ClusterSubnet> StartAsync()
    {
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        var counters = new List<CounterCanister>();
        LocalSubnet subnet = await LocalSubnet.StartAsync(configs, () =>
            {
                var counter = new CounterCanister();
                counters.Add(counter);
                return [new InstalledCanister(CounterCanister.Id, counter, [])];
            },
            new TestClock(), IPAddress.Loopback, 0,
            replicaOptions: o => o with { Throttling = true, Consensus = ReplicaConsensus.DefaultParameters with { CatchUpInterval = 1_000_000 } });
        return new ClusterSubnet(subnet, counters);
    }

    /// <summary>Cuts (or, with <paramref name="cut"/> false, restores) every link between replica <paramref name="isolated"/> and the others, both ways.</summary>
    public async Task PartitionAsync(int isolated, bool cut)
    {
        ThrottleMode mode = cut ? Blackhole.Instance : Unthrottled.Instance;
        ReplicaHost lonely = Subnet.Hosts[isolated];
        foreach (ReplicaHost other in Subnet.Hosts.Where(h => h != lonely))
        {
            Assert.That(await Transport(other).ManagementCommand(new SetThrottle(lonely.Address, ThrottleTransportAdapter.Direction.Both, mode)), Is.True);
            Assert.That(await Transport(lonely).ManagementCommand(new SetThrottle(other.Address, ThrottleTransportAdapter.Direction.Both, mode)), Is.True);
        }
    }

    /// <summary>Sends one <c>inc</c> call through replica <paramref name="via"/> and waits until that replica certified its status.</summary>
    public async Task<RequestId> IncrementAsync(int via, TimeSpan timeout)
    {
        int nonce = Interlocked.Increment(ref _nonce);
        RequestContent call = RequestContent.Call(RequestType.Call, _alice.Principal, CounterCanister.Id, "inc", CandidEncoder.Encode([], []),
            _clock.NowNanos + 120_000_000_000UL, BitConverter.GetBytes(nonce));
        RequestId id = call.ComputeRequestId();
        await Subnet.Replicas[via].SubmitAsync(id, _alice.Envelope(call), call.IngressExpiry, CancellationToken.None);
        Assert.That(await Subnet.Replicas[via].WaitForStatusAsync(id, timeout, CancellationToken.None), Is.Not.Null,
            $"call {nonce} through replica {via} not certified within {timeout.TotalSeconds} s: {Describe()}");
        return id;
    }

    private static RemoteTransport Transport(ReplicaHost host) => ((RemoteActorRefProvider)((ExtendedActorSystem)host.System).Provider).Transport;

    public ValueTask DisposeAsync() => Subnet.DisposeAsync();
}
