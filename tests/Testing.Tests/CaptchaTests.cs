using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Testing.NUnit;

namespace InternetIdentity.Testing.Tests;

/// <summary>II with its (dummy) captcha on: test anchors solve it, and a registration flow expires with time.</summary>
[TestFixture]
public sealed class CaptchaTests : LocalNetworkFixture
{
    protected override LocalNetworkOptions NetworkOptions => new() { Replicas = 4, IiCaptcha = true, IiDummyAuth = true };

    [Test]
    public async Task CreateAnchorAsync_CaptchaOn_SolvesTheDummyCaptcha()
    {
        TestAnchor anchor = await Network.CreateAnchorAsync();
        using HttpAgent agent = Network.CreateAgent(anchor.Device);
        DeviceData[] devices = await new InternetIdentityClient(agent).LookupAsync(anchor.Number);
        Assert.That(devices.Select(d => d.Pubkey), Has.One.EqualTo(anchor.Device.PublicKeyDer));
    }

    [Test]
    public async Task CheckCaptchaAsync_AfterTheFlowExpired_NoRegistrationFlow()
    {
        using HttpAgent agent = Network.CreateAgent(Ed25519Identity.Generate());
        var ii = new InternetIdentityClient(agent);
        IdRegStartResult started = await ii.IdentityRegistrationStartAsync();
        Assert.That(started, Is.TypeOf<IdRegStartResult.Ok>());
        Assert.That(((IdRegStartResult.Ok)started).Value.NextStep, Is.TypeOf<RegistrationFlowNextStep.CheckCaptcha>());

        // II's registration flow (and its captcha) lives 5 minutes (FLOW_EXPIRATION_NS, CAPTCHA_CHALLENGE_LIFETIME).
        await Network.Time.AdvanceAsync(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        CheckCaptchaResult result = await ii.CheckCaptchaAsync("a");
        Assert.That(result, Is.TypeOf<CheckCaptchaResult.Err>());
        Assert.That(((CheckCaptchaResult.Err)result).Value, Is.TypeOf<CheckCaptchaError.NoRegistrationFlow>());
    }
}
