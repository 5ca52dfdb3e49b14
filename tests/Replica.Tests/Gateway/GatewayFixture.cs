using System.Net;
using System.Net.Http.Headers;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Replica.Tests.Gateway;

/// <summary>A 4-replica subnet in-process on 127.0.0.1 with free ports (4 ActorSystems in one cluster) and an HTTP client.</summary>
internal sealed class GatewayFixture : IAsyncDisposable
{
    private GatewayFixture(LocalSubnet subnet, TestClock clock)
    {
        Subnet = subnet;
        Clock = clock;
        Http = new HttpClient { BaseAddress = subnet.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public LocalSubnet Subnet { get; }

    public TestClock Clock { get; }

    public HttpClient Http { get; }

    public GenesisConfig Config => Subnet.Config;

    public static async Task<GatewayFixture> StartAsync(TimeSpan? syncCallTimeout = null)
    {
        var clock = new TestClock();
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        LocalSubnet subnet = await LocalSubnet.StartAsync(
            configs,
            () => [.. SubnetCanisters.Create(), new InstalledCanister(CounterCanister.Id, new CounterCanister(), [new TestIdentity(9).Principal])],
            clock, IPAddress.Loopback, 0, syncCallTimeout: syncCallTimeout);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await subnet.WaitUntilCertifiedAsync(cts.Token);
        return new GatewayFixture(subnet, clock);
    }

    public ulong Expiry(TimeSpan? ahead = null) => Clock.NowNanos + (ulong)(ahead ?? TimeSpan.FromMinutes(4)).Ticks * 100;

    public RequestContent Call(Principal sender, Principal canister, string method, RequestType type = RequestType.Call, ulong? expiry = null, byte[]? nonce = null) =>
        RequestContent.Call(type, sender, canister, method, CandidEncoder.Encode([], []), expiry ?? Expiry(), nonce);

    public Task<HttpResponseMessage> Post(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        return Http.PostAsync(path, content);
    }

    public static async Task<string> Text(HttpResponseMessage response) => await response.Content.ReadAsStringAsync();

    /// <summary>Posts a synchronous call and returns the verified certificate of its status.</summary>
    public async Task<Certificate> SyncCall(byte[] envelope, Principal canister)
    {
        HttpResponseMessage response = await Post($"/api/v3/canister/{canister}/call", envelope);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await Text(response));
        CallResponse body = CallResponse.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.That(body.IsCertified, Is.True);
        return Verified(body.Certificate!, canister);
    }

    public Certificate Verified(byte[] certificateBytes, Principal canister)
    {
        Certificate certificate = Certificate.Decode(certificateBytes);
        var result = CertificateVerifier.Verify(certificate, new CertificateVerificationOptions
        {
            RootKey = Config.RootKeyDer, EffectiveCanisterId = canister, NowNanos = Clock.NowNanos,
        });
        Assert.That(result.IsValid, Is.True, result.Reason);
        return certificate;
    }

    public static LookupResult Status(Certificate c, RequestId id, string leaf) => c.Lookup("request_status", id.Bytes.ToArray(), leaf);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Subnet.DisposeAsync();
    }
}
