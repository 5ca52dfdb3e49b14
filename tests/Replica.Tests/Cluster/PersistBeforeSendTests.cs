using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using InternetIdentity.Consensus;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Genesis;
using Microsoft.Extensions.Logging.Abstractions;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>A replica never tells a peer what it has not journaled yet: a restart could otherwise make it contradict itself.</summary>
[NonParallelizable]
public class PersistBeforeSendTests
{
    [Test]
    public async Task ConsensusActor_JournalWritesHeld_ProposalsAndTheirStepsMessagesWaitForThem()
    {
        GatedJournal.Close();
        using ActorSystem system = ActorSystem.Create(ClusterHocon.SystemName, ConfigurationFactory.ParseString(GatedJournal.Hocon));
        var received = new ConcurrentQueue<PeerMessage>();
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        system.ActorOf(Props.Create(() => new Recorder(received, configs)), "peers");
        ActorPath peers = ActorPath.Parse($"akka://{ClusterHocon.SystemName}/user/peers");

        // Four replicas that cannot hear each other: every message they send lands in the recorder. No idle block delay,
        // so that the rank-0 maker proposes in its very first step, together with its beacon share.
        foreach (GenesisConfig config in configs)
        {
            system.ActorOf(ConsensusActor.Props(ReplicaConsensus.CreateCore(config, new ConsensusConfig()), [peers, peers, peers, peers], TimeProvider.System,
                new ConsensusOrdering(), NullLogger.Instance, ReplicaConsensus.PersistenceId(config), TestSubnets.Frames(config)), $"consensus-{config.NodeIndex}");
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // The two block makers of height 1 (ranks 0 and 1) each try to journal a proposal; the gate holds both writes.
        // The three other replicas' beacon shares leave at once, but reach the recorder asynchronously: wait for them too.
        await Until(() => GatedJournal.Waiting >= 2
            && received.Where(m => m.Message is RandomBeaconShare).Select(m => m.From).Distinct().Count() >= 3, cts.Token);
        Assert.That(received.Select(m => m.Message).OfType<BlockProposal>(), Is.Empty, "no proposal leaves before it is journaled");
        int[] beaconSenders = [.. received.Where(m => m.Message is RandomBeaconShare).Select(m => m.From).Distinct()];
        Assert.That(beaconSenders, Has.Length.EqualTo(3),
            "beacon shares need no journal and leave at once, except the rank-0 maker's: it proposed in the same step, so that step's messages wait");

        GatedJournal.Open();
        await Until(() => received.Select(m => m.Message).OfType<BlockProposal>().Select(p => p.Block.Maker).Distinct().Count() == 2
            && received.Where(m => m.Message is RandomBeaconShare).Select(m => m.From).Distinct().Count() == 4, cts.Token);
        Assert.That(received.Select(m => m.Message).OfType<BlockProposal>().Select(p => p.Block.Rank).Distinct().Order(), Is.EqualTo(new[] { 0, 1 }));
        await system.Terminate();
    }

    private static async Task Until(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await GatedJournal.Changed.WaitAsync(ct); // released by every held write and every recorded message
        }
    }

    private sealed class Recorder : ReceiveActor
    {
        // Opens each frame with the gate of a replica that is not its sender (replica 3's own frames with replica 0's gate).
        public Recorder(ConcurrentQueue<PeerMessage> received, IReadOnlyList<GenesisConfig> configs)
        {
            FrameGate[] gates = [.. configs.Select(c => FrameGate.For(c))];
            Receive<SignedFrame>(f =>
            {
                if (gates[f.Sender == 0 ? 1 : 0].Open(f, out IReplicaMessage? m) == FrameVerdict.Accepted && m is PeerMessage p)
                {
                    received.Enqueue(p);
                }

                GatedJournal.Changed.Release();
            });
        }
    }
}
