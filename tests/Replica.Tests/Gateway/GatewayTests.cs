using System.Net;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Replica.Canisters;

namespace InternetIdentity.Replica.Tests.Gateway;

[NonParallelizable]
public class GatewayTests
{
    private static readonly Principal Whoami = WhoamiCanister.Id;
    private static readonly Principal Counter = CounterCanister.Id;
    private GatewayFixture _f = null!;
    private readonly TestIdentity _alice = new(1);
    private readonly TestIdentity _session = new(2);
    private readonly TestIdentity _mallory = new(3);

    [OneTimeSetUp]
    public async Task Start() => _f = await GatewayFixture.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _f.DisposeAsync();

    private static Principal DecodePrincipal(ReadOnlyMemory<byte> candid)
    {
        var values = CandidDecoder.Decode(candid.Span, [CandidType.Principal]);
        return Principal.FromBytes(((CandidPrincipalValue)values[0]).Principal.Span);
    }

    private static ulong DecodeNat64(ReadOnlyMemory<byte> candid) =>
        (ulong)((CandidFixedNat)CandidDecoder.Decode(candid.Span, [CandidType.Nat64])[0]).Value;

    private async Task<ulong> CounterValue()
    {
        HttpResponseMessage r = await _f.Post($"/api/v3/canister/{Counter}/query", _alice.Envelope(_f.Call(_alice.Principal, Counter, "get", RequestType.Query)));
        return DecodeNat64(QueryResponse.Decode(await r.Content.ReadAsByteArrayAsync()).Arg);
    }

    private async Task<(HttpStatusCode Code, string Text)> PostText(string path, byte[] body)
    {
        HttpResponseMessage r = await _f.Post(path, body);
        return (r.StatusCode, await GatewayFixture.Text(r));
    }

    [Test]
    public async Task Status_ServesRootKeyHealthAndHeight()
    {
        byte[] body = await _f.Http.GetByteArrayAsync("/api/v2/status");
        Assert.That(Convert.ToHexStringLower(body[..3]), Is.EqualTo("d9d9f7"));
        StatusResponse status = StatusResponse.Decode(body);
        Assert.That(status.RootKey, Is.EqualTo(_f.Config.RootKeyDer));
        Assert.That(status.ReplicaHealthStatus, Is.EqualTo("healthy"));
        Assert.That(status.CertifiedHeight, Is.GreaterThanOrEqualTo(1));
        Assert.That(status.ImplVersion, Does.StartWith("iinet"));
    }

    [Test]
    public async Task SyncCall_Whoami_CertifiedReplyIsTheCaller()
    {
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami");
        Certificate cert = await _f.SyncCall(_alice.Envelope(content), Whoami);
        RequestId id = content.ComputeRequestId();
        Assert.That(GatewayFixture.Status(cert, id, "status").Value.ToArray(), Is.EqualTo("replied"u8.ToArray()));
        Assert.That(DecodePrincipal(GatewayFixture.Status(cert, id, "reply").Value), Is.EqualTo(_alice.Principal));
    }

    [Test]
    public async Task SyncCall_OnEveryReplica_SameRootKeyCertifies()
    {
        foreach (var gateway in _f.Subnet.Gateways)
        {
            RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami", nonce: [(byte)gateway.Url.Port, 1]);
            HttpResponseMessage r = await _f.Post(new Uri(gateway.Url, $"/api/v4/canister/{Whoami}/call").ToString(), _alice.Envelope(content));
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            _f.Verified(CallResponse.Decode(await r.Content.ReadAsByteArrayAsync()).Certificate!, Whoami);
        }
    }

