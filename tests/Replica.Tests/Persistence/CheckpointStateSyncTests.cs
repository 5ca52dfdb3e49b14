using System.Security.Cryptography;
using Akka.Actor;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Persistence;
using InternetIdentity.Replica.State;
using InternetIdentity.Replica.Tests.Execution;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace InternetIdentity.Replica.Tests.Persistence;

/// <summary>
/// Taking checkpoints: a large one (a million anchors is a quarter of a gigabyte) is written in the background like a
/// small one, so a replica's execution never waits for another replica's turn, and the replicas of one process still
/// write theirs one at a time.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CheckpointStateSyncTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60); // an upper bound for a loaded machine, not a wait

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("iinet-checkpoint-sync-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task ExecutedAsync_LargeCheckpointWhileAnotherReplicaWritesOne_ReturnsAtOnceAndStoresAfterIt()
    {
        ReplicaStorage storage = ReplicaStorage.Sqlite(_dir);
        using ActorSystem system0 = ActorSystem.Create("r0", storage.ConfigFor(0));
        using ActorSystem system1 = ActorSystem.Create("r1", storage.ConfigFor(1));
        var store0 = new CheckpointStore(system0, "s", 0);
        var store1 = new CheckpointStore(system1, "s", 1);
        // Every checkpoint counts as large here.
        var sync0 = new CheckpointStateSync(store0, ExecutionCheckpointTests.Topology, 10, NullLogger.Instance) { OneAtATimeFromBytes = 1 };
        var sync1 = new CheckpointStateSync(store1, ExecutionCheckpointTests.Topology, 10, NullLogger.Instance) { OneAtATimeFromBytes = 1 };
        using var writing0 = new ManualResetEventSlim();
        using var release0 = new ManualResetEventSlim();
        // Replica 0's store holds the process's turn until released: the callback runs before the turn is given back.
        sync0.Stored = (_, _) =>
        {
            writing0.Set();
            release0.Wait(Bound);
        };
        var state = new ExecutionState(SubnetCanisters.Create(), 0);
        byte[] root = [.. Enumerable.Repeat((byte)7, 32)];

        TakenCheckpoint taken0 = (await sync0.ExecutedAsync(10, root, state, CancellationToken.None).AsTask().WaitAsync(Bound))!;
        Assert.That(writing0.Wait(Bound), Is.True, "replica 0 stored its checkpoint");
        TakenCheckpoint taken1 = (await sync1.ExecutedAsync(10, root, state, CancellationToken.None).AsTask().WaitAsync(Bound))!;

        Assert.That(taken1.Stored.IsCompleted, Is.False, "replica 1 waits for its turn, but not in ExecutedAsync");
        Assert.That(await store1.HeightsAsync(), Is.Empty);
        release0.Set();
        byte[] hash0 = await taken0.Stored.WaitAsync(Bound);
        byte[] hash1 = await taken1.Stored.WaitAsync(Bound);
        Checkpoint? stored1 = await store1.LoadAsync(10);
        Assert.That(stored1, Is.Not.Null);
        Assert.That(hash1, Is.EqualTo(SHA256.HashData(stored1!.State)), "the hash consensus signs is the stored checkpoint's");
        Assert.That(hash1, Is.EqualTo(hash0), "the same state gives the same checkpoint");
        Assert.That(stored1.StateRoot, Is.EqualTo(root));
    }

    [Test]
    public async Task ExecutedAsync_HeightNotAMultipleOfTheInterval_TakesNone()
    {
        ReplicaStorage storage = ReplicaStorage.Sqlite(_dir);
        using ActorSystem system = ActorSystem.Create("r0", storage.ConfigFor(0));
        var sync = new CheckpointStateSync(new CheckpointStore(system, "s", 0), ExecutionCheckpointTests.Topology, 10, NullLogger.Instance);

        Assert.That(await sync.ExecutedAsync(15, new byte[32], new ExecutionState(SubnetCanisters.Create(), 0), CancellationToken.None), Is.Null);
        Assert.That(await sync.ExecutedAsync(0, new byte[32], new ExecutionState(SubnetCanisters.Create(), 0), CancellationToken.None), Is.Null);
    }
}
