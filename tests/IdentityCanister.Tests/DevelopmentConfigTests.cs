using InternetIdentity.IdentityCanister.Candid;
using InternetIdentity.IdentityCanister.Core;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using T = InternetIdentity.Protocol.Candid.CandidType;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>The switches of II's development builds: <c>fetch_root_key</c>, <c>dummy_auth</c> and its dummy captcha.</summary>
public class DevelopmentConfigTests
{
    private static byte[] Init(params (string Name, V Value)[] fields)
    {
        string[] all = ["assigned_user_number_range", "archive_config", "canister_creation_cycles_cost", "register_rate_limit",
            "captcha_config", "related_origins", "fetch_root_key", "dummy_auth", "alternative_origins"];
        V init = V.Record([.. all.Select(n => (n, fields.FirstOrDefault(f => f.Name == n).Value ?? V.None))]);
        return CandidEncoder.Encode([T.Opt(DidTypes.InternetIdentityInit)], [V.Some(init)]);
    }

    private static V DummyAuth(bool promptForIndex) => V.Some(V.Some(V.Record(("prompt_for_index", V.Bool(promptForIndex)))));

    [Test]
    public void Install_FetchRootKeyAndDummyAuth_AreInTheConfig()
    {
        var ii = InternetIdentityCanister.Install(CanisterHarness.IiCanisterId, Init(("fetch_root_key", V.Some(V.Bool(true))), ("dummy_auth", DummyAuth(true))));
        Assert.That(ii.State.Config.FetchRootKey, Is.True);
        Assert.That(ii.State.Config.DummyAuth, Is.EqualTo(new DummyAuthConfig(PromptForIndex: true)));
    }

    [Test]
    public void Upgrade_DummyAuthAbsentKeepsIt_OptNullTurnsItOff()
    {
        var ii = InternetIdentityCanister.Install(CanisterHarness.IiCanisterId, Init(("dummy_auth", DummyAuth(false))));
        ii.Upgrade(Init());
        Assert.That(ii.State.Config.DummyAuth, Is.EqualTo(new DummyAuthConfig(PromptForIndex: false)));
        ii.Upgrade(Init(("dummy_auth", V.Some(V.None))));
        Assert.That(ii.State.Config.DummyAuth, Is.Null);
    }

    [Test]
    public void InstallForLocalDevelopment_Flags_SetFetchRootKeyDummyAuthAndCaptcha()
    {
        Principal id = CanisterHarness.IiCanisterId;
        CanisterConfig plain = InternetIdentityCanister.InstallForLocalDevelopment(id).State.Config;
        Assert.That((plain.FetchRootKey, plain.DummyAuth, plain.CaptchaEnabled), Is.EqualTo((true, (DummyAuthConfig?)null, false)));
        CanisterConfig dev = InternetIdentityCanister.InstallForLocalDevelopment(id, dummyAuth: true, captcha: true).State.Config;
        Assert.That((dev.FetchRootKey, dev.DummyAuth, dev.CaptchaEnabled), Is.EqualTo((true, (DummyAuthConfig?)new DummyAuthConfig(false), true)));
    }

    [Test]
    public void EncodeConfig_DecodedAndApplied_GivesTheSameConfig()
    {
        CanisterConfig config = InternetIdentityCanister.InstallForLocalDevelopment(CanisterHarness.IiCanisterId, dummyAuth: true, captcha: true).State.Config
            with { RelatedOrigins = ["https://a.example", "https://b.example"] };
        byte[] encoded = InitArgCodec.EncodeConfig(config);
        IReadOnlyList<V> values = CandidDecoder.Decode(encoded, [DidTypes.InternetIdentityInit]);
        byte[] asArgument = CandidEncoder.Encode([T.Opt(DidTypes.InternetIdentityInit)], [V.Some(values[0])]);
        Assert.That(InitArgCodec.Decode(asArgument).ApplyTo(CanisterConfig.Default, 0), Is.EqualTo(config));
    }

    [Test]
    public void Snapshot_DevelopmentSwitches_SurviveARoundTrip()
    {
        var ii = InternetIdentityCanister.InstallForLocalDevelopment(CanisterHarness.IiCanisterId, dummyAuth: true);
        var restored = InternetIdentityCanister.Restore(CanisterHarness.IiCanisterId, ii.Snapshot());
        Assert.That(restored.State.Config, Is.EqualTo(ii.State.Config));
        Assert.That(restored.Snapshot(), Is.EqualTo(ii.Snapshot()));
    }

