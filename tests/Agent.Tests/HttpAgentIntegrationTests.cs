using System.Net;
using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Agent.Tests;

[NonParallelizable]
public sealed class HttpAgentIntegrationTests
{
    private const string Origin = "https://dapp.example";
    private SubnetFixture _subnet = null!;

    [OneTimeSetUp]
    public async Task StartSubnet() => _subnet = await SubnetFixture.StartAsync();

    [OneTimeTearDown]
    public async Task StopSubnet() => await _subnet.DisposeAsync();

    private Task<HttpAgent> Agent(IIdentity? identity = null, byte[]? rootKey = null, TimeSpan? expiry = null) =>
        HttpAgent.CreateAsync(new HttpAgentOptions
        {
            Host = _subnet.Url, Identity = identity ?? AnonymousIdentity.Instance, RootKey = rootKey, IngressExpiry = expiry ?? TimeSpan.FromMinutes(4),
        });

    [Test]
    public async Task LoginAsync_RegisteredEd25519Anchor_WhoamiIsIiPrincipalForOrigin()
    {
        var device = Ed25519Identity.Generate();
        using HttpAgent agent = await Agent(device);
        Assert.That(agent.RootKey, Is.EqualTo(_subnet.RootKeyDer), "root key fetched from /api/v2/status");
        var ii = new InternetIdentityClient(agent);
        ulong anchor = await ii.RegisterAsync("test");

        DeviceData[] devices = await ii.LookupAsync(anchor);
        Assert.That(devices.Select(d => d.Pubkey), Has.One.EqualTo(device.PublicKeyDer));
        IdentityAnchorInfo info = await ii.GetAnchorInfoAsync(anchor);
        Assert.That(info.Devices, Has.Count.EqualTo(1));

        // prepare_delegation first: II's salt is set by its first update, and get_principal needs it.
        DelegationIdentity session = await ii.LoginAsync(anchor, Origin, Ed25519Identity.Generate());
        Principal expected = await ii.GetPrincipalAsync(anchor, Origin);
        Assert.That(session.Principal, Is.EqualTo(expected));

        // The chain moves through agent-js JSON and still signs in.
        var restored = new DelegationIdentity(session.SessionKey, DelegationChain.FromJson(session.Chain.ToJson()));
        var whoami = new WhoamiClient(agent.WithIdentity(restored));
        Assert.That(await whoami.WhoamiAsync(), Is.EqualTo(expected));
        Assert.That(await whoami.WhoamiQueryAsync(), Is.EqualTo(expected));
    }

