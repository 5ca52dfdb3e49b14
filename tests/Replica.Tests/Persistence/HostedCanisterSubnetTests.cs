using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Numerics;
using InternetIdentity.Consensus;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.Persistence;
using InternetIdentity.Replica.State;
using InternetIdentity.Replica.Tests.Execution;
using InternetIdentity.Replica.Tests.Gateway;
using Microsoft.Data.Sqlite;

namespace InternetIdentity.Replica.Tests.Persistence;

/// <summary>
/// A Motoko canister created, installed and called over HTTP on a 4-replica subnet that persists to SQLite: every
/// replica certifies the same root (module hash in the tree), and a replica restarted from its checkpoint has the
/// canister with its count and keeps agreeing.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HostedCanisterSubnetTests
{
    private static readonly TimeSpan Milestone = TimeSpan.FromSeconds(120);
    private static readonly byte[] NoArgs = CandidArgs.Encode();
    private readonly TestIdentity _developer = new(77);
    private readonly TestClock _clock = new();
    private string _dir = "";
    private long _nonce;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("iinet-hosted-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task MotokoCounter_OnFourReplicas_SameRootEverywhereAndAfterARestart()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        CancellationToken ct = cts.Token;
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        await using PersistentSubnet subnet = await PersistentSubnet.StartAsync(configs, ReplicaStorage.Sqlite(_dir), new ConsensusConfig { CatchUpInterval = 10 }, ct);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => subnet.Host(i).Node.WaitForCertificationAsync(0, ct))).WaitAsync(Milestone, ct);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        RequestStatus created = await CallAsync(http, subnet, 0, Principal.ManagementCanister, Principal.ManagementCanister,
            ManagementCanister.ProvisionalCreate, CandidArgs.Encode(new ProvisionalCreateCanisterArgs()), ct);
        Principal id = CandidArgs.Decode<CanisterIdRecord>(created.Reply!).CanisterId.ToPrincipal();
        await CallAsync(http, subnet, 1, Principal.ManagementCanister, id, "install_code", CandidArgs.Encode(new InstallCodeArgs(
            new CanisterInstallMode.Install(), CandidPrincipal.FromPrincipal(id), MotokoCanisters.Counter, NoArgs)), ct);
        // The next call goes through replica 2, whose gateway refuses a method its state does not export yet (IC's ingress
        // filter): wait until every replica certified the height replica 1 answered the install at.
        ulong installed = subnet.Host(1).Node.Latest!.Height;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => WaitForHeightAsync(subnet.Host(i).Node, installed, ct)));
        Assert.That(Nat(await CallAsync(http, subnet, 2, id, id, "inc", NoArgs, ct)), Is.EqualTo(BigInteger.One));
        Assert.That(Nat(await CallAsync(http, subnet, 0, id, id, "inc", NoArgs, ct)), Is.EqualTo(new BigInteger(2)));

        (ulong height, byte[][] roots) = await CommonCertifiedRootsAsync(subnet, ct);
        Assert.That(roots.Select(Convert.ToHexString).Distinct().Count(), Is.EqualTo(1), $"equal state roots at certified height {height}");
        byte[] moduleHash = System.Security.Cryptography.SHA256.HashData(MotokoCanisters.Counter);
        foreach (int i in Enumerable.Range(0, 4))
        {
            LabeledTree? leaf = subnet.Host(i).Node.Latest!.Tree.Child("canister")?.Child(id.ToArray())?.Child("module_hash");
            Assert.That(leaf is null ? null : leaf.Value.ToArray(), Is.EqualTo(moduleHash), $"replica {i} certifies the module hash");
        }

        // Replica 3 stops past a catch-up package that holds the canister, misses a call, and comes back from SQLite.
        await WaitForHeightAsync(subnet.Host(0).Node, height + 12, ct);
        await subnet.StopAsync(3);
        Assert.That(Nat(await CallAsync(http, subnet, 1, id, id, "inc", NoArgs, ct)), Is.EqualTo(new BigInteger(3)));
        ulong target = subnet.Host(0).Node.Latest!.Height;
        await subnet.RestartAsync(3, ct);
        await WaitForHeightAsync(subnet.Host(3).Node, target + 2, ct);

        CanisterReply? get = await subnet.Host(3).Node.QueryAsync(_developer.Principal, id, "get", NoArgs, ct);
        Assert.That(get, Is.TypeOf<CanisterReply.Replied>(), (get as CanisterReply.Rejected)?.Message);
        Assert.That(((CandidNat)CandidDecoder.DecodeUntyped(((CanisterReply.Replied)get!).Candid.Span).Values.Single()).Value, Is.EqualTo(new BigInteger(3)));
        Assert.That(Nat(await CallAsync(http, subnet, 3, id, id, "inc", NoArgs, ct)), Is.EqualTo(new BigInteger(4)));
        (height, roots) = await CommonCertifiedRootsAsync(subnet, ct);
        Assert.That(roots.Select(Convert.ToHexString).Distinct().Count(), Is.EqualTo(1), $"equal state roots at certified height {height} after the restart");
        Assert.That(Enumerable.Range(0, 4).Select(i => subnet.Host(i).Node.Fault), Is.All.Null);
        Assert.That(subnet.Host(3).Checkpoints!.Restores, Is.Not.Empty, "the restarted replica restored a checkpoint (with the hosted canister)");
    }

    private static BigInteger Nat(RequestStatus status) => ((CandidNat)CandidDecoder.DecodeUntyped(status.Reply!).Values.Single()).Value;

    // A synchronous call through replica i's gateway; the status is read from that replica once it is certified.
    private async Task<RequestStatus> CallAsync(HttpClient http, PersistentSubnet subnet, int replica, Principal canister, Principal effective, string method,
        byte[] arg, CancellationToken ct)
    {
        RequestContent call = RequestContent.Call(RequestType.Call, _developer.Principal, canister, method, arg, _clock.NowNanos + 240_000_000_000UL,
            BitConverter.GetBytes(Interlocked.Increment(ref _nonce)));
        RequestId requestId = call.ComputeRequestId();
        var body = new ByteArrayContent(_developer.Envelope(call));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        HttpResponseMessage response = await http.PostAsync(new Uri(subnet.Host(replica).Gateway.Url, $"api/v3/canister/{effective}/call"), body, ct);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync(ct));
        ReplicaNode node = subnet.Host(replica).Node;
        CertifiedState? certified = await node.WaitForStatusAsync(requestId, Milestone, ct);
        Assert.That(certified, Is.Not.Null, $"{method} was not certified within {Milestone}");
        RequestStatus status = (await node.StatusAsync(requestId, ct))!;
        Assert.That(status.IsReplied, Is.True, $"{method}: {status.RejectMessage}");
        return status;
    }

    private static async Task WaitForHeightAsync(ReplicaNode node, ulong height, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Milestone);
        try
        {
            while (node.Latest is null || node.Latest.Height < height)
            {
                await node.WaitForCertificationAsync(node.Latest?.Height ?? 0, timeout.Token);
            }
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
}
