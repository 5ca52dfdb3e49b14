using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using static InternetIdentity.IdentityCanister.Tests.CanisterHarness;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>Checklist items 1-10: anchor numbering, captchas, rate limit, temp keys, the v2 flow.</summary>
public class RegistrationTests
{
    internal static void AssertTrap(CallResult r, string fragment)
    {
        Assert.That(r.IsReject, Is.True, "expected a trap");
        Assert.That(r.RejectCode, Is.EqualTo(5));
        Assert.That(r.RejectMessage, Does.Contain(fragment));
    }

    [Test]
    public void Register_RangeOf127To129_Assigns127Then128ThenCanisterFull()
    {
        var h = new CanisterHarness(range: (127, 129));
        Assert.That(h.Register(Device("a")), Is.EqualTo(127));
        Assert.That(h.Register(Device("b")), Is.EqualTo(128));
        Assert.That(CaseName(h.RegisterRaw(Device("c")).Single, "registered", "canister_full", "bad_challenge"), Is.EqualTo("canister_full"));
    }

    [Test]
    public void Register_DefaultRange_StartsAt10000()
    {
        var h = new CanisterHarness();
        Assert.That(h.Register(Device("a")), Is.EqualTo(10_000));
    }

    [Test]
    public void Register_SameDeviceTwice_GivesTwoDifferentAnchors()
    {
        var h = new CanisterHarness();
        DeviceData d = Device("test");
        ulong first = h.Register(d), second = h.Register(d);
        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public void Register_CallerIsNotTheDevice_Traps()
    {
        var h = new CanisterHarness();
        CallResult r = h.RegisterRaw(Device("test"), caller: PrincipalOf(Device("someone else")));
        AssertTrap(r, "could not be authenticated against");
        Assert.That(h.Canister.State.AnchorCount, Is.EqualTo(0UL));
    }

    [Test]
    public void Register_WrongCaptcha_IsBadChallenge()
    {
        var h = new CanisterHarness();
        CallResult r = h.RegisterRaw(Device("test"), solution: "wrong");
        Assert.That(CaseName(r.Single, "registered", "canister_full", "bad_challenge"), Is.EqualTo("bad_challenge"));
    }

    [Test]
    public void Register_CaptchaOlderThan300Seconds_IsBadChallenge()
    {
        var h = new CanisterHarness();
        DeviceData d = Device("test");
        string key = ((CandidText)((CandidRecord)h.Update(PrincipalOf(d), "create_challenge").Single)["challenge_key"]).Value;
        string solution = h.Solution(key);
        h.Advance(TimeSpan.FromSeconds(301));
        CallResult r = h.Update(PrincipalOf(d), "register", Dev(d), V.Record(("key", V.Text(key)), ("chars", V.Text(solution))), V.None);
        Assert.That(CaseName(r.Single, "registered", "canister_full", "bad_challenge"), Is.EqualTo("bad_challenge"));
    }

    [Test]
    public void CreateChallenge_FourthWithLimitThree_TrapsTooManyInflightCaptchas()
    {
        var h = new CanisterHarness(maxUnsolvedCaptchas: 3);
        Principal p = PrincipalOf(Device("x"));
        for (int i = 0; i < 3; i++)
        {
            Assert.That(h.Update(p, "create_challenge").IsReject, Is.False);
        }

        AssertTrap(h.Update(p, "create_challenge"), "too many inflight captchas");
    }

    [Test]
    public void CreateChallenge_Reply_IsARealPngWithTenCharacterKey()
    {
        var h = new CanisterHarness();
        var c = (CandidRecord)h.Update(PrincipalOf(Device("x")), "create_challenge").Single;
        byte[] png = Convert.FromBase64String(((CandidText)c["png_base64"]).Value);
        Assert.That(png[..8], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        Assert.That(((CandidText)c["challenge_key"]).Value, Does.Match("^[a-y]{10}$"));
    }

    [Test]
    public void Register_RateLimitOnePerSecondMaxTwo_ThirdTrapsThenSucceedsAfterOneSecond()
    {
        var h = new CanisterHarness(captcha: false, rateLimit: (1_000_000_000, 2));
        h.Register(Device("a"));
        h.Register(Device("b"));
        AssertTrap(h.RegisterRaw(Device("c")), "rate limit reached, try again later");
        h.Advance(TimeSpan.FromSeconds(1));
        Assert.That(h.Register(Device("c")), Is.EqualTo(10_002));
    }

    [Test]
    public void Register_RateLimitTokens_NeverExceedMax()
    {
        var h = new CanisterHarness(captcha: false, rateLimit: (1_000_000_000, 10_000));
        for (int i = 0; i < 10; i++)
        {
            h.Register(Device("d" + i));
        }

        Assert.That(h.Canister.State.RateLimit!.Tokens, Is.EqualTo(9_990UL));
        h.Advance(TimeSpan.FromSeconds(100));
        h.Register(Device("after"));
        Assert.That(h.Canister.State.RateLimit!.Tokens, Is.EqualTo(9_999UL));
    }

    [Test]
    public void Register_ProtectedNonSeedPhraseDevice_Traps()
    {
        var h = new CanisterHarness();
        CallResult r = h.RegisterRaw(Device("test", keyType: KeyType.CrossPlatform, protection: DeviceProtection.Protected));
        AssertTrap(r, "Only recovery phrases can be locked but key type is CrossPlatform");
    }

    [Test]
    public void TempKey_AuthenticatesNewAnchor_UntilItExpiresAfter600Seconds()
    {
        var h = new CanisterHarness();
        DeviceData d = Device("webauthn");
        Principal temp = PrincipalOf(Device("session key"));
        ulong anchor = h.Register(d, caller: temp, tempKey: temp);
        Assert.That(h.Update(temp, "get_anchor_info", V.Nat64(anchor)).IsReject, Is.False);
        h.Advance(TimeSpan.FromSeconds(601));
        AssertTrap(h.Update(temp, "get_anchor_info", V.Nat64(anchor)), "could not be authenticated.");
    }

    [Test]
    public void TempKey_RemovedWithItsDevice()
    {
        var h = new CanisterHarness();
        DeviceData d = Device("webauthn");
        Principal temp = PrincipalOf(Device("session key"));
        ulong anchor = h.Register(d, caller: temp, tempKey: temp);
        DeviceData other = Device("second");
        Assert.That(h.Update(temp, "add", V.Nat64(anchor), Dev(other)).IsReject, Is.False);
        Assert.That(h.Update(temp, "remove", V.Nat64(anchor), Key(d)).IsReject, Is.False);
        AssertTrap(h.Update(temp, "get_anchor_info", V.Nat64(anchor)), "could not be authenticated.");
    }

    [Test]
    public void TempKey_NotValidForAnotherAnchorOfTheSameDevice()
    {
        var h = new CanisterHarness();
        DeviceData d = Device("webauthn");
        Principal temp = PrincipalOf(Device("session key"));
        h.Register(d, caller: temp, tempKey: temp);
        ulong second = h.Register(d);
        AssertTrap(h.Update(temp, "get_anchor_info", V.Nat64(second)), "could not be authenticated.");
    }

    [Test]
    public void TempKey_EqualToDeviceKey_Traps()
    {
        var h = new CanisterHarness();
        DeviceData d = Device("webauthn");
        AssertTrap(h.RegisterRaw(d, tempKey: PrincipalOf(d)), "temp_key and device key must not be equal");
    }

    private static V AuthnMethod(string pubkey, params (string, string)[] metadata) => V.Record(
        ("authn_method", V.Variant("WebAuthn", V.Record(("credential_id", V.Blob("cred"u8)), ("pubkey", V.Blob(System.Text.Encoding.UTF8.GetBytes(pubkey))), ("aaguid", V.None)))),
        ("security_settings", V.Record(("protection", V.Variant("Unprotected")), ("purpose", V.Variant("Authentication")))),
        ("metadata", V.Vec([.. metadata.Select(m => (V)V.Tuple(V.Text(m.Item1), V.Variant("String", V.Text(m.Item2))))])),
        ("last_authentication", V.None));

    private static V FinishArg(string pubkey, params (string, string)[] metadata) =>
        V.Record(("authn_method", AuthnMethod(pubkey, metadata)), ("name", V.None));

    private static string Step(CallResult r) =>
        CaseName(((CandidRecord)((CandidVariant)r.Single).Value)["next_step"], "CheckCaptcha", "Finish");

    [Test]
    public void V2Flow_StartCheckCaptchaFinish_ReturnsFirstNumberAndCallerIsTempKeyFor600Seconds()
    {
        var h = new CanisterHarness(range: (500, 600));
        Principal flow = PrincipalOf(Device("flow principal"));
        CallResult start = h.Update(flow, "identity_registration_start");
        Assert.That(Step(start), Is.EqualTo("CheckCaptcha"));
        CallResult check = h.Update(flow, "check_captcha", V.Record(("solution", V.Text(h.FlowSolution(flow)))));
        Assert.That(Step(check), Is.EqualTo("Finish"));
        var finish = (CandidVariant)h.Update(flow, "identity_registration_finish", FinishArg("device key", ("alias", "my key"))).Single;
        Assert.That(finish.Label.Id, Is.EqualTo(CandidLabel.Hash("Ok")));
        ulong number = U64(((CandidRecord)finish.Value)["identity_number"]);
        Assert.That(number, Is.EqualTo(500UL));
        Assert.That(h.Update(flow, "get_anchor_info", V.Nat64(number)).IsReject, Is.False);
        h.Advance(TimeSpan.FromSeconds(601));
        AssertTrap(h.Update(flow, "get_anchor_info", V.Nat64(number)), "could not be authenticated.");
    }

    private static string Err(CallResult r, params string[] names)
    {
        var v = (CandidVariant)r.Single;
        Assert.That(v.Label.Id, Is.EqualTo(CandidLabel.Hash("Err")), $"expected Err, got {v}");
        return CaseName(v.Value, names);
    }

    [Test]
    public void V2Flow_Anonymous_IsInvalidCaller()
    {
        var h = new CanisterHarness();
        Assert.That(Err(h.Update(Principal.Anonymous, "identity_registration_start"), "InvalidCaller", "RateLimitExceeded", "AlreadyInProgress"), Is.EqualTo("InvalidCaller"));
    }

    [Test]
    public void V2Flow_SecondStart_IsAlreadyInProgress()
    {
        var h = new CanisterHarness();
        Principal flow = PrincipalOf(Device("f"));
        h.Update(flow, "identity_registration_start");
        Assert.That(Err(h.Update(flow, "identity_registration_start"), "InvalidCaller", "RateLimitExceeded", "AlreadyInProgress"), Is.EqualTo("AlreadyInProgress"));
    }

    [Test]
    public void V2Flow_OtherPrincipalsCheckCaptcha_IsNoRegistrationFlow()
    {
        var h = new CanisterHarness();
        h.Update(PrincipalOf(Device("f")), "identity_registration_start");
        CallResult r = h.Update(PrincipalOf(Device("other")), "check_captcha", V.Record(("solution", V.Text("a"))));
        Assert.That(Err(r, "WrongSolution", "UnexpectedCall", "NoRegistrationFlow"), Is.EqualTo("NoRegistrationFlow"));
    }

    [Test]
    public void V2Flow_ExpiredAfter301Seconds_IsNoRegistrationFlow()
    {
        var h = new CanisterHarness();
        Principal flow = PrincipalOf(Device("f"));
        h.Update(flow, "identity_registration_start");
        string solution = h.FlowSolution(flow);
        h.Advance(TimeSpan.FromSeconds(301));
        CallResult r = h.Update(flow, "check_captcha", V.Record(("solution", V.Text(solution))));
        Assert.That(Err(r, "WrongSolution", "UnexpectedCall", "NoRegistrationFlow"), Is.EqualTo("NoRegistrationFlow"));
    }

    [Test]
    public void V2Flow_WrongSolutionThenRightOne_GivesNewCaptchaThenFinish()
    {
        var h = new CanisterHarness();
        Principal flow = PrincipalOf(Device("f"));
        h.Update(flow, "identity_registration_start");
        string first = h.FlowSolution(flow);
        CallResult wrong = h.Update(flow, "check_captcha", V.Record(("solution", V.Text(first == "aaaaa" ? "bbbbb" : "aaaaa"))));
        Assert.That(Err(wrong, "WrongSolution", "UnexpectedCall", "NoRegistrationFlow"), Is.EqualTo("WrongSolution"));
        CallResult right = h.Update(flow, "check_captcha", V.Record(("solution", V.Text(h.FlowSolution(flow).ToUpperInvariant()))));
        Assert.That(Step(right), Is.EqualTo("Finish"));
    }

    [Test]
    public void V2Flow_FinishBeforeCaptcha_IsUnexpectedCall()
    {
        var h = new CanisterHarness();
        Principal flow = PrincipalOf(Device("f"));
        h.Update(flow, "identity_registration_start");
        Assert.That(Err(h.Update(flow, "identity_registration_finish", FinishArg("k")), "UnexpectedCall", "NoRegistrationFlow", "InvalidAuthnMethod", "StorageError"), Is.EqualTo("UnexpectedCall"));
    }

    [Test]
    public void V2Flow_CaptchaDisabled_FirstStepIsFinish()
    {
        var h = new CanisterHarness(captcha: false);
        Assert.That(Step(h.Update(PrincipalOf(Device("f")), "identity_registration_start")), Is.EqualTo("Finish"));
    }

    [Test]
    public void V2Flow_ReservedMetadataKey_IsInvalidAuthnMethod()
    {
        var h = new CanisterHarness(captcha: false);
        Principal flow = PrincipalOf(Device("f"));
        h.Update(flow, "identity_registration_start");
        CallResult r = h.Update(flow, "identity_registration_finish", FinishArg("k", ("pubkey", "x")));
        var err = (CandidVariant)((CandidVariant)r.Single).Value;
        Assert.That(err.Label.Id, Is.EqualTo(CandidLabel.Hash("InvalidAuthnMethod")));
        Assert.That(((CandidText)err.Value).Value, Is.EqualTo("Metadata key 'pubkey' is reserved and cannot be used."));
    }

    [Test]
    public void V2Flow_NoTokenLeft_IsRateLimitExceeded()
    {
        var h = new CanisterHarness(rateLimit: (1_000_000_000, 1));
        h.Update(PrincipalOf(Device("a")), "identity_registration_start");
        Assert.That(Err(h.Update(PrincipalOf(Device("b")), "identity_registration_start"), "InvalidCaller", "RateLimitExceeded", "AlreadyInProgress"), Is.EqualTo("RateLimitExceeded"));
    }
}
