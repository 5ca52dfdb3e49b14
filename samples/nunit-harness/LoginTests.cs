using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Testing;
using InternetIdentity.Testing.NUnit;
using NUnit.Framework;

namespace InternetIdentity.Samples.NUnitHarness;

/// <summary>A dapp's login tests on an in-process network: one network for the fixture, II's dummy captcha on.</summary>
[TestFixture]
public sealed class LoginTests : LocalNetworkFixture
{
    private const string DappOrigin = "http://localhost:5173";

    /// <summary>Four replicas, II with dummy auth and its captcha (solution "a").</summary>
    protected override LocalNetworkOptions NetworkOptions => new() { Replicas = 4, IiDummyAuth = true, IiCaptcha = true };

    /// <summary>A signed-in user calls the dapp's backend (here whoami) as II's pseudonym for the dapp.</summary>
    [Test]
    public async Task Login_TestAnchor_CallsAsItsPseudonym()
    {
        TestAnchor anchor = await Network.CreateAnchorAsync();
        TestSignInResult user = await Network.SignInAsync(anchor, DappOrigin);

        using HttpAgent agent = Network.CreateAgent(user.Identity);
        Assert.That(await new WhoamiClient(agent).WhoamiAsync(), Is.EqualTo(user.Principal));
        // user.AuthClientStorage is what auth-client keeps in IndexedDB: seed a browser test with it to start logged in.
    }

    /// <summary>II's delegations last 30 minutes by default: after that the replica refuses the session's calls.</summary>
    [Test]
    public async Task Login_After31Minutes_DelegationExpired()
    {
        TestAnchor anchor = await Network.CreateAnchorAsync();
        TestSignInResult user = await Network.SignInAsync(anchor, DappOrigin);
        using HttpAgent agent = Network.CreateAgent(user.Identity);

        await Network.Time.AdvanceAsync(TimeSpan.FromMinutes(31));

        IcHttpException refused = Assert.ThrowsAsync<IcHttpException>(() => new WhoamiClient(agent).WhoamiAsync())!;
        Assert.That(refused.Body, Does.Contain("expired"));
    }

    /// <summary>A registration whose captcha is not answered within II's 5 minutes has to start again.</summary>
    [Test]
    public async Task Registration_CaptchaAnsweredTooLate_FlowExpired()
    {
        using HttpAgent agent = Network.CreateAgent(Ed25519Identity.Generate());
        var ii = new InternetIdentityClient(agent);
        Assert.That(await ii.IdentityRegistrationStartAsync(), Is.TypeOf<IdRegStartResult.Ok>());

        await Network.Time.AdvanceAsync(TimeSpan.FromMinutes(6));

        CheckCaptchaResult late = await ii.CheckCaptchaAsync("a");
        Assert.That(late, Is.EqualTo(new CheckCaptchaResult.Err(new CheckCaptchaError.NoRegistrationFlow())));
    }
}
