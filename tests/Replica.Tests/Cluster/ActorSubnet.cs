using Akka.Actor;
using Akka.Configuration;
using InternetIdentity.Consensus;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Node;
using Microsoft.Extensions.Logging.Abstractions;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>
/// n consensus actors with their executions in one local ActorSystem (no remoting, so no serialization): what the
/// actor does, apart from the transport.
/// </summary>
internal sealed class ActorSubnet : IAsyncDisposable
{
    private readonly IReadOnlyList<GenesisConfig> _configs;
    private readonly Func<IReadOnlyList<InstalledCanister>> _canisters;
    private readonly ConsensusConfig? _consensus;
    private readonly ActorPath[] _paths;
    private readonly List<ReplicaNode> _nodes = [];
    private readonly List<IActorRef> _actors = [];
    private long _epoch; // a restarted replica's frames are newer than its earlier ones

    private ActorSubnet(ActorSystem system, IReadOnlyList<GenesisConfig> configs, Func<IReadOnlyList<InstalledCanister>> canisters, ConsensusConfig? consensus)
    {
        System = system;
        _configs = configs;
        _canisters = canisters;
        _consensus = consensus;
        _paths = [.. configs.Select(c => ActorPath.Parse($"akka://{ClusterHocon.SystemName}/user/consensus-{c.NodeIndex}"))];
    }

    public ActorSystem System { get; }

    public IReadOnlyList<ReplicaNode> Nodes => _nodes;

    public IReadOnlyList<IActorRef> Actors => _actors;

    public static ActorSubnet Start(IReadOnlyList<GenesisConfig> configs, Func<IReadOnlyList<InstalledCanister>> canisters, ConsensusConfig? consensus = null)
    {
        Config akka = ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """);
        ActorSystem system = ActorSystem.Create(ClusterHocon.SystemName, akka);
        var subnet = new ActorSubnet(system, configs, canisters, consensus);
        foreach (GenesisConfig config in configs)
        {
            (ReplicaNode node, IActorRef actor) = subnet.StartReplica(config);
            subnet._nodes.Add(node);
            subnet._actors.Add(actor);
        }

        return subnet;
    }

    /// <summary>
    /// Stops replica <paramref name="index"/> (actor and execution) and starts it again with fresh canisters: its actor
    /// recovers from the journal, which outlives actors in this ActorSystem.
    /// </summary>
    public async Task RestartAsync(int index)
    {
        await _actors[index].GracefulStop(TimeSpan.FromSeconds(30));
        await _nodes[index].DisposeAsync();
        (_nodes[index], _actors[index]) = StartReplica(_configs[index]);
    }

    private (ReplicaNode, IActorRef) StartReplica(GenesisConfig config)
    {
        var ordering = new ConsensusOrdering();
        var node = new ReplicaNode(config, _canisters(), ordering, TimeProvider.System);
        IActorRef actor = System.ActorOf(
            ConsensusActor.Props(ReplicaConsensus.CreateCore(config, _consensus), _paths, TimeProvider.System, ordering, NullLogger.Instance,
                ReplicaConsensus.PersistenceId(config), TestSubnets.Frames(config, Interlocked.Increment(ref _epoch))),
            $"consensus-{config.NodeIndex}");
        ordering.Attach(actor);
        node.Start();
        return (node, actor);
    }

    public async ValueTask DisposeAsync()
    {
        await System.Terminate();
        foreach (ReplicaNode node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