    [Test]
    public async Task AddAndRemove_SecondDevice_LookupFollows()
    {
        var device = Ed25519Identity.Generate();
        using HttpAgent agent = await Agent(device);
        var ii = new InternetIdentityClient(agent);
        ulong anchor = await ii.RegisterAsync();
        var second = Secp256k1Identity.Generate();
        await ii.AddAsync(anchor, new DeviceData(second.PublicKeyDer, "backup", null, null, Purpose.Authentication, KeyType.Unknown,
            DeviceProtection.Unprotected, null, null));
        Assert.That((await ii.LookupAsync(anchor)).Select(d => d.Pubkey), Has.One.EqualTo(second.PublicKeyDer));
        Assert.That(await ii.LookupAsync(anchor), Has.Length.EqualTo(2));
        await ii.RemoveAsync(anchor, second.PublicKeyDer);
        Assert.That(await ii.LookupAsync(anchor), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task WhoamiAsync_EachKeyKind_ReturnsItsSelfAuthenticatingPrincipal()
    {
        using HttpAgent agent = await Agent(rootKey: _subnet.RootKeyDer);
        foreach (IIdentity identity in new IIdentity[] { AnonymousIdentity.Instance, Ed25519Identity.Generate(), Secp256k1Identity.Generate(), EcdsaP256Identity.Generate() })
        {
            var whoami = new WhoamiClient(agent.WithIdentity(identity));
            Assert.That(await whoami.WhoamiAsync(), Is.EqualTo(identity.Principal));
            Assert.That(await whoami.WhoamiQueryAsync(), Is.EqualTo(identity.Principal));
        }
    }

    [Test]
    public async Task CallAsync_CanisterTraps_ThrowsIcRejectExceptionWithCodeAndMessage()
    {
        using HttpAgent owner = await Agent(Ed25519Identity.Generate());
        ulong anchor = await new InternetIdentityClient(owner).RegisterAsync();
        var stranger = new InternetIdentityClient(owner.WithIdentity(Ed25519Identity.Generate()));
        IcRejectException? e = Assert.ThrowsAsync<IcRejectException>(() => stranger.GetAnchorInfoAsync(anchor));
        Assert.That(e!.Code, Is.EqualTo(RejectCode.CanisterError));
        Assert.That(e.ErrorCode, Is.EqualTo("IC0503"));
        Assert.That(e.RejectMessage, Is.Not.Empty);
        Assert.That(e.RequestId, Has.Length.EqualTo(64));
    }

    [Test]
    public async Task CallAsync_UnknownMethod_ThrowsIcHttpExceptionNamingIt()
    {
        using HttpAgent agent = await Agent();
        IcHttpException? e = Assert.ThrowsAsync<IcHttpException>(() => agent.CallAsync(WhoamiClient.DefaultCanisterId, "no_such_method", CandidArgs.Encode()));
        Assert.That(e!.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(e.Body, Does.Contain("no_such_method"));
    }

    [Test]
    public async Task CallAsync_WithoutSyncCall_V2CallAndPollingReturnReply()
    {
        var identity = Ed25519Identity.Generate();
        using HttpAgent agent = await HttpAgent.CreateAsync(new HttpAgentOptions { Host = _subnet.Url, Identity = identity, UseSyncCall = false });
        Assert.That(await new WhoamiClient(agent).WhoamiAsync(), Is.EqualTo(identity.Principal));
    }

    [Test]
    public async Task QueryAsync_UnknownMethod_ThrowsIcRejectExceptionWithErrorCode()
    {
        using HttpAgent agent = await Agent();
        IcRejectException? e = Assert.ThrowsAsync<IcRejectException>(() => agent.QueryAsync(WhoamiClient.DefaultCanisterId, "no_such_query", CandidArgs.Encode()));
        Assert.That(e!.RejectMessage, Does.Contain("no_such_query"));
        Assert.That(e.ErrorCode, Does.StartWith("IC"));
    }

    [Test]
    public async Task CallAsync_ExpiryTooFarAhead_ThrowsIcHttpExceptionWithReason()
    {
        using HttpAgent agent = await Agent(expiry: TimeSpan.FromHours(1));
        IcHttpException? e = Assert.ThrowsAsync<IcHttpException>(() => agent.CallAsync(WhoamiClient.DefaultCanisterId, "whoami", CandidArgs.Encode()));
        Assert.That(e!.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(e.Body, Does.Contain("expiry"));
    }

    [Test]
    public async Task ReadStateAsync_WrongRootKey_ThrowsIcCertificateException()
    {
        byte[] wrong = (byte[])_subnet.RootKeyDer.Clone();
        wrong[^1] ^= 1;
        using HttpAgent agent = await Agent(rootKey: wrong);
        Assert.ThrowsAsync<IcCertificateException>(() => agent.ReadStateAsync(WhoamiClient.DefaultCanisterId, [["time"u8.ToArray()]]));
        Assert.ThrowsAsync<IcCertificateException>(() => new WhoamiClient(agent).WhoamiAsync());
    }

    [Test]
    public async Task ReadStateAsync_TimePath_VerifiedCertificateNearTheClock()
    {
        using HttpAgent agent = await Agent(rootKey: _subnet.RootKeyDer);
        Certificate certificate = await agent.ReadStateAsync(WhoamiClient.DefaultCanisterId, [["time"u8.ToArray()]]);
        Assert.That(CertificateVerifier.CheckTime(certificate, agent.Clock.NowNanos, 60UL * 1_000_000_000).IsValid, Is.True);
    }

    [Test]
    public async Task CallAsync_TamperedCertificate_ThrowsIcCertificateException()
    {
        using var http = new HttpClient(new TamperingHandler { InnerHandler = new HttpClientHandler() }) { BaseAddress = _subnet.Url };
        using HttpAgent agent = await HttpAgent.CreateAsync(new HttpAgentOptions { Host = _subnet.Url, HttpClient = http, RootKey = _subnet.RootKeyDer });
        TamperingHandler.Enabled = true;
        try
        {
            Assert.ThrowsAsync<IcCertificateException>(() => new WhoamiClient(agent).WhoamiAsync());
        }
        finally
        {
            TamperingHandler.Enabled = false;
        }
    }

    /// <summary>Flips one byte of the BLS signature in certificates coming back from read_state and sync calls.</summary>
    private sealed class TamperingHandler : DelegatingHandler
    {
        public static bool Enabled { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            string path = request.RequestUri!.AbsolutePath;
            if (!Enabled || response.StatusCode != HttpStatusCode.OK || !(path.EndsWith("/call", StringComparison.Ordinal) || path.EndsWith("/read_state", StringComparison.Ordinal)))
            {
                return response;
            }

            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            Certificate c = Certificate.DecodeCertificateOrResponse(body);
            byte[] signature = (byte[])c.Signature.Clone();
            signature[^1] ^= 1;
            byte[] tampered = new Certificate(c.Tree, signature, c.Delegation).Encode();
            byte[] wrapped = path.EndsWith("/call", StringComparison.Ordinal)
                ? InternetIdentity.Protocol.Envelopes.CallResponse.Certified(tampered).Encode()
                : new Certificate(c.Tree, signature, c.Delegation).EncodeReadStateResponse();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(wrapped) };
        }
    }
}
