using System.Net;
using Akka.Actor;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Gateway;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.State;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Replica.Hosting;

/// <summary>
/// A whole subnet in one process: n ActorSystems on loopback (free Akka ports) joined into one cluster, each replica
/// with its own consensus actor, execution, canisters and HTTP gateway. Replica-to-replica traffic goes through Akka
/// remoting exactly as between processes.
/// </summary>
public sealed class LocalSubnet : IAsyncDisposable
{
    private LocalSubnet(IReadOnlyList<ReplicaHost> hosts, SubnetTime time)
    {
        Hosts = hosts;
        Time = time;
        Replicas = [.. hosts.Select(h => h.Node)];
        Gateways = [.. hosts.Select(h => h.Gateway)];
    }

    /// <summary>The running replicas with their ActorSystems, by index.</summary>
    public IReadOnlyList<ReplicaHost> Hosts { get; }

    /// <summary>The replicas, by index.</summary>
    public IReadOnlyList<ReplicaNode> Replicas { get; }

    /// <summary>Their HTTP gateways, by index.</summary>
    public IReadOnlyList<HttpGateway> Gateways { get; }

    /// <summary>The subnet's time control: every replica reads its clock.</summary>
    public SubnetTime Time { get; }

    /// <summary>The URL of replica 0's gateway (what <c>iinet up</c> prints).</summary>
    public Uri Url => Gateways[0].Url;

    /// <summary>The subnet's configuration as replica 0 holds it.</summary>
    public GenesisConfig Config => Replicas[0].Config;

