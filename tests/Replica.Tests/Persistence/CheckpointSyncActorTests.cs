using System.Collections.Concurrent;
using Akka.Actor;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Persistence;
using InternetIdentity.Replica.State;
using InternetIdentity.Replica.Wire;
using Microsoft.Data.Sqlite;

namespace InternetIdentity.Replica.Tests.Persistence;

[TestFixture]
[NonParallelizable]
public sealed class CheckpointSyncActorTests
{
    private const ulong T0 = 1_700_000_000_000_000_000;
    private static readonly SubnetTopology Topology = SubnetTopology.From(TestSubnets.Create(4)[0]);
    private string _dir = "";
    private ActorSystem _system = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("iinet-sync-").FullName;
        _system = ActorSystem.Create("sync", ReplicaStorage.Sqlite(_dir).ConfigFor(0));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _system.Terminate();
        _system.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    // A state with `calls` whoami calls executed at height 10: each leaves a request status.
    private static ExecutionState StateWith(int calls)
    {
        var state = new ExecutionState(SubnetCanisters.Create(), 0);
        for (ulong h = 1; h <= 10; h++)
        {
            IngressMessage[] messages = h == 10
                ? [.. Enumerable.Range(0, calls).Select(i => new IngressMessage(new RequestId(Enumerable.Repeat((byte)i, 32).ToArray()),
                    Principal.Anonymous, Replica.Canisters.WhoamiCanister.Id, "whoami", "DIDL\0\0"u8.ToArray(), T0 + 60_000_000_000))]
                : [];
            state.Execute(new Batch(h, T0, new byte[32], messages));
        }

        return state;
    }

    private static byte[] HashOf(Checkpoint c) => System.Security.Cryptography.SHA256.HashData(c.State);

    // A state at height 10 with one II anchor whose device key is `key`.
    private static ExecutionState StateWithAnchor(byte[] key)
    {
        var state = new ExecutionState(SubnetCanisters.Create(), 0);
        for (ulong h = 1; h <= 10; h++)
        {
            IngressMessage[] messages = h == 10
                ? [new IngressMessage(new RequestId(new byte[32]), IiRegistration.Caller(key), SubnetCanisters.InternetIdentityId, "register",
                    IiRegistration.Argument(key), T0 + 60_000_000_000)]
                : [];
            state.Execute(new Batch(h, T0, new byte[32], messages));
        }

        return state;
    }