    [Test]
    public async Task AsyncCall_Then_ReadState_ReturnsCertifiedReply()
    {
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami", nonce: [7]);
        HttpResponseMessage r = await _f.Post($"/api/v2/canister/{Whoami}/call", _alice.Envelope(content));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        RequestId id = content.ComputeRequestId();
        Assert.That(await _f.Subnet.Replicas[0].WaitForStatusAsync(id, TimeSpan.FromSeconds(60), CancellationToken.None), Is.Not.Null,
            "the call was not certified within 60 s");
        var read = RequestContent.ReadState(_alice.Principal, [[(byte[])"request_status"u8.ToArray(), id.Bytes.ToArray()]], _f.Expiry());
        HttpResponseMessage rs = await _f.Post($"/api/v2/canister/{Whoami}/read_state", _alice.Envelope(read));
        Assert.That(rs.StatusCode, Is.EqualTo(HttpStatusCode.OK), await GatewayFixture.Text(rs));
        Certificate cert = _f.Verified(Certificate.DecodeCertificateOrResponse(await rs.Content.ReadAsByteArrayAsync()).Encode(), Whoami);
        Assert.That(DecodePrincipal(GatewayFixture.Status(cert, id, "reply").Value), Is.EqualTo(_alice.Principal));
    }

    [Test]
    public async Task Query_Whoami_ReplySignedByTheNodeKey()
    {
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami", RequestType.Query);
        HttpResponseMessage r = await _f.Post($"/api/v3/canister/{Whoami}/query", _alice.Envelope(content));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        QueryResponse q = QueryResponse.Decode(await r.Content.ReadAsByteArrayAsync());
        Assert.That(q.Replied, Is.True);
        Assert.That(DecodePrincipal(q.Arg), Is.EqualTo(_alice.Principal));
        NodeSignature sig = q.Signatures.Single();
        Assert.That(sig.Identity, Is.EqualTo(_f.Config.NodeKey.NodeId));
        byte[] message = q.SignedMessage(sig.TimestampNanos, content.ComputeRequestId());
        Assert.That(SignatureVerifier.Verify(_f.Config.NodeKey.PublicKeyDer, message, sig.Signature).IsValid, Is.True);
    }

    [Test]
    public async Task Query_Anonymous_ReturnsAnonymousPrincipal()
    {
        RequestContent content = _f.Call(Principal.Anonymous, Whoami, "whoami", RequestType.Query);
        HttpResponseMessage r = await _f.Post($"/api/v2/canister/{Whoami}/query", new Envelope(content).Encode());
        QueryResponse q = QueryResponse.Decode(await r.Content.ReadAsByteArrayAsync());
        Assert.That(DecodePrincipal(q.Arg), Is.EqualTo(Principal.Anonymous));
    }

    [Test]
    public async Task SyncCall_ThroughDelegation_CallerIsTheDelegator()
    {
        var chain = new[] { _alice.Delegate(_session, _f.Expiry(TimeSpan.FromHours(1)), [Whoami]) };
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami", nonce: [2]);
        Certificate cert = await _f.SyncCall(_alice.Envelope(content, chain, _session), Whoami);
        Assert.That(DecodePrincipal(GatewayFixture.Status(cert, content.ComputeRequestId(), "reply").Value), Is.EqualTo(_alice.Principal));
    }

    [TestCase("v2")]
    [TestCase("v3")]
    public async Task Call_UnknownMethod_400Ic0536AndNeverExecuted(string version)
    {
        RequestContent content = _f.Call(_alice.Principal, Whoami, "no_such_method", nonce: [version == "v2" ? (byte)2 : (byte)3]);
        (HttpStatusCode code, string text) = await PostText($"/api/{version}/canister/{Whoami}/call", _alice.Envelope(content));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text.Trim(), Is.EqualTo($"IC0536: Canister {Whoami} has no update method 'no_such_method'"));

