using System.Net;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Canisters;

namespace InternetIdentity.Replica.Tests.Gateway;

[NonParallelizable]
public class SyncCallTimeoutTests
{
    [Test]
    public async Task SyncCall_NotCertifiedWithinTimeout_202_ThenReadStateHasTheReply()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(syncCallTimeout: TimeSpan.Zero);
        var alice = new TestIdentity(1);
        RequestContent content = f.Call(alice.Principal, WhoamiCanister.Id, "whoami", nonce: [1, 2, 3]);
        HttpResponseMessage r = await f.Post($"/api/v3/canister/{WhoamiCanister.Id}/call", alice.Envelope(content));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await r.Content.ReadAsByteArrayAsync(), Is.Empty);

        RequestId id = content.ComputeRequestId();
        Assert.That(await f.Subnet.Replicas[0].WaitForStatusAsync(id, TimeSpan.FromSeconds(60), CancellationToken.None), Is.Not.Null,
            "the call was not certified within 60 s");
        var read = RequestContent.ReadState(alice.Principal, [["request_status"u8.ToArray(), id.Bytes.ToArray()]], f.Expiry());
        HttpResponseMessage rs = await f.Post($"/api/v3/canister/{WhoamiCanister.Id}/read_state", alice.Envelope(read));
        Certificate cert = f.Verified(Certificate.DecodeCertificateOrResponse(await rs.Content.ReadAsByteArrayAsync()).Encode(), WhoamiCanister.Id);
        Assert.That(GatewayFixture.Status(cert, id, "status").Value.ToArray(), Is.EqualTo("replied"u8.ToArray()));
    }
}
