using Akka.Actor;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Persistence;
using Microsoft.Data.Sqlite;

namespace InternetIdentity.Replica.Tests.Persistence;

[TestFixture]
[NonParallelizable]
public sealed class CheckpointStoreTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("iinet-checkpoints-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static Checkpoint At(long height) =>
        new(height, Enumerable.Repeat((byte)height, 32).ToArray(), Enumerable.Range(0, 3000).Select(i => (byte)(i * height)).ToArray());

    [Test]
    public async Task Sqlite_SaveThree_KeepsTheNewestTwoAcrossRestarts()
    {
        await SaveThreeThenRecover(ReplicaStorage.Sqlite(_dir), "subnet-" + Guid.NewGuid().ToString("N"));
        using var db = new SqliteConnection($"Data Source={Path.Combine(_dir, "replica-2.db")}");
        db.Open();
        Assert.That(Scalar(db, "SELECT group_concat(height || ':' || length(state)) FROM (SELECT * FROM checkpoints ORDER BY height)"), Is.EqualTo("20:3000,30:3000"),
            "the states as they are, in the checkpoint table");
        Assert.That(Scalar(db, "SELECT count(*) FROM snapshot"), Is.EqualTo(0L), "nothing in the snapshot store");
    }

    [Test]
    public async Task Sqlite_CheckpointsAnOlderVersionStoredInTheSnapshotStore_LoadedThenDeletedByLaterSaves()
    {
        await OlderVersionsCheckpointLoadedThenDeleted(ReplicaStorage.Sqlite(_dir), "s");
        using var db = new SqliteConnection($"Data Source={Path.Combine(_dir, "replica-0.db")}");
        db.Open();
        Assert.That(Scalar(db, "SELECT count(*) FROM snapshot"), Is.EqualTo(0L), "the old checkpoint's row is gone");
    }

    [Test]
    public Task PostgreSql_CheckpointsAnOlderVersionStoredInTheSnapshotStore_LoadedThenDeletedByLaterSaves() =>
        OnPostgreSqlAsync(OlderVersionsCheckpointLoadedThenDeleted);

    // A subnet of its own in the shared database, its rows removed after.
    private static async Task OnPostgreSqlAsync(Func<ReplicaStorage, string, Task> test)
    {
        ReplicaStorage storage = ReplicaStorage.PostgreSql(TestPostgres.ConnectionStringOrIgnore());
        string subnet = "subnet-" + Guid.NewGuid().ToString("N");
        try
        {
            await test(storage, subnet);
        }
        finally
        {
            storage.Reset(subnet, 3);
        }
    }

    private static async Task OlderVersionsCheckpointLoadedThenDeleted(ReplicaStorage storage, string subnet)
    {
        using (ActorSystem system = ActorSystem.Create("c", storage.ConfigFor(0)))
        {
            // What the previous version did: the checkpoint as an Akka snapshot, the height as its sequence number.
            IActorRef snapshots = Akka.Persistence.Persistence.Instance.Apply(system).SnapshotStoreFor(null);
            var store = new CheckpointStore(system, subnet, 0);
            object saved = await snapshots.Ask(new Akka.Persistence.SaveSnapshot(new Akka.Persistence.SnapshotMetadata(store.PersistenceId, 10, DateTime.UtcNow), At(10)), TimeSpan.FromSeconds(60));
            Assert.That(saved, Is.InstanceOf<Akka.Persistence.SaveSnapshotSuccess>());
            await system.Terminate();
        }

        using (ActorSystem system = ActorSystem.Create("c", storage.ConfigFor(0)))
        {
            var store = new CheckpointStore(system, subnet, 0);
            Assert.That(await store.HeightsAsync(), Is.EqualTo(new long[] { 10 }), "the old checkpoint is listed");
            Assert.That((await store.LoadAsync(10))?.State, Is.EqualTo(At(10).State));
            Assert.That((await store.LatestAsync())?.Height, Is.EqualTo(10));

            await store.SaveAsync(At(20));
            Assert.That((await store.LatestAsync())?.State, Is.EqualTo(At(20).State), "the new one is newer");
            Assert.That((await store.LoadAsync(10))?.StateRoot, Is.EqualTo(At(10).StateRoot), "the old one is still the one before");
            await store.SaveAsync(At(30));
            Assert.That(await store.LoadAsync(10), Is.Null, "deleted as the oldest");
            Assert.That(await store.HeightsAsync(), Is.EqualTo(new long[] { 20, 30 }));
            await system.Terminate();
        }
    }

    private static object? Scalar(SqliteConnection db, string sql)
    {
        using SqliteCommand command = db.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Test]
    public Task PostgreSql_SaveThree_KeepsTheNewestTwoAcrossRestarts() => OnPostgreSqlAsync(SaveThreeThenRecover);

    [Test]
    public async Task SaveAsync_LargeCheckpointBeyondTheBaseTimeout_GetsTimeByItsSize()
    {
        // A base timeout of a millisecond: a fixed timeout would fail this save, the size's allowance (32 s) does not.
        using ActorSystem system = ActorSystem.Create("c", ReplicaStorage.Sqlite(_dir).ConfigFor(0));
        var store = new CheckpointStore(system, "s", 0, TimeSpan.FromMilliseconds(1));
        var large = new Checkpoint(7, new byte[32], new byte[32 * CheckpointStore.MinBytesPerSecond]);

        await store.SaveAsync(large);

        Assert.That((await new CheckpointStore(system, "s", 0).LoadAsync(7))?.State.Length, Is.EqualTo(large.State.Length));
        await system.Terminate();
    }

    [Test]
    public async Task SaveAsync_StateASliceOfAPooledBuffer_StoresTheSliceAndNoLongerReadsTheBuffer()
    {
        // The table (SQLite) and an in-memory snapshot store, which keeps what it is given.
        foreach (bool table in (bool[])[true, false])
        {
            using ActorSystem system = table
                ? ActorSystem.Create("c", ReplicaStorage.Sqlite(_dir).ConfigFor(0))
                : ActorSystem.Create("m", "akka.persistence.snapshot-store.plugin = \"akka.persistence.snapshot-store.inmem\"");
            var store = new CheckpointStore(system, "pooled", 0);
            byte[] buffer = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
            byte[] expected = buffer[1000..4000];

            await store.SaveAsync(9, new byte[32], buffer.AsMemory(1000, 3000));
            Array.Clear(buffer); // returned to the pool and reused

            Assert.That((await store.LoadAsync(9))?.State, Is.EqualTo(expected), table ? "SQLite table" : "in-memory snapshot store");
            await system.Terminate();
        }
    }

    [Test]
    public async Task SaveAsync_CancelledWhileWritingTheState_RollsBackAndKeepsWhatWasStored()
    {
        var table = new SqliteCheckpointTable($"Data Source={Path.Combine(_dir, "cancel.db")}");
        Checkpoint kept = At(5);
        await table.SaveAsync("r", kept.Height, kept.StateRoot, kept.State, CancellationToken.None);

        // The state's memory cancels the save when the table first reads it: inside the transaction, after the row
        // that replaces height 5 (or adds height 6) was inserted with its blob still zeroed.
        foreach (long height in (long[])[5, 6])
        {
            using var cancel = new CancellationTokenSource();
            using var state = new CancellingMemory(new byte[3 * SqliteCheckpointTable.ChunkBytes / 2], cancel);
            Assert.That(async () => await table.SaveAsync("r", height, new byte[32], state.Contents, cancel.Token), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(state.Reads, Is.EqualTo(1), "cancelled after the first chunk, before the commit");
        }

        Assert.That(await table.HeightsAsync("r", CancellationToken.None), Is.EqualTo(new long[] { 5 }));
        Checkpoint? loaded = await table.LoadAsync("r", long.MaxValue, CancellationToken.None);
        Assert.That(loaded?.Height, Is.EqualTo(5));
        Assert.That(loaded!.StateRoot, Is.EqualTo(kept.StateRoot));
        Assert.That(loaded.State, Is.EqualTo(kept.State));
    }

    // Memory that cancels a token the first time the table takes its span.
    private sealed class CancellingMemory : System.Buffers.MemoryManager<byte>
    {
        private readonly byte[] _bytes;
        private readonly CancellationTokenSource _cancel;
        private readonly bool _armed;

        public CancellingMemory(byte[] bytes, CancellationTokenSource cancel)
        {
            (_bytes, _cancel) = (bytes, cancel);
            Contents = Memory; // takes the span once, for its length
            _armed = true;
        }

        public ReadOnlyMemory<byte> Contents { get; }

        public int Reads { get; private set; }

        public override Span<byte> GetSpan()
        {
            if (_armed)
            {
                Reads++;
                _cancel.Cancel();
            }

            return _bytes;
        }

        public override System.Buffers.MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    [Test]
    public void TimeoutFor_Bytes_BasePlusOneSecondPerMib()
    {
        Assert.That(CheckpointStore.TimeoutFor(TimeSpan.FromSeconds(60), 0), Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(CheckpointStore.TimeoutFor(TimeSpan.FromSeconds(60), 247 * CheckpointStore.MinBytesPerSecond), Is.EqualTo(TimeSpan.FromSeconds(307)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointStore.TimeoutFor(TimeSpan.FromSeconds(60), -1));
    }

    [Test]
    public async Task LatestAsync_NothingStored_Null()
    {
        using ActorSystem system = ActorSystem.Create("c", ReplicaStorage.Sqlite(_dir).ConfigFor(0));
        var store = new CheckpointStore(system, "s", 0);
        Assert.That(await store.LatestAsync(), Is.Null);
        Assert.That(await store.HeightsAsync(), Is.Empty);
        await system.Terminate();
    }

    [Test]
    public async Task LoadAsync_HeightMissing_NullNotTheNewestBelow()
    {
        using ActorSystem system = ActorSystem.Create("c", ReplicaStorage.Sqlite(_dir).ConfigFor(0));
        var store = new CheckpointStore(system, "s", 0);
        await store.SaveAsync(At(100));
        Assert.That(await store.LoadAsync(150), Is.Null, "the checkpoint at 100 is not the one at 150");
        Assert.That((await store.LoadAsync(100))?.Height, Is.EqualTo(100));
        Assert.That(await store.LoadAsync(50), Is.Null);
        await system.Terminate();
    }

    private static async Task SaveThreeThenRecover(ReplicaStorage storage, string subnet)
    {
        using (ActorSystem system = ActorSystem.Create("c", storage.ConfigFor(2)))
        {
            var store = new CheckpointStore(system, subnet, 2);
            await store.SaveAsync(At(10));
            await store.SaveAsync(At(20));
            await store.SaveAsync(At(30));
            Assert.That(await store.HeightsAsync(), Is.EqualTo(new long[] { 20, 30 }));
            var otherReplica = new CheckpointStore(system, subnet, 1);
            Assert.That(await otherReplica.LatestAsync(), Is.Null, "replica 1 does not see replica 2's checkpoints");
            await system.Terminate();
        }

        using (ActorSystem system = ActorSystem.Create("c", storage.ConfigFor(2)))
        {
            var store = new CheckpointStore(system, subnet, 2);
            Checkpoint? latest = await store.LatestAsync();
            Checkpoint? twenty = await store.LoadAsync(20);
            Assert.That(await store.LoadAsync(10), Is.Null, "deleted: only the newest two are kept");
            Assert.That(latest?.Height, Is.EqualTo(30));
            Assert.That(latest!.State, Is.EqualTo(At(30).State));
            Assert.That(latest.StateRoot, Is.EqualTo(At(30).StateRoot));
            Assert.That(twenty?.State, Is.EqualTo(At(20).State));
            await system.Terminate();
        }
    }
}

/// <summary>Saving a checkpoint (under the replica's execution lock) never loads checkpoints to list them.</summary>
[NonParallelizable]
public sealed class CheckpointListingTests
{
    private static Checkpoint At(long height) => new(height, new byte[32], new byte[1000]);

    [Test]
    public async Task SaveAsync_AfterTheFirstListing_LoadsNoCheckpointAndKeepsTheNewestTwo()
    {
        using ActorSystem system = ActorSystem.Create("checkpoints", Akka.Configuration.ConfigurationFactory.ParseString(CountingSnapshotStore.Hocon));
        var store = new CheckpointStore(system, "subnet", 0);
        await store.SaveAsync(At(100));
        Assert.That(await store.HeightsAsync(), Is.EqualTo(new long[] { 100 }));
        int loads = CountingSnapshotStore.Loads;

        for (long h = 200; h <= 600; h += 100)
        {
            await store.SaveAsync(At(h));
        }

        Assert.That(CountingSnapshotStore.Loads, Is.EqualTo(loads), "no checkpoint loaded to list the heights");
        Assert.That(await store.HeightsAsync(), Is.EqualTo(new long[] { 500, 600 }));
        Assert.That(await new CheckpointStore(system, "subnet", 0).HeightsAsync(), Is.EqualTo(new long[] { 600 }), "a new store learns the newest");
        Assert.That(await store.LoadAsync(400), Is.Null, "older ones deleted");
        Assert.That((await store.LoadAsync(500))?.Height, Is.EqualTo(500), "the one before is kept");
    }

    [Test]
    public async Task HeightsAsync_NewStore_LoadsOnlyTheNewestAndHandsItToItsFirstLoad()
    {
        using ActorSystem system = ActorSystem.Create("checkpoints", Akka.Configuration.ConfigurationFactory.ParseString(CountingSnapshotStore.Hocon));
        var before = new CheckpointStore(system, "listing", 0);
        await before.SaveAsync(At(100));
        await before.SaveAsync(At(200));
        var restarted = new CheckpointStore(system, "listing", 0);
        int loads = CountingSnapshotStore.Loads;

        Assert.That(await restarted.HeightsAsync(), Is.EqualTo(new long[] { 200 }));
        Assert.That(CountingSnapshotStore.Loads, Is.EqualTo(loads + 1), "one checkpoint loaded to learn the newest height");
        Assert.That((await restarted.LoadAsync(200))?.Height, Is.EqualTo(200));
        Assert.That(CountingSnapshotStore.Loads, Is.EqualTo(loads + 1), "the restore after a restart reads it from the listing");
        Assert.That((await restarted.LoadAsync(200))?.Height, Is.EqualTo(200));
        Assert.That(CountingSnapshotStore.Loads, Is.EqualTo(loads + 2), "handed out once, then read from the store");

        await restarted.SaveAsync(At(300));
        Assert.That(await restarted.LoadAsync(100), Is.Null, "the save deletes what the listing did not see");
        Assert.That(await restarted.HeightsAsync(), Is.EqualTo(new long[] { 200, 300 }));
    }
}