        // Refused before the ingress pool: the subnet never learns of the request, so its status stays absent.
        HttpResponseMessage inc = await _f.Post($"/api/v3/canister/{Counter}/call", _alice.Envelope(_f.Call(_alice.Principal, Counter, "inc", nonce: [version == "v2" ? (byte)12 : (byte)13])));
        Assert.That(inc.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a later call is certified at a later height");
        byte[][] path = ["request_status"u8.ToArray(), content.ComputeRequestId().Bytes.ToArray()];
        HttpResponseMessage rs = await _f.Post($"/api/v2/canister/{Whoami}/read_state", _alice.Envelope(RequestContent.ReadState(_alice.Principal, [path], _f.Expiry())));
        Certificate cert = _f.Verified(Certificate.DecodeCertificateOrResponse(await rs.Content.ReadAsByteArrayAsync()).Encode(), Whoami);
        Assert.That(GatewayFixture.Status(cert, content.ComputeRequestId(), "status").Status, Is.EqualTo(LookupStatus.Absent));
    }

    [Test]
    public async Task Call_QueryMethodOfIi_400NoUpdateMethod_UpdateMethodAccepted()
    {
        Principal ii = Hosting.SubnetCanisters.InternetIdentityId;
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{ii}/call", _alice.Envelope(_f.Call(_alice.Principal, ii, "lookup")));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain($"Canister {ii} has no update method 'lookup'"));

        // An exported update method passes the filter and executes.
        RequestContent start = _f.Call(_alice.Principal, ii, "identity_registration_start");
        Certificate cert = await _f.SyncCall(_alice.Envelope(start), ii);
        Assert.That(GatewayFixture.Status(cert, start.ComputeRequestId(), "status").Value.ToArray(), Is.EqualTo("replied"u8.ToArray()));
    }

    [Test]
    public async Task Query_UnknownMethod_SignedRejectIc0536()
    {
        RequestContent content = _f.Call(_alice.Principal, Counter, "nope", RequestType.Query);
        HttpResponseMessage r = await _f.Post($"/api/v3/canister/{Counter}/query", _alice.Envelope(content));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        QueryResponse q = QueryResponse.Decode(await r.Content.ReadAsByteArrayAsync());
        Assert.That(q.Replied, Is.False);
        Assert.That(q.RejectCode, Is.EqualTo(RejectCode.CanisterError));
        Assert.That(q.ErrorCode, Is.EqualTo("IC0536"));
        Assert.That(q.RejectMessage, Is.EqualTo($"Canister {Counter} has no query method 'nope'"));
        NodeSignature sig = q.Signatures.Single();
        Assert.That(SignatureVerifier.Verify(_f.Config.NodeKey.PublicKeyDer, q.SignedMessage(sig.TimestampNanos, content.ComputeRequestId()), sig.Signature).IsValid);
    }

    [Test]
    public async Task Query_UpdateMethod_RunsInQueryModeWithoutChangingState()
    {
        ulong before = await CounterValue();
        RequestContent asQuery = _f.Call(_alice.Principal, Counter, "inc", RequestType.Query);
        QueryResponse q = QueryResponse.Decode(await (await _f.Post($"/api/v2/canister/{Counter}/query", _alice.Envelope(asQuery))).Content.ReadAsByteArrayAsync());
        Assert.That(q.Replied, Is.True, "the IC runs an update method called as a query in query mode");
        Assert.That(DecodeNat64(q.Arg), Is.EqualTo(before + 1));
        Assert.That(await CounterValue(), Is.EqualTo(before));
    }

    [Test]
    public async Task Call_Replayed_ExecutesOnce()
    {
        RequestContent inc = _f.Call(_alice.Principal, Counter, "inc", nonce: [42]);
        byte[] envelope = _alice.Envelope(inc);
        Certificate first = await _f.SyncCall(envelope, Counter);
        Certificate second = await _f.SyncCall(envelope, Counter);
        HttpResponseMessage again = await _f.Post($"/api/v2/canister/{Counter}/call", envelope);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        RequestId id = inc.ComputeRequestId();
        ulong n1 = DecodeNat64(GatewayFixture.Status(first, id, "reply").Value);
        Assert.That(DecodeNat64(GatewayFixture.Status(second, id, "reply").Value), Is.EqualTo(n1));
        HttpResponseMessage get = await _f.Post($"/api/v3/canister/{Counter}/query", _alice.Envelope(_f.Call(_alice.Principal, Counter, "get", RequestType.Query, nonce: [44])));
        Assert.That(DecodeNat64(QueryResponse.Decode(await get.Content.ReadAsByteArrayAsync()).Arg), Is.EqualTo(n1));
    }

