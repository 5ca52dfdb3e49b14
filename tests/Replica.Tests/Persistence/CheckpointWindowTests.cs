using System.Security.Cryptography;
using Akka.Actor;
using Akka.Configuration;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Persistence;
using InternetIdentity.Replica.Wire;

namespace InternetIdentity.Replica.Tests.Persistence;

/// <summary>
/// A checkpoint many times the transport's frame crosses real remoting to a replica that was down, a window of pieces
/// at a time.
/// </summary>
[NonParallelizable]
public sealed class CheckpointWindowTests
{
    private const int Frame = 256 * 1024;
    private const int Chunk = 64 * 1024;
    private const int Window = 4 * Chunk;

    private static Config Remote(string name) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp {
          hostname = 127.0.0.1
          port = 0
          maximum-frame-size = {{Frame}}b
          send-buffer-size = {{2 * Frame}}b
          receive-buffer-size = {{2 * Frame}}b
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.loglevel = WARNING
        """).WithFallback(ConfigurationFactory.ParseString(ReplicaSerializer.Hocon));

    // Counts what the fetching replica asks of its peer.
    private sealed class CountingPeer(ICanTell inner) : ICanTell
    {
        public int Requests;

        public void Tell(object message, IActorRef sender)
        {
            if (message is SignedFrame)  // only requests go this way
            {
                Interlocked.Increment(ref Requests);
            }

            inner.Tell(message, sender);
        }
    }

    [Test]
    public async Task Fetch_CheckpointTwelveFramesLarge_ArrivesOverRemotingInWindows()
    {
        byte[] state = new byte[12 * Frame];
        new Random(13).NextBytes(state);
        var checkpoint = new Checkpoint(100, SHA256.HashData("root"u8), state);
        using ActorSystem server = ActorSystem.Create("subnet", Remote("server"));
        using ActorSystem client = ActorSystem.Create("subnet", Remote("client"));
        var serverStore = new CheckpointStore(server, "subnet", 1);
        await serverStore.SaveAsync(checkpoint);
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        CheckpointSyncActor.Settings Of(int me, CheckpointStore store, Func<int, ICanTell?> peer) => new(me, 2, store, peer,
            TestSubnets.Frames(TestSubnets.Create(2)[me]),
            (_, bytes, _) => { received.TrySetResult(bytes); return Task.FromResult(bytes.AsSpan().SequenceEqual(state)); },
            TimeSpan.FromSeconds(30), ChunkSize: Chunk, WindowBytes: Window);

        CheckpointSyncActor.Settings serving = Of(1, serverStore, _ => null);
        server.ActorOf(Props.Create(() => new CheckpointSyncActor(serving)), ReplicaHost.CheckpointActorName);
        Address serverAddress = ((ExtendedActorSystem)server).Provider.DefaultAddress;
        var peer = new CountingPeer(((ExtendedActorSystem)client).Provider.ResolveActorRef(new RootActorPath(serverAddress) / "user" / ReplicaHost.CheckpointActorName));
        CheckpointSyncActor.Settings fetching = Of(0, new CheckpointStore(client, "subnet", 0), i => i == 1 ? peer : null);
        IActorRef fetcher = client.ActorOf(Props.Create(() => new CheckpointSyncActor(fetching)), ReplicaHost.CheckpointActorName);

        var installed = await fetcher.Ask<CheckpointSyncActor.Installed>(new CheckpointSyncActor.Fetch(100, checkpoint.StateRoot, SHA256.HashData(state)),
            TimeSpan.FromSeconds(60));

        Assert.That(installed, Is.EqualTo(new CheckpointSyncActor.Installed(100, 1)));
        Assert.That((await received.Task).Length, Is.EqualTo(state.Length));
        Assert.That(peer.Requests, Is.EqualTo(state.Length / Window), "one request per window: never more than a window in flight from the peer");
    }
}
