using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using InternetIdentity.Consensus;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.Persistence;
using InternetIdentity.Replica.State;
using InternetIdentity.Replica.Tests.Gateway;
using Microsoft.Data.Sqlite;

namespace InternetIdentity.Replica.Tests.Persistence;

/// <summary>
/// Faults with persistence, n = 4 in one process: one replica stops under load and comes back from its files (or its
/// PostgreSQL rows); the others keep finalizing and answering; it catches up, certifies the same state root, and
/// every update finalized before or during the outage has its status on it, executed exactly once.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReplicaRestartTests
{
    private static readonly TimeSpan Milestone = TimeSpan.FromSeconds(120);
    private const int Stopped = 3;
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("iinet-restart-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task StopUnderLoadThenRestart_Sqlite_CatchesUpWithEqualRootAndNoUpdateLostOrRepeated()
    {
        IReadOnlyList<CheckpointSyncActor.Installed> restores =
            await StopUnderLoadThenRestart(ReplicaStorage.Sqlite(_dir), catchUpInterval: 20, outageHeights: 10);
        Assert.That(restores.FirstOrDefault()?.FromPeer, Is.Null, "the first restore came from its own checkpoint at its latest catch-up package");
        SqliteConnection.ClearAllPools();
        using var db = new SqliteConnection($"Data Source={Path.Combine(_dir, "replica-0.db")}");
        db.Open();
        using SqliteCommand rows = db.CreateCommand();
        rows.CommandText = "SELECT COUNT(*), MIN(sequence_number), MAX(sequence_number) FROM journal WHERE persistence_id LIKE '%/0/consensus'";
        using SqliteDataReader r = rows.ExecuteReader();
        r.Read();
        // How much lies above the latest catch-up package depends on timing; that the oldest entries are gone does not.
        Assert.That(r.GetInt64(1), Is.GreaterThan(1), "the journal below the latest catch-up package was deleted");
        Assert.That(r.GetInt64(0), Is.LessThan(r.GetInt64(2)), "the journal below the latest catch-up package was deleted");
    }

    [Test]
    public async Task StopUnderLoadThenRestart_PostgreSql_CatchesUpWithEqualRootAndNoUpdateLostOrRepeated()
    {
        ReplicaStorage storage = ReplicaStorage.PostgreSql(TestPostgres.ConnectionStringOrIgnore());
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4, seed: 2);
        storage.Reset(configs[0].SubnetId.ToString(), 4);
        try
        {
            IReadOnlyList<CheckpointSyncActor.Installed> restores = await StopUnderLoadThenRestart(storage, catchUpInterval: 20, outageHeights: 10, seed: 2);
            Assert.That(restores.FirstOrDefault()?.FromPeer, Is.Null, "the first restore came from its own checkpoint at its latest catch-up package");
        }
        finally
        {
            storage.Reset(configs[0].SubnetId.ToString(), 4);
        }
    }

    [Test]
    public async Task StopLongerThanACatchUpInterval_Sqlite_RestartedReplicaStateSyncsFromAPeer()
    {
        IReadOnlyList<CheckpointSyncActor.Installed> restores =
            await StopUnderLoadThenRestart(ReplicaStorage.Sqlite(_dir), catchUpInterval: 10, outageHeights: 35);
        Assert.That(restores.Any(r => r.FromPeer is not null), Is.True,
            $"the restarted replica fetched a checkpoint from a peer (restores: {string.Join(", ", restores)})");
    }

    private static async Task<IReadOnlyList<CheckpointSyncActor.Installed>> StopUnderLoadThenRestart(ReplicaStorage storage, long catchUpInterval,
        long outageHeights, int seed = 1)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        CancellationToken ct = cts.Token;
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4, seed);
        var consensus = new ConsensusConfig { CatchUpInterval = catchUpInterval };
        await using PersistentSubnet subnet = await PersistentSubnet.StartAsync(configs, storage, consensus, ct);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => subnet.Host(i).Node.WaitForCertificationAsync(0, ct)).ToArray())
            .WaitAsync(Milestone, ct);

        await using var load = new CounterLoad(subnet, clients: 3);
        await load.WaitForCertifiedAsync(10, ct);
        // Past the first catch-up package, so that the stopped replica's journal starts with one.
        await WaitForHeightAsync(subnet.Host(0).Node, (ulong)catchUpInterval + 2, ct);

        // The outage: the others keep finalizing and answering.
        ReplicaNode stopping = subnet.Host(Stopped).Node;
        await subnet.StopAsync(Stopped);
        ulong stoppedAt = stopping.Latest!.Height; // it runs until its ActorSystem is gone, after the gateway drained
        int certifiedBefore = load.Certified.Count;
        await WaitForHeightAsync(subnet.Host(0).Node, stoppedAt + (ulong)outageHeights, ct);
        await load.WaitForCertifiedAsync(certifiedBefore + 10, ct);
        TestContext.Out.WriteLine($"replica {Stopped} stopped at height {stoppedAt}; {load.Certified.Count - certifiedBefore} updates certified during the outage");

        // Back from its storage: it catches up with the others while the load goes on.
        ulong target = subnet.Host(0).Node.Latest!.Height;
        var watch = Stopwatch.StartNew();
        await subnet.RestartAsync(Stopped, ct);
        ReplicaNode restarted = subnet.Host(Stopped).Node;
        await WaitForHeightAsync(restarted, target, ct);
        TestContext.Out.WriteLine($"replica {Stopped} restarted and certified height {target} after {watch.ElapsedMilliseconds} ms");

        await load.StopAsync();
        // Everything submitted is finalized (or expired) a few heights later; then all four certify the same root.
        await WaitForHeightAsync(subnet.Host(0).Node, subnet.Host(0).Node.Latest!.Height + 5, ct);
        (ulong height, byte[][] roots) = await CommonCertifiedRootsAsync(subnet, ct);
        Assert.That(roots.Select(Convert.ToHexString).Distinct().Count(), Is.EqualTo(1), $"equal state roots at certified height {height}");

        var executed = new List<RequestId>();
        foreach (RequestId id in load.Submitted)
        {
            if (await subnet.Host(0).Node.StatusAsync(id, ct) is not null)
            {
                executed.Add(id);
            }
        }

        Assert.That(load.Certified.Except(executed), Is.Empty, "every update certified to a client is in the state");
        foreach (RequestId id in executed)
        {
            RequestStatus? status = await restarted.StatusAsync(id, ct);
            Assert.That(status?.IsReplied, Is.True, $"request {id} has its status on the restarted replica");
        }

        Assert.That(Enumerable.Range(0, 4).Select(i => subnet.Counter(i).Count), Is.All.EqualTo((ulong)executed.Count),
            "each executed update ran exactly once on every replica");
        Assert.That(Enumerable.Range(0, 4).Select(i => subnet.Host(i).Node.Fault), Is.All.Null);
        CheckpointSyncActor.Installed[] restores = [.. subnet.Host(Stopped).Checkpoints!.Restores];
        TestContext.Out.WriteLine($"{executed.Count} updates executed; equal roots at height {height}; restores: {string.Join(", ", restores)}");
        return restores;
    }

    private static async Task WaitForHeightAsync(ReplicaNode node, ulong height, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Milestone);
        try
        {
            await node.WaitForCertificationAsync(height - 1, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Assert.Fail($"replica {node.Config.NodeIndex} did not certify height {height} within {Milestone} (it is at {node.Latest?.Height}, fault: {node.Fault?.Message})");
        }
    }

    // Heights move on every round: read the four newest certified states until they are at one height.
    private static async Task<(ulong Height, byte[][] Roots)> CommonCertifiedRootsAsync(PersistentSubnet subnet, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Milestone)
        {
            CertifiedState[] latest = [.. Enumerable.Range(0, 4).Select(i => subnet.Host(i).Node.Latest!)];
            if (latest.All(s => s.Height == latest[0].Height))
            {
                return (latest[0].Height, [.. latest.Select(s => s.Tree.Digest.ToArray())]);
            }

            await subnet.Host(0).Node.WaitForCertificationAsync(latest.Min(s => s.Height), ct);
        }

        Assert.Fail("the replicas never showed one certified height at the same time");
        return default;
    }

    /// <summary>Clients sending counter updates as synchronous calls, in turn to the running replicas other than the one stopped.</summary>
    private sealed class CounterLoad : IAsyncDisposable
    {
        private readonly PersistentSubnet _subnet;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _clients;
        private readonly ConcurrentQueue<RequestId> _submitted = new();
        private readonly ConcurrentQueue<RequestId> _certified = new();
        private readonly TestClock _clock = new();

        public CounterLoad(PersistentSubnet subnet, int clients)
        {
            _subnet = subnet;
            _clients = [.. Enumerable.Range(0, clients).Select(c => Task.Run(() => RunClient(c)))];
        }

        public IReadOnlyCollection<RequestId> Submitted => _submitted;

        public IReadOnlyCollection<RequestId> Certified => _certified;

        public async Task WaitForCertifiedAsync(int count, CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            while (_certified.Count < count)
            {
                if (watch.Elapsed > Milestone)
                {
                    Assert.Fail($"only {_certified.Count} of {count} updates certified within {Milestone}");
                }

                await _subnet.Host(0).Node.WaitForCertificationAsync(_subnet.Host(0).Node.Latest?.Height ?? 0, ct);
            }
        }

        private async Task RunClient(int client)
        {
            var identity = new TestIdentity((byte)(20 + client));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            for (long n = 0; !_stop.IsCancellationRequested; n++)
            {
                int replica = (int)((client + n) % Stopped); // replicas 0..2 only: they stay up
                RequestContent call = RequestContent.Call(RequestType.Call, identity.Principal, CounterCanister.Id, "inc", CandidEncoder.Encode([], []),
                    _clock.NowNanos + 240_000_000_000UL, BitConverter.GetBytes(n));
                RequestId id = call.ComputeRequestId();
                var body = new ByteArrayContent(identity.Envelope(call));
                body.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
                _submitted.Enqueue(id);
                try
                {
                    HttpResponseMessage response = await http.PostAsync(new Uri(_subnet.Host(replica).Gateway.Url, $"api/v3/canister/{CounterCanister.Id}/call"),
                        body, _stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK
                        && CallResponse.Decode(await response.Content.ReadAsByteArrayAsync(_stop.Token)).IsCertified)
                    {
                        _certified.Enqueue(id);
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                }
            }
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_clients);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await StopAsync();
            }

            _stop.Dispose();
        }
    }
}
