using System.Net;
using Akka.Actor;
using InternetIdentity.Consensus;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Persistence;
using Microsoft.Data.Sqlite;

namespace InternetIdentity.Replica.Tests.Persistence;

/// <summary>
/// A 4-replica subnet in one process whose replicas persist to <see cref="ReplicaStorage"/>, and can be stopped (their
/// ActorSystem, execution and gateway disposed) and started again from what they persisted, on the same Akka port.
/// Each replica runs II, whoami and a <see cref="CounterCanister"/> (the counter shows how often updates ran).
/// </summary>
internal sealed class PersistentSubnet : IAsyncDisposable
{
    private readonly IReadOnlyList<GenesisConfig> _configs;
    private readonly ReplicaStorage _storage;
    private readonly ConsensusConfig _consensus;
    private readonly ReplicaHost?[] _hosts;
    private readonly CounterCanister?[] _counters;
    private IReadOnlyList<Address> _addresses = [];

    private PersistentSubnet(IReadOnlyList<GenesisConfig> configs, ReplicaStorage storage, ConsensusConfig consensus)
    {
        _configs = configs;
        _storage = storage;
        _consensus = consensus;
        _hosts = new ReplicaHost?[configs.Count];
        _counters = new CounterCanister?[configs.Count];
    }

    public IReadOnlyList<GenesisConfig> Configs => _configs;

    public ReplicaHost Host(int i) => _hosts[i] ?? throw new InvalidOperationException($"replica {i} is stopped");

    public bool IsRunning(int i) => _hosts[i] is not null;

    public CounterCanister Counter(int i) => _counters[i]!;

    public static async Task<PersistentSubnet> StartAsync(IReadOnlyList<GenesisConfig> configs, ReplicaStorage storage, ConsensusConfig consensus,
        CancellationToken ct)
    {
        var subnet = new PersistentSubnet(configs, storage, consensus);
        try
        {
            for (int i = 0; i < configs.Count; i++)
            {
                subnet._hosts[i] = ReplicaHost.Bind(configs[i], subnet.Options(i, akkaPort: 0));
            }

            subnet._addresses = [.. subnet._hosts.Select(h => h!.Address)];
            foreach (ReplicaHost? host in subnet._hosts)
            {
                await host!.StartAsync(subnet._addresses, joinCluster: true, ct);
            }
        }
        catch
        {
            await subnet.DisposeAsync();
            throw;
        }

        return subnet;
    }

    private ReplicaHostOptions Options(int i, int akkaPort)
    {
        var counter = new CounterCanister();
        _counters[i] = counter;
        return new ReplicaHostOptions
        {
            Canisters = [.. SubnetCanisters.Create(), new InstalledCanister(CounterCanister.Id, counter, [])],
            Time = new TestClock(),
            HttpAddress = IPAddress.Loopback,
            HttpPort = 0,
            AkkaPort = akkaPort,
            Consensus = _consensus,
            Storage = _storage,
            SyncCallTimeout = TimeSpan.FromSeconds(20),
        };
    }

    /// <summary>Stops replica i as a crash would leave it: whatever it persisted stays.</summary>
    public async Task StopAsync(int i)
    {
        ReplicaHost host = Host(i);
        _hosts[i] = null;
        await host.DisposeAsync();
    }

    /// <summary>Starts replica i again from its storage, on the Akka address its peers know.</summary>
    public async Task RestartAsync(int i, CancellationToken ct)
    {
        if (_hosts[i] is not null)
        {
            throw new InvalidOperationException($"replica {i} is running");
        }

        ReplicaHost host = ReplicaHost.Bind(_configs[i], Options(i, _addresses[i].Port!.Value));
        _hosts[i] = host;
        await host.StartAsync(_addresses, joinCluster: true, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_hosts.Where(h => h is not null).Select(h => h!.DisposeAsync().AsTask()));
        Array.Clear(_hosts);
        SqliteConnection.ClearAllPools();
    }
}
