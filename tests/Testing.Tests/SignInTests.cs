using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Testing.NUnit;

namespace InternetIdentity.Testing.Tests;

/// <summary>Test anchors and sign-ins on a 4-replica network, checked through the Agent and the whoami canister.</summary>
[TestFixture]
public sealed class SignInTests : LocalNetworkFixture
{
    private const string Origin = "https://dapp.example";

    [Test]
    public async Task SignInAsync_NewAnchor_WhoamiAnswersThePrincipal()
    {
        TestAnchor anchor = await Network.CreateAnchorAsync();
        TestSignInResult signIn = await Network.SignInAsync(anchor, Origin);

        using HttpAgent agent = Network.CreateAgent(signIn.Identity);
        Principal caller = await new WhoamiClient(agent).WhoamiAsync();

        Assert.That(caller, Is.EqualTo(signIn.Principal));
        Assert.That(caller, Is.Not.EqualTo(anchor.DevicePrincipal), "the dapp sees II's pseudonym, not the device");
        using HttpAgent ii = Network.CreateAgent(anchor.Device);
        Assert.That(await new InternetIdentityClient(ii).GetPrincipalAsync(anchor.Number, Origin), Is.EqualTo(signIn.Principal));
    }

    [Test]
    public async Task SignInAsync_Result_JsonIsWhatAgentJsReads()
    {
        TestAnchor anchor = await Network.CreateAnchorAsync();
        TestSignInResult signIn = await Network.SignInAsync(anchor, Origin, TimeSpan.FromMinutes(5));

        DelegationChain chain = DelegationChain.FromJson(signIn.ChainJson);
        var identity = new DelegationIdentity(Ed25519Identity.FromJson(signIn.SessionKeyJson), chain);
        using HttpAgent agent = Network.CreateAgent(identity);
        Assert.That(await new WhoamiClient(agent).WhoamiAsync(), Is.EqualTo(signIn.Principal));
        Assert.That(signIn.Expiration - Network.Time.Now, Is.InRange(TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5)));
        Assert.That(signIn.AuthClientStorage.Keys, Is.EquivalentTo(new[] { "identity", "delegation" }));
    }

    [Test]
    public async Task CallAsync_DelegationExpiredAfterAdvance31Minutes_RefusedWithTheExpiry()
    {
        TestAnchor anchor = await Network.CreateAnchorAsync();
        TestSignInResult signIn = await Network.SignInAsync(anchor, Origin); // II's default: 30 minutes
        using HttpAgent agent = Network.CreateAgent(signIn.Identity);
        var whoami = new WhoamiClient(agent);
        Assert.That(await whoami.WhoamiAsync(), Is.EqualTo(signIn.Principal));

        await Network.Time.AdvanceAsync(TimeSpan.FromMinutes(31));

        IcHttpException e = Assert.ThrowsAsync<IcHttpException>(() => whoami.WhoamiAsync())!;
        TestContext.Out.WriteLine($"{(int)e.StatusCode}: {e.Body}");
        Assert.That((int)e.StatusCode, Is.EqualTo(400));
        Assert.That(e.Body, Does.StartWith("Invalid signature: delegation 0 expired at"));
    }

    [Test]
    public async Task SignInAsync_BadArguments_ThrowArgumentExceptionNamingThem()
    {
        TestAnchor anchor = await Network.CreateAnchorAsync();
        var stranger = new TestAnchor(anchor.Number, Ed25519Identity.Generate());
        Assert.Multiple(() =>
        {
            Assert.That(Assert.ThrowsAsync<ArgumentNullException>(() => Network.SignInAsync(null!, Origin))!.ParamName, Is.EqualTo("anchor"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => Network.SignInAsync(anchor, ""))!.ParamName, Is.EqualTo("origin"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => Network.SignInAsync(anchor, "dapp.example"))!.ParamName, Is.EqualTo("origin"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => Network.SignInAsync(anchor, "https://dapp.example/path"))!.ParamName, Is.EqualTo("origin"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => Network.SignInAsync(anchor, Origin, TimeSpan.Zero))!.ParamName, Is.EqualTo("timeToLive"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => Network.SignInAsync(stranger, Origin))!.ParamName, Is.EqualTo("anchor"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => Network.Time.AdvanceAsync(TimeSpan.FromSeconds(-1)))!.ParamName, Is.EqualTo("duration"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => Network.Time.SetAsync(Network.Time.NowNanos - 60_000_000_000L))!.ParamName,
                Is.EqualTo("nanosSinceEpoch"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => Network.Time.SetAsync(DateTimeOffset.UnixEpoch.AddDays(-1)))!.ParamName, Is.EqualTo("time"));
            Assert.That(Assert.ThrowsAsync<InvalidOperationException>(() => Network.Time.TickAsync())!.Message, Does.Contain("manual"));
            Assert.That(Assert.Throws<ArgumentException>(() => Network.AssetsUrl(0))!.ParamName, Is.EqualTo("index"));
        });
    }
}
