using Akka.Actor;
using Akka.Persistence;
using InternetIdentity.Replica.Persistence;
using Microsoft.Data.Sqlite;

namespace InternetIdentity.Replica.Tests.Persistence;

[TestFixture]
[NonParallelizable]
public sealed class ReplicaStorageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("iinet-storage-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task Sqlite_PersistentActor_RecoversEventsAndSnapshotInNewActorSystem()
    {
        ReplicaStorage storage = ReplicaStorage.Sqlite(_dir);
        await WriteThenRecover(storage, "subnet-" + Guid.NewGuid().ToString("N"));
        Assert.That(File.Exists(Path.Combine(_dir, "replica-1.db")), Is.True);
    }

    [Test]
    public void Sqlite_ConfigFor_PutsTheFileInWalMode()
    {
        ReplicaStorage.Sqlite(_dir).ConfigFor(3);
        using var db = new SqliteConnection($"Data Source={Path.Combine(_dir, "replica-3.db")}");
        db.Open();
        using SqliteCommand mode = db.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.That(mode.ExecuteScalar(), Is.EqualTo("wal"));
    }

    [Test]
    public async Task Sqlite_Reset_ForgetsWhatWasPersisted()
    {
        ReplicaStorage storage = ReplicaStorage.Sqlite(_dir);
        string subnet = "subnet-" + Guid.NewGuid().ToString("N");
        await WriteThenRecover(storage, subnet);
        storage.Reset(subnet, 2);
        Assert.That(await Recover(storage, subnet), Is.Empty);
    }

    [Test]
    public async Task PostgreSql_PersistentActor_RecoversEventsAndSnapshotInNewActorSystem()
    {
        ReplicaStorage storage = ReplicaStorage.PostgreSql(TestPostgres.ConnectionStringOrIgnore());
        string subnet = "subnet-" + Guid.NewGuid().ToString("N");
        try
        {
            await WriteThenRecover(storage, subnet);
            string other = "subnet-" + Guid.NewGuid().ToString("N");
            Assert.That(await Recover(storage, other), Is.Empty, "another subnet's replica 1 sees none of these rows");
            storage.Reset(subnet, 2);
            Assert.That(await Recover(storage, subnet), Is.Empty);
        }
        finally
        {
            storage.Reset(subnet, 2);
        }
    }

    [Test]
    public void PostgreSql_BadConnectionString_ThrowsArgumentException() =>
        Assert.That(() => ReplicaStorage.PostgreSql("Host=x;NoSuchKeyword=1"), Throws.ArgumentException);

    [Test]
    public void PersistenceId_IncludesSubnetIndexAndRole() =>
        Assert.That(ReplicaStorage.PersistenceId("abc-cai", 2, "consensus"), Is.EqualTo("abc-cai/2/consensus"));

    // Replica 1 persists six events with a snapshot after the third; a fresh actor system recovers all six.
    private static async Task WriteThenRecover(ReplicaStorage storage, string subnet)
    {
        using (ActorSystem system = ActorSystem.Create("w", storage.ConfigFor(1)))
        {
            IActorRef log = system.ActorOf(Props.Create(() => new EventLog(ReplicaStorage.PersistenceId(subnet, 1, "test"))));
            for (int i = 0; i < 6; i++)
            {
                await log.Ask<string>(new Append($"e{i}", Snapshot: i == 2), Timeout);
            }

            await system.Terminate();
        }

        Recovered recovered = await RecoverState(storage, subnet);
        Assert.That(recovered.Events, Is.EqualTo(new[] { "e0", "e1", "e2", "e3", "e4", "e5" }));
        Assert.That(recovered.FromSnapshot, Is.True, "recovery started from the snapshot store");
    }

    private static async Task<IReadOnlyList<string>> Recover(ReplicaStorage storage, string subnet) =>
        (await RecoverState(storage, subnet)).Events;

    private static async Task<Recovered> RecoverState(ReplicaStorage storage, string subnet)
    {
        using ActorSystem system = ActorSystem.Create("r", storage.ConfigFor(1));
        IActorRef log = system.ActorOf(Props.Create(() => new EventLog(ReplicaStorage.PersistenceId(subnet, 1, "test"))));
        Recovered state = await log.Ask<Recovered>(Query.Instance, Timeout);
        await system.Terminate();
        return state;
    }

    private sealed record Append(string Event, bool Snapshot);

    private sealed class Query
    {
        public static readonly Query Instance = new();
    }

    private sealed record Recovered(string[] Events, bool FromSnapshot);

    private sealed class EventLog : ReceivePersistentActor
    {
        private List<string> _events = [];
        private bool _fromSnapshot;
        private IActorRef? _waiting;

        public EventLog(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<SnapshotOffer>(o =>
            {
                _events = [.. ((string)o.Snapshot).Split(',')];
                _fromSnapshot = true;
            });
            Recover<string>(e => _events.Add(e));
            Command<Append>(a => Persist(a.Event, e =>
            {
                _events.Add(e);
                if (a.Snapshot)
                {
                    // Answer once the snapshot is stored, so that the test knows recovery can use it.
                    _waiting = Sender;
                    SaveSnapshot(string.Join(',', _events));
                    return;
                }

                Sender.Tell(e);
            }));
            Command<SaveSnapshotSuccess>(_ => _waiting?.Tell("snapshot"));
            Command<SaveSnapshotFailure>(f => _waiting?.Tell(new Status.Failure(f.Cause)));
            Command<Query>(_ => Sender.Tell(new Recovered([.. _events], _fromSnapshot)));
        }

        public override string PersistenceId { get; }
    }
}
