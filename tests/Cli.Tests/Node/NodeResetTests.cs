using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Persistence;
using InternetIdentity.Replica.Wire;
using Microsoft.Data.Sqlite;

namespace InternetIdentity.Cli.Tests.Node;

/// <summary>`iinet node --reset` never makes a replica forget votes the subnet has not moved past.</summary>
[TestFixture]
[NonParallelizable]
public sealed class NodeResetTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("iinet-node-reset-").FullName;
        CliHarness.Result genesis = CliHarness.Run("genesis", "--replicas", "4", "--out", _dir);
        Assert.That(genesis.ExitCode, Is.Zero, genesis.Error);
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private sealed class Writer : ReceivePersistentActor
    {
        public Writer(string persistenceId, ConsensusMessage vote, TaskCompletionSource done)
        {
            PersistenceId = persistenceId;
            Recover<object>(_ => { });
            Command<string>(_ => Persist(vote, _ => done.SetResult()));
        }

        public override string PersistenceId { get; }
    }

    [Test]
    public async Task Node_ResetWithVotesAndNoPeerPastThem_ExitsTwoAndKeepsTheJournal()
    {
        string configPath = Directory.GetFiles(_dir, "*.json").Order().First();
        GenesisConfig config = GenesisConfig.Load(configPath);
        string data = Path.Combine(_dir, "state");
        ReplicaStorage storage = ReplicaStorage.Sqlite(data);
        using (ActorSystem system = ActorSystem.Create("votes", storage.ConfigFor(0).WithFallback(ConfigurationFactory.ParseString(ReplicaSerializer.Hocon))))
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new Writer(ReplicaConsensus.PersistenceId(config), new RandomBeacon(7, new byte[48]), done))).Tell("vote");
            await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await system.Terminate();
        }

        SqliteConnection.ClearAllPools();
        CliHarness.Result r = CliHarness.Run("node", "--config", configPath, "--data-dir", data, "--reset");

        Assert.That(r.ExitCode, Is.EqualTo(2), r.Output + r.Error);
        Assert.That(r.Error, Does.Contain("--reset: replica 0 voted up to height 7").And.Contain("0 of its 3 peers").And.Contain("2 must"), r.Error);
        SqliteConnection.ClearAllPools();
        Assert.That(await JournalVotes.HighestHeightAsync(ReplicaStorage.Sqlite(data), config, TimeSpan.FromSeconds(60)), Is.EqualTo(7), "the journal is kept");
    }
}
