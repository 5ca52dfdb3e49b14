using System.Net;
using Akka.Actor;
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
    private LocalSubnet(IReadOnlyList<ReplicaHost> hosts)
    {
        Hosts = hosts;
        Replicas = [.. hosts.Select(h => h.Node)];
        Gateways = [.. hosts.Select(h => h.Gateway)];
    }

    /// <summary>The running replicas with their ActorSystems, by index.</summary>
    public IReadOnlyList<ReplicaHost> Hosts { get; }

    /// <summary>The replicas, by index.</summary>
    public IReadOnlyList<ReplicaNode> Replicas { get; }

    /// <summary>Their HTTP gateways, by index.</summary>
    public IReadOnlyList<HttpGateway> Gateways { get; }

    /// <summary>The URL of replica 0's gateway (what <c>iinet up</c> prints).</summary>
    public Uri Url => Gateways[0].Url;

    /// <summary>The subnet's configuration as replica 0 holds it.</summary>
    public GenesisConfig Config => Replicas[0].Config;

    /// <summary>
    /// Starts the replicas and their gateways. Replica i serves HTTP on <paramref name="basePort"/> + i (all on free ports
    /// when it is 0). <paramref name="canisters"/> creates a fresh set of canisters for each replica.
    /// <paramref name="replicaOptions"/> adjusts each replica's options (persistence, state sync, consensus timing).
    /// </summary>
    public static async Task<LocalSubnet> StartAsync(IReadOnlyList<GenesisConfig> configs, Func<IReadOnlyList<InstalledCanister>> canisters,
        TimeProvider time, IPAddress address, int basePort, ILoggerFactory? logging = null, TimeSpan? syncCallTimeout = null,
        CancellationToken cancellationToken = default, Func<ReplicaHostOptions, ReplicaHostOptions>? replicaOptions = null)
    {
        ArgumentNullException.ThrowIfNull(configs);
        ArgumentNullException.ThrowIfNull(canisters);
        var hosts = new List<ReplicaHost>();
        try
        {
            foreach (GenesisConfig config in configs)
            {
                var options = new ReplicaHostOptions
                {
                    Canisters = canisters(),
                    Time = time,
                    HttpAddress = address,
                    HttpPort = basePort == 0 ? 0 : basePort + config.NodeIndex,
                    AkkaPort = 0,
                    SyncCallTimeout = syncCallTimeout,
                    Logging = logging,
                };
                hosts.Add(ReplicaHost.Bind(config, replicaOptions?.Invoke(options) ?? options));
            }

            IReadOnlyList<Address> addresses = [.. hosts.Select(h => h.Address)];
            foreach (ReplicaHost host in hosts)
            {
                await host.StartAsync(addresses, joinCluster: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await Stop(hosts).ConfigureAwait(false);
            throw;
        }

        return new LocalSubnet(hosts);
    }

    /// <summary>Waits until every replica has a certified state; returns replica 0's.</summary>
    public async Task<CertifiedState> WaitUntilCertifiedAsync(CancellationToken cancellationToken)
    {
        CertifiedState[] states = await Task.WhenAll(Replicas.Select(r => r.WaitForCertificationAsync(0, cancellationToken))).ConfigureAwait(false);
        return states[0];
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
