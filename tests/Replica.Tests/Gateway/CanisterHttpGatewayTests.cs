using System.Net;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Replica.Tests.Gateway;

/// <summary>The HTTP gateway for browsers on a real 4-replica subnet: resolution, verification, upgrade, streaming.</summary>
[NonParallelizable]
public class CanisterHttpGatewayTests
{
    private static readonly Principal Canister = HttpTestCanister.Id;
    private LocalSubnet _subnet = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _subnet = await LocalSubnet.StartAsync(TestSubnets.Create(4),
            () => [.. SubnetCanisters.Create(), new InstalledCanister(Canister, new HttpTestCanister(), [])],
            TimeProvider.System, IPAddress.Loopback, 0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _subnet.WaitUntilCertifiedAsync(cts.Token);
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _subnet.Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _subnet.DisposeAsync();
    }

    private async Task<HttpResponseMessage> Get(string pathAndQuery, string? host = null, string? referer = null, HttpMethod? method = null,
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, pathAndQuery);
        if (host is not null)
        {
            request.Headers.Host = $"{host}:{_subnet.Url.Port}";
        }

        if (referer is not null)
        {
            request.Headers.Referrer = new Uri(referer);
        }

        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _http.SendAsync(request);
    }

    private static async Task<string> Text(HttpResponseMessage r) => await r.Content.ReadAsStringAsync();

    [Test]
    public async Task Get_CanisterHost_ServesTheVerifiedPageWithCanisterIdHeader()
    {
        HttpResponseMessage r = await Get("/", $"{Canister}.localhost");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await Text(r));
        Assert.That(await Text(r), Does.Contain("<title>test</title>"));
        Assert.That(r.Headers.GetValues("x-ic-canister-id").Single(), Is.EqualTo(Canister.ToString()));
        Assert.That(r.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        // v2 was asked for and answered: the certified headers come with the certificate.
        Assert.That(r.Headers.TryGetValues("IC-Certificate", out IEnumerable<string>? cert) && cert.Single().Contains("version=2"), Is.True);
    }

    [Test]
    public async Task Get_QueryParameterAndReferer_ResolveTheSameCanister()
    {
        HttpResponseMessage page = await Get($"/index.html?canisterId={Canister}", "127.0.0.1");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), await Text(page));
        HttpResponseMessage script = await Get("/app.js", "127.0.0.1", $"http://127.0.0.1:{_subnet.Url.Port}/?canisterId={Canister}#authorize");
        Assert.That(script.StatusCode, Is.EqualTo(HttpStatusCode.OK), await Text(script));
        Assert.That(await Text(script), Is.EqualTo("console.log('app')"));
    }

    [Test]
    public async Task Get_TamperedBody_Is503WithTheReason()
    {
        HttpResponseMessage r = await Get("/tampered", $"{Canister}.localhost");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        string text = await Text(r);
        Assert.That(text, Does.StartWith("Response verification failed: "));
        Assert.That(text, Does.Not.Contain("not what was certified"));
    }

    [Test]
    public async Task Get_NoCertificate_Is503()
    {
        HttpResponseMessage r = await Get("/uncertified", $"{Canister}.localhost");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await Text(r), Does.Contain("Response verification failed").And.Contain("IC-Certificate"));
    }

    [Test]
    public async Task Get_RawHost_PassesUnverifiedResponses()
    {
        HttpResponseMessage r = await Get("/tampered", $"{Canister}.raw.localhost");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Text(r), Is.EqualTo("<p>not what was certified</p>"));
    }

    [Test]
    public async Task Get_Request_CanisterSeesPathQueryHeadersAndVersion2()
    {
        HttpResponseMessage r = await Get("/echo-headers", $"{Canister}.raw.localhost", null, null,
            ("Accept-Encoding", "gzip"), ("X-Request-Id", "abc"), ("X-Custom", "1"));
        string text = await Text(r);
        Assert.That(text, Does.Contain("certificate_version: 2"));
        Assert.That(text, Does.Contain("accept-encoding: gzip, identity"));
        Assert.That(text, Does.Contain("x-custom: 1"));
        Assert.That(text, Does.Not.Contain("x-request-id"));
    }

    [Test]
    public async Task Get_Upgrade_RunsHttpRequestUpdateThroughConsensus()
    {
        HttpResponseMessage first = await Get("/upgrade", $"{Canister}.localhost");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await Text(first));
        string a = await Text(first);
        string b = await Text(await Get("/upgrade", $"{Canister}.localhost"));
        Assert.That(a, Does.Match(@"^updated \d+: GET /upgrade by 2vxsx-fae$"));
        Assert.That(b, Is.Not.EqualTo(a), "two requests are two update calls");
        // Every replica executed them: the call went through consensus.
        foreach (var replica in _subnet.Replicas)
        {
            var installed = (HttpTestCanister)replica.Canister(Canister)!.Canister;
            Assert.That(installed.Updates, Is.GreaterThanOrEqualTo(1));
        }
    }

    [Test]
    public async Task Get_StreamedBody_IsAssembledAndVerifiedWhole()
    {
        HttpResponseMessage r = await Get("/big.bin", $"{Canister}.localhost");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await Text(r) + string.Join("\n", r.Headers.Select(h => h.Key + ": " + string.Join(",", h.Value))));
        Assert.That(await r.Content.ReadAsByteArrayAsync(), Is.EqualTo(HttpTestCanister.BigBody));
    }

    [Test]
    public async Task Get_MissingAsset_IsCertified404()
    {
        HttpResponseMessage r = await Get("/no/such/page", $"{Canister}.localhost");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), await Text(r));
    }

    [Test]
    public async Task Head_CanisterHost_HeadersWithoutBody()
    {
        HttpResponseMessage r = await Get("/", $"{Canister}.localhost", method: HttpMethod.Head);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(r.Headers.GetValues("x-ic-canister-id").Single(), Is.EqualTo(Canister.ToString()));
        Assert.That(await r.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [Test]
    public async Task Get_CrossOrigin_CorsAllowsAnyOriginAndExposesCanisterId()
    {
        HttpResponseMessage r = await Get("/app.js", $"{Canister}.localhost", null, null, ("Origin", "http://localhost:5173"));
        Assert.That(r.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("*"));
        Assert.That(string.Join(",", r.Headers.GetValues("Access-Control-Expose-Headers")), Does.Contain("x-ic-canister-id"));
    }

    [Test]
    public async Task Get_UnknownOrUnnamedCanister_Is400WithTheReason()
    {
        HttpResponseMessage unknown = await Get("/", "lqy7q-dh777-77777-aaaaq-cai.localhost");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Text(unknown), Does.Contain("Canister lqy7q-dh777-77777-aaaaq-cai not found"));
        HttpResponseMessage unnamed = await Get("/", "127.0.0.1");
        Assert.That(unnamed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Text(unnamed), Does.Contain("no canister id"));
        HttpResponseMessage bad = await Get("/?canisterId=nope", "localhost");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Text(bad), Does.Contain("canisterId=nope is not a valid canister id"));
    }

    [Test]
    public async Task Get_CanisterWithoutHttpRequest_Is404()
    {
        HttpResponseMessage r = await Get("/", $"{WhoamiCanister.Id}.localhost");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await Text(r), Does.Contain("does not serve HTTP").And.Contain("http_request"));
    }

    [Test]
    public async Task ApiStatus_OnCanisterHost_IsTheIcInterface()
    {
        HttpResponseMessage r = await Get("/api/v2/status", $"{Canister}.localhost");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(r.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/cbor"));
        HttpResponseMessage unknown = await Get("/api/v9/nothing", $"{Canister}.localhost");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await Text(unknown), Does.Contain("no such endpoint"));
    }
}
