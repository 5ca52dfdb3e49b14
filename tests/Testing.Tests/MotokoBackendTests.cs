using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.TestSupport;
using InternetIdentity.Testing.NUnit;

namespace InternetIdentity.Testing.Tests;

/// <summary>
/// The Motoko backend of samples/motoko-dapp (compiled during the test by npm motoko@4.10.0), installed on a 4-replica
/// network and called through the Agent with the delegation identities of <see cref="LocalNetwork.SignInAsync"/>: the
/// canister sees II's pseudonym, refuses the anonymous principal, and the gateway refuses an expired delegation.
/// </summary>
[TestFixture]
public sealed class MotokoBackendTests : LocalNetworkFixture
{
    private const string Origin = "https://dapp.example";
    private Principal _backend = null!;

    /// <summary>samples/motoko-dapp/backend/main.mo, the source the sample's build script compiles.</summary>
    internal static string BackendSource => File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "motoko-dapp", "backend", "main.mo"));

    [OneTimeSetUp]
    public async Task InstallBackendAsync()
    {
        byte[] wasm = Convert.FromBase64String(NodeScript.Run("motoko-compile.mjs", BackendSource));
        _backend = await Network.InstallCanisterAsync(wasm);
    }

    [Test]
    public async Task WhoamiChecked_DelegationIdentity_AnswersTheSignInPseudonym()
    {
        TestAnchor anchor = await Network.CreateAnchorAsync();
        TestSignInResult signIn = await Network.SignInAsync(anchor, Origin);
        using HttpAgent agent = Network.CreateAgent(signIn.Identity);
        ulong before = await AnsweredCallsAsync(agent);

        Principal seen = await WhoamiCheckedAsync(agent);

        Assert.Multiple(async () =>
        {
            Assert.That(seen, Is.EqualTo(signIn.Principal), "the backend sees SignInAsync's principal");
            Assert.That(seen, Is.EqualTo(await new WhoamiClient(agent).WhoamiAsync()), "the built-in whoami sees the same caller");
            Assert.That(seen, Is.Not.EqualTo(anchor.DevicePrincipal), "the dapp sees II's pseudonym, not the device key");
            Assert.That(seen, Is.Not.EqualTo(Principal.Anonymous));
            Assert.That(await AnsweredCallsAsync(agent), Is.EqualTo(before + 1), "the update changed the replicated state");
        });
    }

    [Test]
    public async Task WhoamiChecked_Anonymous_RejectedByTheCanister()
    {
        using HttpAgent agent = Network.CreateAgent();
        ulong before = await AnsweredCallsAsync(agent);

        IcRejectException e = Assert.ThrowsAsync<IcRejectException>(() => WhoamiCheckedAsync(agent))!;

        TestContext.Out.WriteLine(e.Message);
        Assert.Multiple(async () =>
        {
            Assert.That((e.Code, e.ErrorCode), Is.EqualTo((RejectCode.CanisterReject, "IC0406")));
            Assert.That(e.RejectMessage, Is.EqualTo("whoami_checked: the anonymous principal may not call this method; sign in with Internet Identity first"));
            Assert.That(await AnsweredCallsAsync(agent), Is.EqualTo(before), "a rejected call changes nothing");
            Assert.That(await QueryWhoamiAsync(agent), Is.EqualTo(Principal.Anonymous), "the unchecked query names the anonymous caller");
        });
    }

    [Test]
    public async Task WhoamiChecked_DelegationForAnotherOrigin_AnswersAnotherPrincipal()
    {
        TestAnchor anchor = await Network.CreateAnchorAsync();
        TestSignInResult here = await Network.SignInAsync(anchor, Origin);
        TestSignInResult there = await Network.SignInAsync(anchor, "http://localhost:5173");
        using HttpAgent hereAgent = Network.CreateAgent(here.Identity);
        using HttpAgent thereAgent = Network.CreateAgent(there.Identity);

        Principal seenHere = await WhoamiCheckedAsync(hereAgent);
        Principal seenThere = await WhoamiCheckedAsync(thereAgent);

        Assert.Multiple(async () =>
        {
            Assert.That(seenThere, Is.EqualTo(there.Principal));
            Assert.That(seenThere, Is.Not.EqualTo(seenHere), "one anchor, two origins: two pseudonyms");
            Assert.That(await QueryWhoamiAsync(thereAgent), Is.EqualTo(there.Principal), "the query sees the same caller as the update");
        });
    }

    [Test]
    public async Task WhoamiChecked_DelegationExpiredAfterAdvance_RefusedByTheGatewayWithTheExpiry()
    {
        TestAnchor anchor = await Network.CreateAnchorAsync();
        TestSignInResult signIn = await Network.SignInAsync(anchor, Origin, TimeSpan.FromMinutes(5));
        using HttpAgent agent = Network.CreateAgent(signIn.Identity);
        Assert.That(await WhoamiCheckedAsync(agent), Is.EqualTo(signIn.Principal));
        using HttpAgent anonymous = Network.CreateAgent();
        ulong before = await AnsweredCallsAsync(anonymous);

        await Network.Time.AdvanceAsync(TimeSpan.FromMinutes(6));

        IcHttpException e = Assert.ThrowsAsync<IcHttpException>(() => WhoamiCheckedAsync(agent))!;
        TestContext.Out.WriteLine($"{(int)e.StatusCode}: {e.Body}");
        Assert.Multiple(async () =>
        {
            Assert.That((int)e.StatusCode, Is.EqualTo(400));
            Assert.That(e.Body, Does.StartWith("Invalid signature: delegation 0 expired at"));
            Assert.That(await AnsweredCallsAsync(anonymous), Is.EqualTo(before), "the refused call never reached the canister");
        });
    }

    [Test]
    public void InstallCanisterAsync_NotWasm_RejectedWithTheIcText()
    {
        IcRejectException e = Assert.ThrowsAsync<IcRejectException>(() => Network.InstallCanisterAsync([1, 2, 3, 4]))!;
        TestContext.Out.WriteLine(e.Message);
        Assert.That(e.RejectMessage, Does.Contain("wasm").IgnoreCase);
        Assert.That(Assert.ThrowsAsync<ArgumentException>(() => Network.InstallCanisterAsync([]))!.ParamName, Is.EqualTo("wasm"));
    }

    private async Task<Principal> WhoamiCheckedAsync(HttpAgent agent) =>
        (await agent.CallAsync<CandidPrincipal>(_backend, "whoami_checked", CandidArgs.Encode())).ToPrincipal();

    private async Task<Principal> QueryWhoamiAsync(HttpAgent agent) =>
        (await agent.QueryAsync<CandidPrincipal>(_backend, "whoami", CandidArgs.Encode())).ToPrincipal();

    private async Task<ulong> AnsweredCallsAsync(HttpAgent agent) =>
        (ulong)((CandidNat)CandidDecoder.DecodeUntyped(await agent.QueryAsync(_backend, "answered_calls", CandidArgs.Encode())).Values.Single()).Value;
}
