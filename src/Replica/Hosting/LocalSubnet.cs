using System.Net;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Gateway;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.Ordering;
using InternetIdentity.Replica.State;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Replica.Hosting;

/// <summary>
/// A whole subnet in one process: n replicas sharing the local ordering and the in-process certification exchange
/// (t of n shares combine into each height's certificate), each replica with its own canisters and HTTP gateway.
/// </summary>
public sealed class LocalSubnet : IAsyncDisposable
{
    private readonly LocalOrdering _ordering;

    private LocalSubnet(LocalOrdering ordering, IReadOnlyList<ReplicaNode> replicas, IReadOnlyList<HttpGateway> gateways)
    {
        _ordering = ordering;
        Replicas = replicas;
        Gateways = gateways;
    }

    /// <summary>The replicas, by index.</summary>
    public IReadOnlyList<ReplicaNode> Replicas { get; }

    /// <summary>Their HTTP gateways, by index.</summary>
    public IReadOnlyList<HttpGateway> Gateways { get; }

    /// <summary>The URL of replica 0's gateway (what <c>iinet up</c> prints).</summary>
    public Uri Url => Gateways[0].Url;

    /// <summary>The subnet's configuration as replica 0 holds it.</summary>
    public GenesisConfig Config => Replicas[0].Config;

    /// <summary>
    /// Starts the replicas and their gateways. Replica i listens on <paramref name="basePort"/> + i (all on free ports
    /// when it is 0). <paramref name="canisters"/> creates a fresh set of canisters for each replica.
    /// </summary>
    public static async Task<LocalSubnet> StartAsync(IReadOnlyList<GenesisConfig> configs, Func<IReadOnlyList<InstalledCanister>> canisters,
        TimeProvider time, IPAddress address, int basePort, ILoggerFactory? logging = null, TimeSpan? syncCallTimeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configs);
        ArgumentNullException.ThrowIfNull(canisters);
        var ordering = new LocalOrdering(configs.Count, time);
        var exchange = new LocalCertificationExchange(configs[0].Certification.PublicKey);
        var replicas = new List<ReplicaNode>();
        var gateways = new List<HttpGateway>();
        try
        {
            foreach (GenesisConfig config in configs)
            {
                var node = new ReplicaNode(config, canisters(), ordering, exchange, time, logging?.CreateLogger($"replica-{config.NodeIndex}"));
                replicas.Add(node);
                node.Start();
                gateways.Add(await HttpGateway.StartAsync(node, address, basePort == 0 ? 0 : basePort + config.NodeIndex, syncCallTimeout,
                    cancellationToken: cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            await Stop(ordering, replicas, gateways).ConfigureAwait(false);
            throw;
        }

        ordering.Start();
        return new LocalSubnet(ordering, replicas, gateways);
    }

    /// <summary>Waits until every replica has a certified state; returns replica 0's.</summary>
    public async Task<CertifiedState> WaitUntilCertifiedAsync(CancellationToken cancellationToken)
    {
        CertifiedState[] states = await Task.WhenAll(Replicas.Select(r => r.WaitForCertificationAsync(0, cancellationToken))).ConfigureAwait(false);
        return states[0];
    }

    /// <summary>Stops gateways, ordering and replicas.</summary>
    public ValueTask DisposeAsync() => new(Stop(_ordering, Replicas, Gateways));

    private static async Task Stop(LocalOrdering ordering, IEnumerable<ReplicaNode> replicas, IEnumerable<HttpGateway> gateways)
    {
        foreach (HttpGateway g in gateways)
        {
            await g.DisposeAsync().ConfigureAwait(false);
        }

        await ordering.DisposeAsync().ConfigureAwait(false);
        foreach (ReplicaNode r in replicas)
        {
            await r.DisposeAsync().ConfigureAwait(false);
        }
    }
}
