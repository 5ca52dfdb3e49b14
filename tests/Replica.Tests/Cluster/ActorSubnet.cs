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
    private ActorSubnet(ActorSystem system, IReadOnlyList<ReplicaNode> nodes, IReadOnlyList<IActorRef> actors)
    {
        System = system;
        Nodes = nodes;
        Actors = actors;
    }

    public ActorSystem System { get; }

    public IReadOnlyList<ReplicaNode> Nodes { get; }

    public IReadOnlyList<IActorRef> Actors { get; }

    public static ActorSubnet Start(IReadOnlyList<GenesisConfig> configs, Func<IReadOnlyList<InstalledCanister>> canisters, ConsensusConfig? consensus = null)
    {
        Config akka = ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """);
        ActorSystem system = ActorSystem.Create(ClusterHocon.SystemName, akka);
        ActorPath[] paths = [.. configs.Select(c => ActorPath.Parse($"akka://{ClusterHocon.SystemName}/user/consensus-{c.NodeIndex}"))];
        var nodes = new List<ReplicaNode>();
        var actors = new List<IActorRef>();
        foreach (GenesisConfig config in configs)
        {
            var ordering = new ConsensusOrdering();
            var node = new ReplicaNode(config, canisters(), ordering, TimeProvider.System);
            IActorRef actor = system.ActorOf(
                ConsensusActor.Props(ReplicaConsensus.CreateCore(config, consensus), paths, TimeProvider.System, ordering, NullLogger.Instance,
                    ReplicaConsensus.PersistenceId(config)),
                $"consensus-{config.NodeIndex}");
            ordering.Attach(actor);
            node.Start();
            nodes.Add(node);
            actors.Add(actor);
        }

        return new ActorSubnet(system, nodes, actors);
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