    [Test]
    public void Restore_VersionOneSnapshot_ReadsWithTheSwitchesOff()
    {
        // A version-01 snapshot is a version-02 one without the switch bytes after the related origins (none set: 3 bytes).
        var ii = InternetIdentityCanister.InstallForLocalDevelopment(CanisterHarness.IiCanisterId);
        byte[] v2 = ii.Snapshot();
        int switches = 8 + (8 * 5) + 1 + 1; // magic, five u64 settings, captcha flag, related-origins flag (none)
        byte[] v1 = [.. "IISNAP01"u8, .. v2.AsSpan(8, switches - 8), .. v2.AsSpan(switches + 3)];
        CanisterConfig config = InternetIdentityCanister.Restore(CanisterHarness.IiCanisterId, v1).State.Config;
        Assert.That((config.FetchRootKey, config.DummyAuth), Is.EqualTo((false, (DummyAuthConfig?)null)));
        Assert.That(config with { FetchRootKey = true }, Is.EqualTo(ii.State.Config));
    }

    [Test]
    public void CheckCaptcha_DummyAuth_SolutionIsA()
    {
        var h = new CanisterHarness(captcha: true, dummyAuth: true);
        Principal flow = Principal.SelfAuthenticating([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. new byte[32]]);
        h.Update(flow, "identity_registration_start");
        var wrong = (CandidVariant)h.Update(flow, "check_captcha", V.Record(("solution", V.Text("b")))).Single;
        Assert.That(wrong.Label.Id, Is.EqualTo(CandidLabel.Hash("Err")));
        Assert.That(((CandidVariant)wrong.Value).Label.Id, Is.EqualTo(CandidLabel.Hash("WrongSolution")));
        CallResult right = h.Update(flow, "check_captcha", V.Record(("solution", V.Text(Execution.DummyCaptchaSolution))));
        Assert.That(((CandidVariant)right.Single).Label.Id, Is.EqualTo(CandidLabel.Hash("Ok")));
    }

    [Test]
    public void CheckCaptcha_WithoutDummyAuth_AIsWrong()
    {
        var h = new CanisterHarness(captcha: true);
        Principal flow = Principal.SelfAuthenticating([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. new byte[32]]);
        h.Update(flow, "identity_registration_start");
        Assume.That(h.FlowSolution(flow), Is.Not.EqualTo("a"));
        CallResult wrong = h.Update(flow, "check_captcha", V.Record(("solution", V.Text("a"))));
        Assert.That(((CandidVariant)wrong.Single).Label.Id, Is.EqualTo(CandidLabel.Hash("Err")));
    }

    [Test]
    public void InstallForLocalDevelopment_AlternativeOrigins_ServedAsWellKnownJsonWithCors()
    {
        var ii = InternetIdentityCanister.InstallForLocalDevelopment(CanisterHarness.IiCanisterId,
            alternativeOrigins: ["https://dapp.example", "http://localhost:5173"]);
        Assert.That(ii.Assets.Contains("/.well-known/ii-alternative-origins"), Is.True);
        var response = ii.Assets.Serve("/.well-known/ii-alternative-origins", 2, null, Execution.CertifiedTree(ii.State));
        Assert.That(System.Text.Encoding.UTF8.GetString(response.Body.Span),
            Is.EqualTo("{\"alternativeOrigins\":[\"https://dapp.example\",\"http://localhost:5173\"]}"));
        Assert.That(response.HeaderValue("Content-Type"), Is.EqualTo("application/json"));
        Assert.That(response.HeaderValue("Access-Control-Allow-Origin"), Is.EqualTo("*"));
        Assert.That(InternetIdentityCanister.InstallForLocalDevelopment(CanisterHarness.IiCanisterId).Assets.Contains("/.well-known/ii-alternative-origins"),
            Is.False, "not served unless configured");
        var restored = InternetIdentityCanister.Restore(CanisterHarness.IiCanisterId, ii.Snapshot());
        Assert.That(restored.CertifiedData, Is.EqualTo(ii.CertifiedData));
    }

    [TestCase("https://dapp.example/path")]
    [TestCase("dapp.example")]
    public void InstallForLocalDevelopment_NotAnOrigin_ArgumentException(string origin) =>
        Assert.That(() => InternetIdentityCanister.InstallForLocalDevelopment(CanisterHarness.IiCanisterId, alternativeOrigins: [origin]),
            Throws.ArgumentException.With.Message.Contains("is not an origin"));

    [Test]
    public void InstallForLocalDevelopment_ElevenAlternativeOrigins_ArgumentException() =>
        Assert.That(() => InternetIdentityCanister.InstallForLocalDevelopment(CanisterHarness.IiCanisterId,
                alternativeOrigins: [.. Enumerable.Range(0, 11).Select(i => $"https://d{i}.example")]),
            Throws.ArgumentException.With.Message.Contains("at most 10"));
}