    [Test]
    public async Task Call_CanisterThrows_RejectCode5AndStateRolledBack()
    {
        ulong before = await CounterValue();
        RequestContent content = _f.Call(_alice.Principal, Counter, "inc_then_throw");
        Certificate cert = await _f.SyncCall(_alice.Envelope(content), Counter);
        RequestId id = content.ComputeRequestId();
        Assert.That(GatewayFixture.Status(cert, id, "reject_code").Value.ToArray(), Is.EqualTo(new byte[] { 5 }));
        Assert.That(GatewayFixture.Status(cert, id, "error_code").Value.ToArray(), Is.EqualTo("IC0503"u8.ToArray()));
        Assert.That(await CounterValue(), Is.EqualTo(before));
    }

    // ---- rejections ----

    [Test]
    public async Task Call_MalformedCbor_400()
    {
        (HttpStatusCode code, string text) = await PostText($"/api/v2/canister/{Whoami}/call", [0xd9, 0xd9, 0xf7, 0xa1, 0x61]);
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("Could not parse body"));
    }

    [TestCase("v2", "call")]
    [TestCase("v4", "call")]
    [TestCase("v2", "query")]
    [TestCase("v3", "query")]
    [TestCase("v2", "read_state")]
    [TestCase("v3", "read_state")]
    public async Task AnyEndpoint_MalformedCbor_400(string version, string endpoint)
    {
        (HttpStatusCode code, string text) = await PostText($"/api/{version}/canister/{Whoami}/{endpoint}", [0xd9, 0xd9, 0xf7, 0xa1, 0x61]);
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain($"Could not parse body as {endpoint} message"));
    }

    [Test]
    public async Task Query_BadSignatureOrForeignKey_400()
    {
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami", RequestType.Query);
        byte[] badSig = _alice.Sign(_f.Call(_alice.Principal, Whoami, "other", RequestType.Query).ComputeRequestId().SignedMessage());
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{Whoami}/query", new Envelope(content, _alice.PublicKeyDer, badSig).Encode());
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("Invalid signature"));
        byte[] foreign = new Envelope(content, _mallory.PublicKeyDer, _mallory.Sign(content.ComputeRequestId().SignedMessage())).Encode();
        (code, text) = await PostText($"/api/v2/canister/{Whoami}/query", foreign);
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("not the self-authenticating id"));
    }

    [Test]
    public async Task Query_SameEnvelopeAgain_RepliedAndAnotherSignatureOfItStillRefused()
    {
        // No nonce, as agent-js sends a query: the second send is the same bytes, answered from the remembered signature.
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami", RequestType.Query);
        byte[] envelope = _alice.Envelope(content);
        for (int i = 0; i < 2; i++)
        {
            HttpResponseMessage r = await _f.Post($"/api/v2/canister/{Whoami}/query", envelope);
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"send {i + 1}");
            Assert.That(DecodePrincipal(QueryResponse.Decode(await r.Content.ReadAsByteArrayAsync()).Arg), Is.EqualTo(_alice.Principal));
        }

        byte[] otherSig = _alice.Sign(_f.Call(_alice.Principal, Whoami, "other", RequestType.Query).ComputeRequestId().SignedMessage());
        (HttpStatusCode code, string text) = await PostText($"/api/v2/canister/{Whoami}/query", new Envelope(content, _alice.PublicKeyDer, otherSig).Encode());
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("Invalid signature"));
    }

    [Test]
    public async Task Query_DelegationRemembered_TargetsStillChecked()
    {
        var chain = new[] { _alice.Delegate(_session, _f.Expiry(TimeSpan.FromHours(1)), [Whoami]) };
        HttpResponseMessage ok = await _f.Post($"/api/v2/canister/{Whoami}/query",
            _alice.Envelope(_f.Call(_alice.Principal, Whoami, "whoami", RequestType.Query), chain, _session));
        Assert.That(DecodePrincipal(QueryResponse.Decode(await ok.Content.ReadAsByteArrayAsync()).Arg), Is.EqualTo(_alice.Principal));
        // The chain's signature is now remembered; a query to a canister outside its targets is refused all the same.
        (HttpStatusCode code, string text) = await PostText($"/api/v2/canister/{Counter}/query",
            _alice.Envelope(_f.Call(_alice.Principal, Counter, "get", RequestType.Query), chain, _session));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain($"canister {Counter} is not a target of delegation 0"));
    }

    [Test]
    public async Task Query_BodyWithoutContentLength_Replied()
    {
        // Chunked transfer: the gateway reads the body to its end without a declared length.
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami", RequestType.Query, nonce: [7]);
        using var body = new StreamContent(new MemoryStream(_alice.Envelope(content)));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/cbor");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v2/canister/{Whoami}/query") { Content = body };
        request.Headers.TransferEncodingChunked = true;
        HttpResponseMessage r = await _f.Http.SendAsync(request);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await GatewayFixture.Text(r));
        Assert.That(DecodePrincipal(QueryResponse.Decode(await r.Content.ReadAsByteArrayAsync()).Arg), Is.EqualTo(_alice.Principal));
    }

    [Test]
    public async Task Call_ChunkedBodyOver2MiB_413()
    {
        var content = RequestContent.Call(RequestType.Call, _alice.Principal, Whoami, "whoami", new byte[2 * 1024 * 1024], _f.Expiry());
        using var body = new StreamContent(new MemoryStream(_alice.Envelope(content)));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v3/canister/{Whoami}/call") { Content = body };
        request.Headers.TransferEncodingChunked = true;
        HttpResponseMessage r = await _f.Http.SendAsync(request);
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await GatewayFixture.Text(r), Does.Contain("2 MiB"));
    }

    [Test]
    public async Task ReadState_MissingSignatureOrExpired_400()
    {
        byte[][] time = ["time"u8.ToArray()];
        (HttpStatusCode code, string text) = await PostText($"/api/v2/canister/{Whoami}/read_state",
            new Envelope(RequestContent.ReadState(_alice.Principal, [time], _f.Expiry())).Encode());
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("needs sender_pubkey and sender_sig"));
        // (A read of /time alone is answered whatever its expiry: ReadState_TimeOnlyWithAnyExpiry_...)
        byte[][] subnet = ["subnet"u8.ToArray()];
        (code, text) = await PostText($"/api/v3/canister/{Whoami}/read_state",
            _alice.Envelope(RequestContent.ReadState(_alice.Principal, [time, subnet], _f.Clock.NowNanos - 1_000_000_000)));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("in the past"));
    }

    [Test]
    public async Task Call_QueryContentOnCallEndpoint_400()
    {
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami", RequestType.Query);
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{Whoami}/call", _alice.Envelope(content));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("request_type is \"query\""));
    }

    [Test]
    public async Task Call_MissingSignature_400()
    {
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami");
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{Whoami}/call", new Envelope(content).Encode());
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("needs sender_pubkey and sender_sig"));
    }

    [Test]
    public async Task Call_BadSignature_400()
    {
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami");
        byte[] badSig = _alice.Sign(_f.Call(_alice.Principal, Whoami, "other").ComputeRequestId().SignedMessage());
        byte[] envelope = new Envelope(content, _alice.PublicKeyDer, badSig).Encode();
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{Whoami}/call", envelope);
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("Invalid signature").And.Contain("invalid Ed25519 signature"));
    }

    [Test]
    public async Task Call_SenderNotMatchingKey_400()
    {
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami");
        byte[] envelope = new Envelope(content, _mallory.PublicKeyDer, _mallory.Sign(content.ComputeRequestId().SignedMessage())).Encode();
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{Whoami}/call", envelope);
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("not the self-authenticating id"));
    }

    [Test]
    public async Task ReadState_TimeOnlyWithAnyExpiry_AnsweredSoAgentsCanSync_OtherPathsStillChecked()
    {
        byte[][] time = ["time"u8.ToArray()];
        ulong past = _f.Clock.NowNanos - 600_000_000_000, future = _f.Expiry(TimeSpan.FromMinutes(30));
        foreach (ulong expiry in new[] { past, future })
        {
            HttpResponseMessage r = await _f.Post($"/api/v2/canister/{Whoami}/read_state", _alice.Envelope(RequestContent.ReadState(_alice.Principal, [time], expiry)));
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await GatewayFixture.Text(r));
        }

        byte[][] subnet = ["subnet"u8.ToArray()];
        HttpResponseMessage mixed = await _f.Post($"/api/v2/canister/{Whoami}/read_state", _alice.Envelope(RequestContent.ReadState(_alice.Principal, [time, subnet], past)));
        Assert.That(mixed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await GatewayFixture.Text(mixed), Does.StartWith("Invalid request expiry"));
        // Still authenticated: a signature by someone else is refused.
        HttpResponseMessage forged = await _f.Post($"/api/v2/canister/{Whoami}/read_state",
            _alice.Envelope(RequestContent.ReadState(_alice.Principal, [time], past), signer: _mallory));
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await GatewayFixture.Text(forged), Does.StartWith("Invalid signature"));
    }

    [Test]
    public async Task Call_ExpiryInThePast_400()
    {
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami", expiry: _f.Clock.NowNanos - 1_000_000_000);
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{Whoami}/call", _alice.Envelope(content));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("in the past"));
    }

    [Test]
    public async Task Call_ExpiryTooFarAhead_400_ButFiveMinutesPlusDriftAccepted()
    {
        RequestContent far = _f.Call(_alice.Principal, Whoami, "whoami", expiry: _f.Expiry(TimeSpan.FromMinutes(6)));
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{Whoami}/call", _alice.Envelope(far));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("too far in the future"));
        RequestContent edge = _f.Call(_alice.Principal, Whoami, "whoami", expiry: _f.Expiry(TimeSpan.FromSeconds(329)));
        HttpResponseMessage ok = await _f.Post($"/api/v2/canister/{Whoami}/call", _alice.Envelope(edge));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task Call_DelegationExpired_400()
    {
        var chain = new[] { _alice.Delegate(_session, _f.Clock.NowNanos - 1) };
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami");
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{Whoami}/call", _alice.Envelope(content, chain, _session));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("delegation 0 expired"));
    }

    [Test]
    public async Task Call_DelegationNotCoveringCanister_400()
    {
        var chain = new[] { _alice.Delegate(_session, _f.Expiry(TimeSpan.FromHours(1)), [Counter]) };
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami");
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{Whoami}/call", _alice.Envelope(content, chain, _session));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain($"canister {Whoami} is not a target of delegation 0"));
    }

    [Test]
    public async Task Call_UnknownCanister_400()
    {
        Principal missing = Principal.CanisterId(5);
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{missing}/call", _alice.Envelope(_f.Call(_alice.Principal, missing, "whoami")));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain($"Canister {missing} not found"));
        Principal outside = Principal.CanisterId(0x300000);
        (code, text) = await PostText($"/api/v2/canister/{outside}/query", _alice.Envelope(_f.Call(_alice.Principal, outside, "whoami", RequestType.Query)));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("does not belong to subnet"));
    }

    [Test]
    public async Task Call_UrlCanisterDiffersFromContent_400()
    {
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{Counter}/call", _alice.Envelope(_f.Call(_alice.Principal, Whoami, "whoami")));
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("does not match effective canister id"));
    }

    [Test]
    public async Task Call_InvalidPrincipalInUrl_400()
    {
        (HttpStatusCode code, string text) = await PostText("/api/v3/canister/not-a-principal/call", [0xa0]);
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("Invalid effective canister id"));
    }

    [Test]
    public async Task Call_BodyOver2MiB_413()
    {
        var content = RequestContent.Call(RequestType.Call, _alice.Principal, Whoami, "whoami", new byte[2 * 1024 * 1024], _f.Expiry());
        (HttpStatusCode code, string text) = await PostText($"/api/v3/canister/{Whoami}/call", _alice.Envelope(content));
        Assert.That(code, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(text, Does.Contain("2 MiB"));
    }

    [Test]
    public async Task ReadState_CertifiedData_403()
    {
        byte[][] path = ["canister"u8.ToArray(), Whoami.ToArray(), "certified_data"u8.ToArray()];
        var read = RequestContent.ReadState(_alice.Principal, [path], _f.Expiry());
        (HttpStatusCode code, string text) = await PostText($"/api/v2/canister/{Whoami}/read_state", _alice.Envelope(read));
        Assert.That(code, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(text, Does.Contain("certified_data"));
    }

    [Test]
    public async Task ReadState_ModuleHashOfAnotherCanister_403_OwnAllowed()
    {
        byte[][] other = ["canister"u8.ToArray(), Counter.ToArray(), "module_hash"u8.ToArray()];
        (HttpStatusCode code, _) = await PostText($"/api/v2/canister/{Whoami}/read_state", _alice.Envelope(RequestContent.ReadState(_alice.Principal, [other], _f.Expiry())));
        Assert.That(code, Is.EqualTo(HttpStatusCode.Forbidden));
        byte[][] own = ["canister"u8.ToArray(), Whoami.ToArray(), "module_hash"u8.ToArray()];
        HttpResponseMessage ok = await _f.Post($"/api/v3/canister/{Whoami}/read_state", _alice.Envelope(RequestContent.ReadState(_alice.Principal, [own], _f.Expiry())));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Certificate cert = Certificate.DecodeCertificateOrResponse(await ok.Content.ReadAsByteArrayAsync());
        Assert.That(cert.Lookup("canister", Whoami, "module_hash").Value.Length, Is.EqualTo(32));
    }

    [Test]
    public async Task ReadState_PrivateMetadata_403ForOthers_AllowedForController()
    {
        var controller = new TestIdentity(9);
        byte[][] path = ["canister"u8.ToArray(), Counter.ToArray(), "metadata"u8.ToArray(), "secret"u8.ToArray()];
        (HttpStatusCode code, string text) = await PostText($"/api/v2/canister/{Counter}/read_state", _alice.Envelope(RequestContent.ReadState(_alice.Principal, [path], _f.Expiry())));
        Assert.That(code, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(text, Does.Contain("private"));
        HttpResponseMessage ok = await _f.Post($"/api/v2/canister/{Counter}/read_state", controller.Envelope(RequestContent.ReadState(controller.Principal, [path], _f.Expiry())));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ReadState_RequestStatusOfAnotherSender_403()
    {
        RequestContent content = _f.Call(_alice.Principal, Whoami, "whoami", nonce: [99]);
        await _f.SyncCall(_alice.Envelope(content), Whoami);
        byte[][] path = ["request_status"u8.ToArray(), content.ComputeRequestId().Bytes.ToArray()];
        (HttpStatusCode code, string text) = await PostText($"/api/v2/canister/{Whoami}/read_state", _mallory.Envelope(RequestContent.ReadState(_mallory.Principal, [path], _f.Expiry())));
        Assert.That(code, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(text, Does.Contain("another principal"));
        (code, text) = await PostText($"/api/v2/canister/{Counter}/read_state", _alice.Envelope(RequestContent.ReadState(_alice.Principal, [path], _f.Expiry())));
        Assert.That(code, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(text, Does.Contain("was sent to canister"));
    }

    [Test]
    public async Task ReadState_SubnetEndpoint_ServesSubnetAndRanges_ForbidsRequestStatus()
    {
        Principal sid = _f.Config.SubnetId;
        byte[][] ranges = ["canister_ranges"u8.ToArray(), sid.ToArray()];
        byte[][] subnet = ["subnet"u8.ToArray(), sid.ToArray()];
        HttpResponseMessage ok = await _f.Post($"/api/v3/subnet/{sid}/read_state", _alice.Envelope(RequestContent.ReadState(_alice.Principal, [ranges, subnet], _f.Expiry())));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Certificate cert = Certificate.DecodeCertificateOrResponse(await ok.Content.ReadAsByteArrayAsync());
        Assert.That(CertificateVerifier.Verify(cert, new CertificateVerificationOptions { RootKey = _f.Config.RootKeyDer, EffectiveSubnetId = sid }).IsValid);
        Assert.That(cert.Lookup("subnet", sid, "public_key").Value.ToArray(), Is.EqualTo(_f.Config.RootKeyDer));
        byte[][] status = ["request_status"u8.ToArray(), new byte[32]];
        (HttpStatusCode code, _) = await PostText($"/api/v2/subnet/{sid}/read_state", _alice.Envelope(RequestContent.ReadState(_alice.Principal, [status], _f.Expiry())));
        Assert.That(code, Is.EqualTo(HttpStatusCode.Forbidden));
        (code, _) = await PostText($"/api/v2/subnet/{Principal.Anonymous}/read_state", _alice.Envelope(RequestContent.ReadState(_alice.Principal, [subnet], _f.Expiry())));
        Assert.That(code, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ReadState_CanisterRangesOnCanisterEndpoint_403_NodeKeysAllowed()
    {
        Principal sid = _f.Config.SubnetId;
        byte[][] ranges = ["canister_ranges"u8.ToArray(), sid.ToArray()];
        (HttpStatusCode code, _) = await PostText($"/api/v2/canister/{Whoami}/read_state", _alice.Envelope(RequestContent.ReadState(_alice.Principal, [ranges], _f.Expiry())));
        Assert.That(code, Is.EqualTo(HttpStatusCode.Forbidden));
        HttpResponseMessage ok = await _f.Post($"/api/v2/canister/{Whoami}/read_state",
            new Envelope(RequestContent.ReadState(Principal.Anonymous, [["subnet"u8.ToArray()]], _f.Expiry())).Encode());
        Certificate cert = Certificate.DecodeCertificateOrResponse(await ok.Content.ReadAsByteArrayAsync());
        foreach (var node in _f.Config.Nodes)
        {
            Assert.That(cert.Lookup("subnet", sid, "node", node.NodeId, "public_key").Value.ToArray(), Is.EqualTo(node.PublicKeyDer));
        }
    }

    [Test]
    public async Task BrowserOrigin_PreflightAndCallCarryCorsHeaders()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/api/v3/canister/{Whoami}/call");
        preflight.Headers.Add("Origin", "http://localhost:5173");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        HttpResponseMessage p = await _f.Http.SendAsync(preflight);
        Assert.That((int)p.StatusCode, Is.EqualTo(204));
        Assert.That(p.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("*"));
        Assert.That(string.Join(",", p.Headers.GetValues("Access-Control-Allow-Methods")), Does.Contain("POST"));

        using var status = new HttpRequestMessage(HttpMethod.Get, "/api/v2/status");
        status.Headers.Add("Origin", "http://localhost:5173");
        HttpResponseMessage s = await _f.Http.SendAsync(status);
        Assert.That(s.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("*"));
    }

    [Test]
    public async Task UnknownEndpoint_404()
    {
        HttpResponseMessage r = await _f.Http.GetAsync("/api/v1/whatever");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
