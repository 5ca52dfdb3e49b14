using System.Net;
using System.Text.Json;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.TestSupport;
using InternetIdentity.Replica.Tests.Gateway;

namespace InternetIdentity.Replica.Tests.TestSupport;

/// <summary>Test anchors and sign-ins through II's real interface on a 4-replica subnet.</summary>
[NonParallelizable]
public class TestIdentitiesTests
{
    private GatewayFixture _f = null!;
    private TestIdentities _identities = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _f = await GatewayFixture.StartAsync();
        _identities = new TestIdentities(TimeSpan.FromSeconds(60));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _f.DisposeAsync();

    private static CancellationToken Minute => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Test]
    public async Task SignInAsync_NewAnchor_WhoamiSeesIiPseudonymForTheOrigin()
    {
        TestAnchor anchor = await _identities.CreateAnchorAsync(_f.Subnet.Replicas[0], Minute);
        Assert.That(anchor.Number, Is.GreaterThanOrEqualTo(10_000UL));
        var session = new TestIdentity(42);
        TestSignIn signIn = await _identities.SignInAsync(_f.Subnet.Replicas[2], anchor.Number, "https://dapp.example", session.PublicKeyDer, null, Minute);

        // II's own get_principal, asked as the anchor's device, names the same principal (on a replica that has executed
        // the calls above, which were awaited on replicas 0 and 2 only).
        await _f.Subnet.WaitUntilAllCaughtUpAsync(Minute);
        byte[] arg = CandidEncoder.Encode([CandidType.Nat64, CandidType.Text], [CandidValue.Nat64(anchor.Number), CandidValue.Text("https://dapp.example")]);
        var reply = (CanisterReply.Replied)(await _f.Subnet.Replicas[1].QueryAsync(anchor.DevicePrincipal, SubnetCanisters.InternetIdentityId, "get_principal", arg, Minute))!;
        Principal named = Principal.FromBytes(((CandidPrincipalValue)CandidDecoder.Decode(reply.Candid.Span, [CandidType.Principal])[0]).Principal.Span);
        Assert.That(signIn.Principal, Is.EqualTo(named));

        // The chain works: whoami, called through the gateway with it, sees that principal.
        RequestContent content = _f.Call(signIn.Principal, WhoamiCanister.Id, "whoami");
        byte[] envelope = new Envelope(content, signIn.UserPublicKeyDer, session.Sign(content.ComputeRequestId().SignedMessage()), [signIn.Delegation]).Encode();
        var certificate = await _f.SyncCall(envelope, WhoamiCanister.Id);
        Assert.That(certificate, Is.Not.Null);
        RequestContent q = _f.Call(signIn.Principal, WhoamiCanister.Id, "whoami_query", RequestType.Query);
        byte[] queryEnvelope = new Envelope(q, signIn.UserPublicKeyDer, session.Sign(q.ComputeRequestId().SignedMessage()), [signIn.Delegation]).Encode();
        HttpResponseMessage query = await _f.Post($"/api/v3/canister/{WhoamiCanister.Id}/query", queryEnvelope);
        Assert.That(query.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        QueryResponse answer = QueryResponse.Decode(await query.Content.ReadAsByteArrayAsync());
        var seenValue = (CandidPrincipalValue)CandidDecoder.Decode(answer.Arg!, [CandidType.Principal])[0];
        Principal seen = Principal.FromBytes(seenValue.Principal.Span);
        Assert.That(seen, Is.EqualTo(signIn.Principal));
    }

    [Test]
    public async Task SignInAsync_TtlAndOrigins_ExpirationFollowsAndPrincipalsDiffer()
    {
        TestAnchor anchor = await _identities.CreateAnchorAsync(_f.Subnet.Replicas[0], Minute);
        var session = new TestIdentity(43);
        ulong now = _f.Clock.NowNanos;
        TestSignIn hour = await _identities.SignInAsync(_f.Subnet.Replicas[2], anchor.Number, "https://a.example", session.PublicKeyDer, 3_600_000_000_000, Minute);
        TestSignIn other = await _identities.SignInAsync(_f.Subnet.Replicas[2], anchor.Number, "https://b.example", session.PublicKeyDer, null, Minute);
        Assert.That(hour.Delegation.Delegation.Expiration, Is.InRange(now + 3_500_000_000_000, now + 3_700_000_000_000));
        Assert.That(other.Delegation.Delegation.Expiration, Is.InRange(now + 1_700_000_000_000, now + 1_900_000_000_000), "II's default: 30 minutes");
        Assert.That(hour.Principal, Is.Not.EqualTo(other.Principal));
    }

    [Test]
    public async Task ChainJson_IsAgentJsDelegationChainJson()
    {
        TestAnchor anchor = await _identities.CreateAnchorAsync(_f.Subnet.Replicas[0], Minute);
        var session = new TestIdentity(44);
        TestSignIn signIn = await _identities.SignInAsync(_f.Subnet.Replicas[2], anchor.Number, "https://dapp.example", session.PublicKeyDer, null, Minute);
        using JsonDocument json = JsonDocument.Parse(signIn.ChainJson());
        Assert.That(json.RootElement.GetProperty("publicKey").GetString(), Is.EqualTo(Convert.ToHexStringLower(signIn.UserPublicKeyDer)));
        JsonElement d = json.RootElement.GetProperty("delegations")[0];
        Assert.That(d.GetProperty("delegation").GetProperty("pubkey").GetString(), Is.EqualTo(Convert.ToHexStringLower(session.PublicKeyDer)));
        Assert.That(Convert.ToUInt64(d.GetProperty("delegation").GetProperty("expiration").GetString(), 16), Is.EqualTo(signIn.Delegation.Delegation.Expiration));
        Assert.That(d.GetProperty("signature").GetString(), Is.EqualTo(Convert.ToHexStringLower(signIn.Delegation.Signature)));
    }

    [Test]
    public void SignInAsync_UnknownAnchorOrEmptyInput_ArgumentException()
    {
        var session = new TestIdentity(45);
        Assert.That(async () => await _identities.SignInAsync(_f.Subnet.Replicas[2], 99_999, "https://dapp.example", session.PublicKeyDer, null, Minute),
            Throws.ArgumentException.With.Message.Contains("anchor 99999 was not created as a test anchor"));
        Assert.That(async () => await _identities.SignInAsync(_f.Subnet.Replicas[2], 10_000, "", session.PublicKeyDer, null, Minute), Throws.ArgumentException);
        Assert.That(async () => await _identities.SignInAsync(_f.Subnet.Replicas[2], 10_000, "https://dapp.example", [], null, Minute), Throws.ArgumentException);
    }
}
