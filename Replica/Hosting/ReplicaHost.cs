using System.Diagnostics;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Gateway;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Metrics;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.Persistence;
using InternetIdentity.Replica.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using AkkaCluster = Akka.Cluster.Cluster;

namespace InternetIdentity.Replica.Hosting;

/// <summary>
/// One running replica: its ActorSystem in the subnet's Akka cluster, its consensus actor, its execution
/// (<see cref="ReplicaNode"/>) and its HTTP gateway. Started in two steps, because with port 0 the peers' Akka
/// addresses are known only once every replica's ActorSystem is listening: <see cref="Bind"/>, then
/// <see cref="StartAsync"/> with every replica's address.
/// </summary>
public sealed class ReplicaHost : IAsyncDisposable
{
    /// <summary>The name of the consensus actor under /user on every replica.</summary>
    public const string ConsensusActorName = "consensus";

    /// <summary>The name of the checkpoint (state sync) actor under /user on every replica.</summary>
    public const string CheckpointActorName = "checkpoints";

    private readonly ReplicaHostOptions _options;
    private readonly ConsensusOrdering _ordering = new();

    private readonly AkkaLoggingSetup _logging;

    private ILogger? _startupLog;

    // Debug-level timings of the start's phases: where the time to ready goes.
    private void LogPhase(string phase, long since)
    {
        _startupLog ??= (_options.Logging ?? NullLoggerFactory.Instance).CreateLogger($"replica-{Config.NodeIndex}.host");
        _startupLog.LogDebug("replica {Index}: {Phase} after {Ms:F1} ms", Config.NodeIndex, phase, Stopwatch.GetElapsedTime(since).TotalMilliseconds);
    }

    private ReplicaHost(GenesisConfig config, ReplicaHostOptions options, ActorSystem system, AkkaLoggingSetup logging)
    {
        Config = config;
        _options = options;
        System = system;
        _logging = logging;
    }

    /// <summary>The replica's configuration.</summary>
    public GenesisConfig Config { get; }

    /// <summary>The replica's ActorSystem.</summary>
    public ActorSystem System { get; }

    /// <summary>Where the ActorSystem listens (with the actual port when 0 was asked for).</summary>
    public Address Address => ((ExtendedActorSystem)System).Provider.DefaultAddress;

    /// <summary>Every replica's Akka address by index, once started.</summary>
    public IReadOnlyList<Address> ReplicaAddresses { get; private set; } = [];

    /// <summary>The replica's execution, once started.</summary>
    public ReplicaNode Node { get; private set; } = null!;

    /// <summary>The replica's HTTP gateway, once started.</summary>
    public HttpGateway Gateway { get; private set; } = null!;

    /// <summary>The replica's peer authentication (its signer and its gate with the drop counts), once started.</summary>
    public PeerFrames Frames { get; private set; } = null!;

    /// <summary>The replica's metrics (served at <c>/_/metrics</c>), once started.</summary>
    public ReplicaMetrics Metrics { get; private set; } = null!;

    /// <summary>
    /// Where local commands for consensus go (<see cref="AllowBlocks"/>), once started: the <see cref="ConsensusKeeper"/>,
    /// which forwards them to the consensus actor that runs now, also after the keeper started it again.
    /// </summary>
    public IActorRef Consensus { get; private set; } = ActorRefs.Nobody;

    /// <summary>
    /// Starts the replica's ActorSystem listening on its host and Akka port. With <paramref name="seedNodes"/> it joins
    /// the cluster through them as soon as it can; without, <see cref="StartAsync"/> joins through replica 0.
    /// </summary>
    public static ReplicaHost Bind(GenesisConfig config, ReplicaHostOptions options, IReadOnlyList<Address>? seedNodes = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        Config akka = ClusterHocon.Build(config.Self.Host, options.AkkaPort ?? config.Self.AkkaPort, seedNodes ?? [], options.Throttling,
            options.AkkaBindPort);
        if (options.Storage is not null)
        {
            akka = options.Storage.ConfigFor(config.NodeIndex).WithFallback(akka);
        }
        if (options.AkkaConfig is not null)
        {
            akka = options.AkkaConfig.WithFallback(akka);
        }

        var logging = new AkkaLoggingSetup(options.Logging ?? NullLoggerFactory.Instance);
        long started = Stopwatch.GetTimestamp();
        ActorSystemSetup setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(akka), logging);
        if (ReplicaStorage.SetupFor(akka) is { } storageSetup)
        {
            setup = setup.And(storageSetup);
        }

