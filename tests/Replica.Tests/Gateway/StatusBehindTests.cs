using System.Net;
using System.Net.Http.Headers;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.Gateway;

/// <summary>A replica that knows its state is stale says so on <c>/api/v2/status</c> and answers no queries from it.</summary>
[TestFixture]
[NonParallelizable]
public sealed class StatusBehindTests
{
    // Replica 3's execution stops after height `From` until the gate opens (as under SIGSTOP or a slow disk), while its
    // consensus keeps hearing from its peers.
    private sealed class GatedExecution(bool gated, ulong from, Task gate) : IStateSync
    {
        public Task RestoreAsync(CatchUpPackage package, ExecutionState state, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no state sync in this test");

        public async ValueTask<TakenCheckpoint?> ExecutedAsync(ulong height, ReadOnlyMemory<byte> stateRoot, ExecutionState state, CancellationToken cancellationToken)
        {
            if (gated && height >= from)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return null;
        }
    }

    [Test]
    public async Task Status_CertifiedHeightFarBehindWhatPeersVouchFor_SaysCertifiedStateBehindAndRefusesQueriesUntilCaughtUp()
    {
        const ulong From = 3;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using LocalSubnet subnet = await LocalSubnet.StartAsync(TestSubnets.Create(4), SubnetCanisters.Create, TimeProvider.System,
            IPAddress.Loopback, 0, replicaOptions: o => o with { StateSync = host => new GatedExecution(host.Config.NodeIndex == 3, From, gate.Task), CertifiedBehindHeights = 5 });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Replica 3 certifies up to the height before its execution stops; the other three certify well past it, and
        // their shares tell it how far the subnet is.
        await subnet.Replicas[3].WaitForCertificationAsync(From - 2, bound.Token);
        await subnet.Replicas[0].WaitForCertificationAsync(From + 20, bound.Token);
        StatusResponse behind = await StatusWhenAsync(http, subnet.Gateways[3].Url, s => s.ReplicaHealthStatus == "certified_state_behind",
            "replica 3 reports it is behind", bound.Token);
        Assert.That(behind.CertifiedHeight, Is.LessThan(From));
        Assert.That(behind.ReplicaHealthReason, Does.Contain("behind height").And.Contain("stale state"));
        StatusResponse peer = StatusResponse.Decode(await http.GetByteArrayAsync(new Uri(subnet.Gateways[0].Url, "/api/v2/status"), bound.Token));
        Assert.That(peer.ReplicaHealthStatus, Is.EqualTo("healthy"), "the replicas that keep up stay healthy");
        (HttpStatusCode refused, string why) = await QueryAsync(http, subnet.Gateways[3].Url, bound.Token);
        Assert.That(refused, Is.EqualTo(HttpStatusCode.ServiceUnavailable), why);
        Assert.That(why, Does.Contain("not current").And.Contain("behind height"));
        Assert.That((await QueryAsync(http, subnet.Gateways[0].Url, bound.Token)).Code, Is.EqualTo(HttpStatusCode.OK), "a replica that keeps up answers");

        gate.SetResult();
        StatusResponse healed = await StatusWhenAsync(http, subnet.Gateways[3].Url, s => s.ReplicaHealthStatus == "healthy", "replica 3 healthy after catching up", bound.Token);
        Assert.That(healed.ReplicaHealthReason, Is.Null);
        Assert.That((await QueryAsync(http, subnet.Gateways[3].Url, bound.Token)).Code, Is.EqualTo(HttpStatusCode.OK), "caught up, it answers again");
    }

    // An anonymous whoami query (anonymous requests carry no signature).
    private static async Task<(HttpStatusCode Code, string Text)> QueryAsync(HttpClient http, Uri replica, CancellationToken ct)
    {
        ulong expiry = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 240_000) * 1_000_000;
        var content = RequestContent.Call(RequestType.Query, Protocol.Principals.Principal.Anonymous, WhoamiCanister.Id, "whoami", CandidEncoder.Encode([], []), expiry, null);
        using var body = new ByteArrayContent(new Envelope(content).Encode());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        using HttpResponseMessage r = await http.PostAsync(new Uri(replica, $"/api/v2/canister/{WhoamiCanister.Id}/query"), body, ct);
        return (r.StatusCode, await r.Content.ReadAsStringAsync(ct));
    }

    // Status changes follow messages between replicas: read it until it matches, within the test's bound.
    private static async Task<StatusResponse> StatusWhenAsync(HttpClient http, Uri replica, Func<StatusResponse, bool> condition, string what, CancellationToken ct)
    {
        StatusResponse status;
        while (!condition(status = StatusResponse.Decode(await http.GetByteArrayAsync(new Uri(replica, "/api/v2/status"), ct))))
        {
            if (ct.IsCancellationRequested)
            {
                Assert.Fail($"timed out waiting until {what}; last status {status.ReplicaHealthStatus} at height {status.CertifiedHeight}: {status.ReplicaHealthReason}");
            }

            await Task.Delay(100, CancellationToken.None);
        }

        return status;
    }
}