    private static Checkpoint CheckpointOf(ExecutionState s) => new((long)s.Height, s.BuildTree(Topology).Digest.ToArray(), ExecutionCheckpoint.Take(s));

    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(_ => { });
    }

    // `offered` records the size of every checkpoint replica 0 hands its installer.
    private (IActorRef Actor, ExecutionState Target) StartReplicas(Func<int, Checkpoint?> stored, ISet<int>? silent = null, TimeSpan? timeout = null,
        long maxStateBytes = WireCodec.MaxCheckpointStateBytes, ConcurrentQueue<int>? offered = null, ISet<int>? corrupting = null)
    {
        var actors = new IActorRef[4];
        ExecutionState target = new(SubnetCanisters.Create(), 0);
        for (int i = 0; i < 4; i++)
        {
            var store = new CheckpointStore(_system, "subnet", i);
            if (stored(i) is { } c)
            {
                store.SaveAsync(c).GetAwaiter().GetResult();
            }

            int me = i;
            var settings = new CheckpointSyncActor.Settings(i, 4, store, p => actors[p], TestSubnets.Frames(TestSubnets.Create(4)[i]),
                (h, bytes, root) =>
                {
                    if (me == 0)
                    {
                        offered?.Enqueue(bytes.Length);
                    }

                    return Task.FromResult(me == 0 && ExecutionCheckpoint.TryInstall(target, bytes, Topology, root, out _));
                },
                timeout ?? TimeSpan.FromSeconds(60), ChunkSize: 1000, MaxStateBytes: maxStateBytes,
                Byzantine: corrupting?.Contains(i) == true ? ByzantineMode.BadCheckpoint : ByzantineMode.None);
            actors[i] = silent?.Contains(i) == true ? _system.ActorOf(Props.Create(() => new Silent())) : _system.ActorOf(Props.Create(() => new CheckpointSyncActor(settings)));
        }

        return (actors[0], target);
    }

    [Test]
    public async Task Fetch_NoLocalCheckpoint_SkipsAWrongRootAndAMissingOneAndInstallsAMatchingOne()
    {
        Checkpoint good = CheckpointOf(StateWith(40));
        Checkpoint other = CheckpointOf(StateWith(41));
        (IActorRef replica0, ExecutionState target) = StartReplicas(i => i switch { 1 => other with { StateRoot = good.StateRoot }, 3 => good, _ => null });

        var installed = await replica0.Ask<CheckpointSyncActor.Installed>(new CheckpointSyncActor.Fetch(10, good.StateRoot, HashOf(good)), TimeSpan.FromSeconds(60));

        Assert.That(installed, Is.EqualTo(new CheckpointSyncActor.Installed(10, 3)));
        Assert.That(good.State, Has.Length.GreaterThan(2000), "sent in several 1,000-byte pieces");
        Assert.That(target.BuildTree(Topology).Digest.ToArray(), Is.EqualTo(good.StateRoot));
        Checkpoint? kept = await new CheckpointStore(_system, "subnet", 0).LoadAsync(10);
        Assert.That(kept?.State, Is.EqualTo(good.State), "stored locally to serve others");
    }

    [Test]
    public async Task Fetch_PeerServesAnAnchorWithAnotherDeviceUnderTheSameRoot_RefusesItAndInstallsTheVouchedOne()
    {
        byte[] key = IiRegistration.DeviceKey(1);
        Checkpoint good = CheckpointOf(StateWithAnchor(key));
        // A faulty peer swaps the anchor's device key for its own: II's anchors are not in the certified state tree.
        byte[] forgedState = Replace(good.State, key, IiRegistration.DeviceKey(666));
        Assert.That(forgedState, Is.Not.EqualTo(good.State), "the device key is in the checkpoint");
        var probe = new ExecutionState(SubnetCanisters.Create(), 0);
        Assert.That(ExecutionCheckpoint.TryInstall(probe, forgedState, Topology, good.StateRoot, out string? error), Is.True,
            $"the forged checkpoint builds the certified root, so the root alone cannot refuse it ({error})");
        (IActorRef replica0, ExecutionState target) = StartReplicas(i => i switch { 1 => good with { State = forgedState }, 3 => good, _ => null });

        var installed = await replica0.Ask<CheckpointSyncActor.Installed>(new CheckpointSyncActor.Fetch(10, good.StateRoot, HashOf(good)), TimeSpan.FromSeconds(60));

        Assert.That(installed, Is.EqualTo(new CheckpointSyncActor.Installed(10, 3)), "replica 1's checkpoint refused, replica 3's installed");
        Assert.That(ExecutionCheckpoint.Take(target), Is.EqualTo(good.State), "the anchor has its own device");
    }

    [Test]
    public async Task Fetch_PackageWithoutCheckpointHash_InstallsNoPeersCheckpoint()
    {
        Checkpoint good = CheckpointOf(StateWith(5));
        (IActorRef replica0, ExecutionState target) = StartReplicas(i => i == 1 ? good : null, timeout: TimeSpan.FromSeconds(2));

        Assert.ThrowsAsync<AskTimeoutException>(() =>
            replica0.Ask<CheckpointSyncActor.Installed>(new CheckpointSyncActor.Fetch(10, good.StateRoot, null), TimeSpan.FromSeconds(5)));
        Assert.That(target.Height, Is.Zero, "nothing vouches for a peer's canister state");
    }

    private static byte[] Replace(byte[] bytes, byte[] what, byte[] with)
    {
        byte[] result = [.. bytes];
        for (int i = result.AsSpan().IndexOf(what); i >= 0; i = result.AsSpan().IndexOf(what))
        {
            with.CopyTo(result, i);
        }

        return result;
    }

    [Test]
    public async Task Fetch_LocalCheckpoint_InstallsItWithoutAskingPeers()
    {
        Checkpoint good = CheckpointOf(StateWith(5));
        (IActorRef replica0, ExecutionState target) = StartReplicas(i => i == 0 ? good : null);
        var installed = await replica0.Ask<CheckpointSyncActor.Installed>(new CheckpointSyncActor.Fetch(10, good.StateRoot, HashOf(good)), TimeSpan.FromSeconds(60));
        Assert.That(installed.FromPeer, Is.Null);
        Assert.That(target.Height, Is.EqualTo(10));
    }

    [Test]
    public async Task Fetch_SilentPeer_TimesOutAndAsksTheNext()
    {
        Checkpoint good = CheckpointOf(StateWith(5));
        (IActorRef replica0, _) = StartReplicas(i => i is 1 or 2 ? good : null, silent: new HashSet<int> { 1 }, timeout: TimeSpan.FromSeconds(2));
        var installed = await replica0.Ask<CheckpointSyncActor.Installed>(new CheckpointSyncActor.Fetch(10, good.StateRoot, HashOf(good)), TimeSpan.FromSeconds(60));
        Assert.That(installed.FromPeer, Is.EqualTo(2));
    }

    [Test]
    public async Task Fetch_ByzantinePeerCorruptsPieces_RefusedByHashBeforeInstallAndTheNextPeerServes()
    {
        Checkpoint good = CheckpointOf(StateWith(5));
        var offered = new ConcurrentQueue<int>();
        (IActorRef replica0, _) = StartReplicas(i => i is 1 or 2 ? good : null, offered: offered, corrupting: new HashSet<int> { 1 });

        var installed = await replica0.Ask<CheckpointSyncActor.Installed>(new CheckpointSyncActor.Fetch(10, good.StateRoot, HashOf(good)), TimeSpan.FromSeconds(60));

        Assert.That(installed.FromPeer, Is.EqualTo(2), "replica 1 (--byzantine bad-checkpoint) was asked first");
        Assert.That(offered, Is.EqualTo(new[] { good.State.Length }), "the corrupted checkpoint never reached the installer");
    }

    [Test]
    public async Task Fetch_PeerSendsMoreThanTheLimit_SkipsItBeforeBufferingItAll()
    {
        Checkpoint good = CheckpointOf(StateWith(5));
        Checkpoint big = CheckpointOf(StateWith(400)) with { StateRoot = good.StateRoot };
        Assert.That(big.State, Has.Length.GreaterThan(2 * good.State.Length), "the oversized checkpoint must exceed the limit");
        var offered = new ConcurrentQueue<int>();
        (IActorRef replica0, _) = StartReplicas(i => i switch { 1 => big, 2 => good, _ => null }, maxStateBytes: good.State.Length, offered: offered);

        var installed = await replica0.Ask<CheckpointSyncActor.Installed>(new CheckpointSyncActor.Fetch(10, good.StateRoot, HashOf(good)), TimeSpan.FromSeconds(60));

        Assert.That(installed.FromPeer, Is.EqualTo(2));
        Assert.That(offered, Is.EqualTo(new[] { good.State.Length }), "the oversized checkpoint never reached the installer");
    }

    // Replica 1 asks replica 0 in a signed frame and opens the signed answer.
    private static async Task<CheckpointChunk> AskAsReplica1(IActorRef replica0, CheckpointRequest request)
    {
        GenesisConfig replica1 = TestSubnets.Create(4)[1];
        var answer = await replica0.Ask<SignedFrame>(TestSubnets.Frames(replica1).Signer.Seal(request, 0), TimeSpan.FromSeconds(60));
        Assert.That(FrameGate.For(replica1).Open(answer, out IReplicaMessage? opened), Is.EqualTo(FrameVerdict.Accepted));
        return (CheckpointChunk)opened!;
    }

    [Test]
    public async Task Serve_UnsignedRequest_IsNotAnswered()
    {
        (IActorRef replica0, _) = StartReplicas(_ => null);
        Assert.That(async () => await replica0.Ask<object>(new CheckpointRequest(1, 20), TimeSpan.FromSeconds(2)), Throws.InstanceOf<AskTimeoutException>(),
            "only a signed frame says which replica asks");
    }

    [Test]
    public async Task Serve_UnknownHeight_AnswersWithAnEmptyChunk()
    {
        (IActorRef replica0, _) = StartReplicas(_ => null);
        CheckpointChunk chunk = await AskAsReplica1(replica0, new CheckpointRequest(1, 20));
        Assert.That((chunk.From, chunk.Height, chunk.Count), Is.EqualTo((0, 20L, 0)));
    }

    [Test]
    public async Task Serve_OnlyAnOlderCheckpoint_AnswersThatItHasNoneAtTheHeight()
    {
        Checkpoint older = CheckpointOf(StateWith(5));
        (IActorRef replica0, _) = StartReplicas(i => i == 0 ? older : null);
        CheckpointChunk chunk = await AskAsReplica1(replica0, new CheckpointRequest(1, 20));
        Assert.That((chunk.From, chunk.Height, chunk.Count), Is.EqualTo((0, 20L, 0)), "the checkpoint at 10 is not sent under the label 20");
    }
}