    /// <summary>
    /// Starts the replicas and their gateways. Replica i serves HTTP on <paramref name="basePort"/> + i (all on free ports
    /// when it is 0). <paramref name="canisters"/> creates a fresh set of canisters for each replica.
    /// <paramref name="replicaOptions"/> adjusts each replica's options (persistence, state sync, consensus timing).
    /// Every replica reads one <see cref="SubnetClock"/>: <paramref name="time"/> itself when it is one, otherwise a
    /// system-mode clock over it. In manual mode blocks are made only on ticks, and the subnet starts with one tick so that
    /// it has a certified state. <paramref name="testApi"/> serves the test API under <c>/_/</c> on every gateway.
    /// <paramref name="impersonationAllowed"/> makes every replica execute impersonated calls (PocketIC's API only).
    /// <paramref name="byzantine"/> gives, by replica index, how each misbehaves on purpose (tests of the honest replicas).
    /// <paramref name="chargeCycles"/> makes every replica charge hosted canisters the IC's fees.
    /// </summary>
    public static async Task<LocalSubnet> StartAsync(IReadOnlyList<GenesisConfig> configs, Func<IReadOnlyList<InstalledCanister>> canisters,
        TimeProvider time, IPAddress address, int basePort, ILoggerFactory? logging = null, TimeSpan? syncCallTimeout = null,
        CancellationToken cancellationToken = default, Func<ReplicaHostOptions, ReplicaHostOptions>? replicaOptions = null, bool testApi = false,
        bool impersonationAllowed = false, IReadOnlyList<ByzantineMode>? byzantine = null, bool chargeCycles = false)
    {
        ArgumentNullException.ThrowIfNull(configs);
        ArgumentNullException.ThrowIfNull(canisters);
        ArgumentNullException.ThrowIfNull(time);
        SubnetClock clock = time as SubnetClock ?? new SubnetClock(SubnetTimeMode.System, time);
        var subnetTime = new SubnetTime(clock);
        bool manual = clock.Mode == SubnetTimeMode.Manual;
        TestApi? api = testApi ? new TestApi(subnetTime) : null; // one for the subnet: test anchors made on one port sign in on any
        IReadOnlyList<Uri> urls = []; // the gateways' URLs, known once every replica started (free ports)
        // The canister factory is the caller's: call it once per replica, in replica order, on this thread (a test may
        // remember each replica's canisters by the order of the calls).
        IReadOnlyList<InstalledCanister>[] installed = [.. configs.Select(_ => canisters())];
        // The replicas share one process: a call or broadcast frame that reaches all of them has its signature verified once.
        var signatures = new SignatureCache(100_000 * Math.Max(1, configs.Count));
        // Each replica's ActorSystem and Kestrel are independent of the others': bind and start them side by side. Each
        // bind gets a thread of its own: ActorSystem.Create blocks its thread until remoting and the cluster daemons
        // answer, work that needs the thread pool, so four binds on pool threads could starve the pool until it injected
        // threads (0.5-1.5 s of a warm LocalNetwork start with little CPU; bench/README.md, startup).
        Task<ReplicaHost>[] binding = [.. configs.Select((config, index) => Task.Factory.StartNew(() =>
        {
            var options = new ReplicaHostOptions
            {
                Canisters = installed[index],
                Time = clock,
                HttpAddress = address,
                HttpPort = basePort == 0 ? 0 : basePort + config.NodeIndex,
                AkkaPort = 0,
                SyncCallTimeout = syncCallTimeout,
                Logging = logging,
                TestApi = api,
                ReplicaUrls = () => urls,
                Signatures = signatures,
            };
            options = replicaOptions?.Invoke(options) ?? options;
            // Every replica must agree on how blocks are made; in manual mode no maker waits for an idle delay.
            options = options with
            {
                Time = clock,
                ImpersonationAllowed = impersonationAllowed,
                Byzantine = byzantine is { } modes && config.NodeIndex < modes.Count ? modes[config.NodeIndex] : options.Byzantine,
                ChargeCycles = chargeCycles,
                Consensus = manual
                    ? (options.Consensus ?? ReplicaConsensus.DefaultParameters) with { ManualBlockMaking = true, IdleBlockDelayMs = 0 }
                    : options.Consensus,
            };
            return ReplicaHost.Bind(config, options);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
        try
        {
            await Task.WhenAll(binding).ConfigureAwait(false);
        }
        catch
        {
            await Stop([.. binding.Where(b => b.IsCompletedSuccessfully).Select(b => b.Result)]).ConfigureAwait(false);
            throw;
        }

        List<ReplicaHost> hosts = [.. binding.Select(b => b.Result)];
        try
        {
            IReadOnlyList<Address> addresses = [.. hosts.Select(h => h.Address)];
            await Task.WhenAll(hosts.Select(host => host.StartAsync(addresses, joinCluster: true, cancellationToken))).ConfigureAwait(false);
            urls = [.. hosts.Select(h => h.Gateway.Url)];
        }
        catch
        {
            await Stop(hosts).ConfigureAwait(false);
            throw;
        }

        subnetTime.Attach([.. hosts.Select(h => h.Node)], [.. hosts.Select(h => h.Consensus)]);
        var subnet = new LocalSubnet(hosts, subnetTime);
        if (manual)
        {
            try
            {
                await subnetTime.TickAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await subnet.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return subnet;
    }

    /// <summary>Waits until every replica has a certified state; returns replica 0's.</summary>
    public async Task<CertifiedState> WaitUntilCertifiedAsync(CancellationToken cancellationToken)
    {
        CertifiedState[] states = await Task.WhenAll(Replicas.Select(r => r.WaitForCertificationAsync(0, cancellationToken))).ConfigureAwait(false);
        return states[0];
    }

    /// <summary>
    /// Waits until every replica has certified (so executed) at least the newest height any replica has certified now:
    /// after a call answered by one replica, the others have executed it too.
    /// </summary>
    public Task WaitUntilAllCaughtUpAsync(CancellationToken cancellationToken)
    {
        ulong newest = Replicas.Max(r => r.Latest?.Height ?? 0);
        return newest == 0
            ? WaitUntilCertifiedAsync(cancellationToken)
            : Task.WhenAll(Replicas.Select(r => r.WaitForCertificationAsync(newest - 1, cancellationToken)));
    }

    /// <summary>Stops every replica.</summary>
    public ValueTask DisposeAsync() => new(Stop(Hosts));

    private static async Task Stop(IReadOnlyList<ReplicaHost> hosts)
    {
        foreach (ReplicaHost host in hosts)
        {
            host.BeginStopping(); // all of them first: each sees the others leave
        }

        await Task.WhenAll(hosts.Select(h => h.DisposeAsync().AsTask())).ConfigureAwait(false);
    }
}
