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
        string connection = ReplicaStorage.Sqlite(_dir).ConfigFor(3).GetString("akka.persistence.journal.sql.connection-string");
        Assert.That(File.Exists(Path.Combine(_dir, "replica-3.db")), Is.True);
        using var db = new SqliteConnection(connection);
        db.Open();
        using SqliteCommand mode = db.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.That(mode.ExecuteScalar(), Is.EqualTo("wal"));
    }

    [Test]
    public void SetupFor_SqliteConfig_ConnectionsOpenWithSynchronousNormal()
    {
        Akka.Configuration.Config akka = ReplicaStorage.Sqlite(_dir).ConfigFor(2);
        string connection = akka.GetString("akka.persistence.journal.sql.connection-string");
        var setup = (Akka.Persistence.Sql.Config.MultiDataOptionsSetup)ReplicaStorage.SetupFor(akka)!;

        using (var plain = new SqliteConnection(connection))
        {
            plain.Open();
            Assert.That(Synchronous(plain), Is.EqualTo(2L), "SQLite's default is FULL: a sync at every commit");
        }

        // The options the journal connects with: the database its configuration names, NORMAL once open.
        Assert.That(setup.TryGetDataOptionsFor("akka.persistence.journal.sql", out LinqToDB.DataOptions? journal), Is.True);
        Assert.That(setup.TryGetDataOptionsFor("akka.persistence.snapshot-store.sql", out _), Is.True);
        using var data = new LinqToDB.Data.DataConnection(journal!);
        Assert.That(data.ConnectionString, Is.EqualTo(connection));
        Assert.That(Synchronous((SqliteConnection)data.OpenDbConnection()), Is.EqualTo(1L));

        // An override of the configuration's connection string is what the options take.
        string other = new SqliteConnectionStringBuilder(connection) { Mode = SqliteOpenMode.ReadOnly }.ToString();
        var overridden = (Akka.Persistence.Sql.Config.MultiDataOptionsSetup)ReplicaStorage.SetupFor(Akka.Configuration.ConfigurationFactory
            .ParseString($"akka.persistence.journal.sql.connection-string = \"{other.Replace("\"", "\\\"", StringComparison.Ordinal)}\"").WithFallback(akka))!;
        Assert.That(overridden.TryGetDataOptionsFor("akka.persistence.journal.sql", out LinqToDB.DataOptions? o), Is.True);
        using var overriddenData = new LinqToDB.Data.DataConnection(o!);
        Assert.That(overriddenData.ConnectionString, Is.EqualTo(other));
        Assert.That(ReplicaStorage.SetupFor(Akka.Configuration.ConfigurationFactory.ParseString(
            "akka.persistence.journal.sql { provider-name = PostgreSQL15, connection-string = \"Host=localhost\" }")), Is.Null, "PostgreSQL: the server's own settings");

        static long Synchronous(SqliteConnection db)
        {
            using SqliteCommand pragma = db.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous;";
            return (long)pragma.ExecuteScalar()!;
        }
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Sqlite_JournalAndSnapshots_WalIndexInHeapNoMemoryMappedShmFile()
    {
        // A -shm file is memory-mapped: one that cannot be written kills the process with SIGBUS instead of failing a write.
        ReplicaStorage storage = ReplicaStorage.Sqlite(_dir);
        await WriteThenRecover(storage, "subnet-" + Guid.NewGuid().ToString("N"));
        using var db = new SqliteConnection(storage.ConfigFor(1).GetString("akka.persistence.journal.sql.connection-string"));
        db.Open();
        using SqliteCommand read = db.CreateCommand();
        read.CommandText = "SELECT COUNT(*) FROM journal";
        Assert.That(read.ExecuteScalar(), Is.GreaterThan(0L), "an open connection on the journal");
        Assert.That(Directory.GetFiles(_dir, "*-shm"), Is.Empty, "no wal-index file to map");
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Sqlite_DatabaseInUse_AnotherProcessIsLockedOut()
    {
        ReplicaStorage storage = ReplicaStorage.Sqlite(_dir);
        string subnet = "subnet-" + Guid.NewGuid().ToString("N");
        await WriteThenRecover(storage, subnet);
        using var db = new SqliteConnection(storage.ConfigFor(1).GetString("akka.persistence.journal.sql.connection-string"));
        db.Open();
        using (SqliteCommand read = db.CreateCommand())
        {
            read.CommandText = "SELECT COUNT(*) FROM journal";
            Assert.That(read.ExecuteScalar(), Is.GreaterThan(0L), "this process holds the database");
        }

        // sqlite3 is not installed everywhere; python3's sqlite3 module is a second process with its own SQLite.
        var psi = new System.Diagnostics.ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import sqlite3,sys\ntry:\n  print(sqlite3.connect(sys.argv[1], timeout=0.2).execute('SELECT COUNT(*) FROM journal').fetchone()[0])\nexcept sqlite3.OperationalError as e:\n  print('refused:', e)");
        psi.ArgumentList.Add(Path.Combine(_dir, "replica-1.db"));
        System.Diagnostics.Process python;
        try
        {
            python = System.Diagnostics.Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("python3 is not installed: no second process to try the lock with");
            return;
        }

        using (python)
        {
            string output = await python.StandardOutput.ReadToEndAsync();
            await python.WaitForExitAsync();
            Assert.That(output, Does.StartWith("refused: database is locked"), await python.StandardError.ReadToEndAsync());
        }
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
    public async Task PostgreSql_ResetReplica_ForgetsOnlyThatReplicasRows()
    {
        ReplicaStorage storage = ReplicaStorage.PostgreSql(TestPostgres.ConnectionStringOrIgnore());
        // An underscore and a percent sign in the id: LIKE wildcards the reset must take literally.
        string subnet = "sub_net%" + Guid.NewGuid().ToString("N");
        string lookalike = "subXnetX" + subnet[8..];
        try
        {
            await WriteThenRecover(storage, subnet, replica: 1);
            await WriteThenRecover(storage, subnet, replica: 10);
            await WriteThenRecover(storage, lookalike, replica: 1);

            storage.ResetReplica(subnet, 1);

            Assert.That(await Recover(storage, subnet, replica: 1), Is.Empty);
            Assert.That(await Recover(storage, subnet, replica: 10), Has.Count.EqualTo(6), "replica 10 shares the prefix digit, not the replica");
            Assert.That(await Recover(storage, lookalike, replica: 1), Has.Count.EqualTo(6), "'_' and '%' in the subnet id are not wildcards");
        }
        finally
        {
            storage.ResetReplica(subnet, 10);
            storage.ResetReplica(lookalike, 1);
        }
    }

    [Test]
    public void PostgreSql_BadConnectionString_ThrowsArgumentException() =>
        Assert.That(() => ReplicaStorage.PostgreSql("Host=x;NoSuchKeyword=1"), Throws.ArgumentException);

    [Test]
    public void PersistenceId_IncludesSubnetIndexAndRole() =>
        Assert.That(ReplicaStorage.PersistenceId("abc-cai", 2, "consensus"), Is.EqualTo("abc-cai/2/consensus"));

    // The replica persists six events with a snapshot after the third; a fresh actor system recovers all six.
    private static async Task WriteThenRecover(ReplicaStorage storage, string subnet, int replica = 1)
    {
        using (ActorSystem system = ActorSystem.Create("w", storage.ConfigFor(replica)))
        {
            IActorRef log = system.ActorOf(Props.Create(() => new EventLog(ReplicaStorage.PersistenceId(subnet, replica, "test"))));
            for (int i = 0; i < 6; i++)
            {
                await log.Ask<string>(new Append($"e{i}", Snapshot: i == 2), Timeout);
            }

            await system.Terminate();
        }

        Recovered recovered = await RecoverState(storage, subnet, replica);
        Assert.That(recovered.Events, Is.EqualTo(new[] { "e0", "e1", "e2", "e3", "e4", "e5" }));
        Assert.That(recovered.FromSnapshot, Is.True, "recovery started from the snapshot store");
    }

    private static async Task<IReadOnlyList<string>> Recover(ReplicaStorage storage, string subnet, int replica = 1) =>
        (await RecoverState(storage, subnet, replica)).Events;

    private static async Task<Recovered> RecoverState(ReplicaStorage storage, string subnet, int replica = 1)
    {
        using ActorSystem system = ActorSystem.Create("r", storage.ConfigFor(replica));
        IActorRef log = system.ActorOf(Props.Create(() => new EventLog(ReplicaStorage.PersistenceId(subnet, replica, "test"))));
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