        ActorSystem system = ActorSystem.Create(ClusterHocon.SystemName, setup);
        var host = new ReplicaHost(config, options, system, logging);
        host.LogPhase("actor system listening", started);
        return host;
    }

    /// <summary>The Akka addresses genesis gives the replicas (fixed ports).</summary>
    public static IReadOnlyList<Address> GenesisAddresses(GenesisConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return [.. config.Nodes.Select(p => ClusterHocon.AddressOf(p.Host, p.AkkaPort))];
    }

    /// <summary>The seed nodes of a subnet: its first two replicas (the first one forms the cluster).</summary>
    public static IReadOnlyList<Address> SeedNodes(IReadOnlyList<Address> replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        return [.. replicas.Take(2)];
    }

    /// <summary>
    /// Joins the cluster (unless seed nodes were configured), starts the consensus actor, execution and the HTTP
    /// gateway. <paramref name="replicaAddresses"/> holds every replica's Akka address by index. Readiness does not wait
    /// for cluster membership: consensus reaches its peers by actor path.
    /// </summary>
    public async Task StartAsync(IReadOnlyList<Address> replicaAddresses, bool joinCluster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replicaAddresses);
        if (replicaAddresses.Count != Config.Replicas)
        {
            throw new ArgumentException($"{replicaAddresses.Count} addresses for a subnet of {Config.Replicas} replicas", nameof(replicaAddresses));
        }

        if (joinCluster)
        {
            // Not awaited and not cancellable: readiness never waits for membership, and the join outlives the caller's token.
            _ = AkkaCluster.Get(System).JoinSeedNodesAsync(SeedNodes(replicaAddresses), CancellationToken.None);
        }

        ReplicaAddresses = replicaAddresses;
        long started = Stopwatch.GetTimestamp();
        ILoggerFactory logging = _options.Logging ?? NullLoggerFactory.Instance;
        Metrics = new ReplicaMetrics(Config.SubnetId.ToString(), Config.NodeIndex);
        SignatureCache signatures = _options.Signatures ?? new SignatureCache();
        Frames = PeerFrames.For(Config, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Metrics.PeerFrameDropped, signatures);
        ConsensusCore core = ReplicaConsensus.CreateCore(Config, _options.Consensus);
        core = new ConsensusCore(core.Config, new MeteredConsensusCrypto(core.Crypto, Metrics));
        LogPhase("consensus core made", started);
        ActorPath[] peers = [.. replicaAddresses.Select(a => new RootActorPath(a) / "user" / ConsensusActorName)];
        IStateSync? stateSync = _options.StateSync?.Invoke(this) ?? StartCheckpoints(replicaAddresses, core.Config.CatchUpInterval, logging);
        Node = new ReplicaNode(Config, _options.Canisters, _ordering, _options.Time, stateSync,
            logging.CreateLogger($"replica-{Config.NodeIndex}"))
        {
            Metrics = Metrics,
            ImpersonationAllowed = _options.ImpersonationAllowed,
            ChargeCycles = _options.ChargeCycles,
            Signatures = signatures,
            BehindThreshold = _options.CertifiedBehindHeights ?? (2 * core.Config.CatchUpInterval),
        };
        LogPhase("execution made", started);
        Metrics.Observe(() => Node.ExecutedHeight, () => Node.Latest?.Height ?? 0, PeersConnected);
        Props consensus = ConsensusActor.Props(core, peers, _options.Time, _ordering, logging.CreateLogger($"replica-{Config.NodeIndex}.consensus"),
            ReplicaConsensus.PersistenceId(Config), Frames, Metrics, _options.Byzantine);
        ILogger keeperLog = logging.CreateLogger($"replica-{Config.NodeIndex}.consensus");
        if (_options.Byzantine != ByzantineMode.None)
        {
            keeperLog.LogWarning("replica {Index} is BYZANTINE on purpose: --byzantine {Mode} (tests and research only; never in a real subnet)",
                Config.NodeIndex, ByzantineModes.Name(_options.Byzantine));
        }

        IActorRef first = System.ActorOf(consensus, ConsensusActorName);
        _ordering.Attach(first);
        Consensus = System.ActorOf(
            FactoryProps.Of(() => new ConsensusKeeper(first, () => System.ActorOf(consensus, ConsensusActorName), _ordering, _options.PersistenceRetries, _options.PersistenceRetryDelay, keeperLog)),
            ConsensusActorName + "-keeper");
        if (_checkpointStore is not null)
        {
            await _checkpointStore.HeightsAsync(cancellationToken).ConfigureAwait(false); // listed now, not under the execution lock
            LogPhase("checkpoints listed", started);
        }

        Node.Start();
        LogPhase("execution started", started);
        Gateway = await HttpGateway.StartAsync(Node, _options.HttpAddress, _options.HttpPort ?? Config.Self.HttpPort, _options.SyncCallTimeout,
            cancellationToken: cancellationToken, testApi: _options.TestApi, replicaUrls: _options.ReplicaUrls).ConfigureAwait(false);
        LogPhase("gateway listening", started);
    }

    // The other replicas this one's cluster member sees up and reachable.
    private int PeersConnected()
    {
        var state = AkkaCluster.Get(System).State;
        return state.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up && m.Address != Address && !state.Unreachable.Contains(m));
    }

    /// <summary>From now on peers going away is expected: Akka's warnings about it are not logged.</summary>
    public void BeginStopping() => _logging.Stopping = true;

    private CheckpointStore? _checkpointStore;

    /// <summary>The replica's checkpoints and state sync, when it persists (null otherwise).</summary>
    public CheckpointStateSync? Checkpoints { get; private set; }

    // With persistent storage: checkpoints every catch-up interval, and the actor that serves them to peers and
    // fetches one when this replica jumps to a catch-up package.
    private CheckpointStateSync? StartCheckpoints(IReadOnlyList<Address> replicaAddresses, long catchUpInterval, ILoggerFactory logging)
    {
        if (_options.Storage is null)
        {
            return null;
        }

        var store = new CheckpointStore(System, Config.SubnetId.ToString(), Config.NodeIndex);
        _checkpointStore = store;
        var sync = new CheckpointStateSync(store, SubnetTopology.From(Config), catchUpInterval, logging.CreateLogger($"replica-{Config.NodeIndex}.checkpoints"));
        var provider = ((ExtendedActorSystem)System).Provider;
        IActorRef?[] peers = [.. replicaAddresses.Select((a, i) => i == Config.NodeIndex ? null
            : provider.ResolveActorRef(new RootActorPath(a) / "user" / CheckpointActorName))];
        var settings = new CheckpointSyncActor.Settings(Config.NodeIndex, Config.Replicas, store, i => peers[i], Frames, sync.InstallAsync,
            TimeSpan.FromSeconds(30), Byzantine: _options.Byzantine);
        sync.Attach(System.ActorOf(FactoryProps.Of(() => new CheckpointSyncActor(settings)), CheckpointActorName));
        sync.Stored = Metrics.CheckpointStored;
        Checkpoints = sync;
        return sync;
    }

    /// <summary>Stops the gateway, the ActorSystem and execution.</summary>
    public async ValueTask DisposeAsync()
    {
        BeginStopping();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync().ConfigureAwait(false);
        }

        await System.Terminate().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (Node is not null)
        {
            await Node.DisposeAsync().ConfigureAwait(false);
        }

        Metrics?.Dispose();
    }
}
