using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using static InternetIdentity.IdentityCanister.Tests.CanisterHarness;
using static InternetIdentity.IdentityCanister.Tests.RegistrationTests;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>Checklist items 22-23: adding a device from another browser.</summary>
public class TentativeDeviceTests
{
    private static readonly DeviceData Device1 = Device("test", credentialId: "credential id 1");
    private static readonly DeviceData NewDevice = Device("new device", credentialId: "new cred");

    private static (CanisterHarness H, ulong Anchor, Principal P) Setup()
    {
        var h = new CanisterHarness(captcha: false);
        return (h, h.Register(Device1), PrincipalOf(Device1));
    }

    private static string AddTentative(CanisterHarness h, ulong anchor, out string code)
    {
        var v = (CandidVariant)h.Update(PrincipalOf(NewDevice), "add_tentative_device", V.Nat64(anchor), Dev(NewDevice)).Single;
        string name = CaseName(v, "added_tentatively", "device_registration_mode_off", "another_device_tentatively_added", "passkey_with_this_public_key_is_already_used");
        code = name == "added_tentatively" ? ((CandidText)((CandidRecord)v.Value)["verification_code"]).Value : "";
        return name;
    }

    private static CandidVariant Verify(CanisterHarness h, Principal p, ulong anchor, string code) =>
        (CandidVariant)h.Update(p, "verify_tentative_device", V.Nat64(anchor), V.Text(code)).Single;

    private static string VerifyName(CandidVariant v) => CaseName(v, "verified", "wrong_code", "device_registration_mode_off", "no_device_to_verify");

    private static string WrongCodeFor(string code) => code == "000000" ? "111111" : "000000";

    [Test]
    public void EnterDeviceRegistrationMode_ReturnsNowPlus900Seconds_UnauthenticatedTraps()
    {
        var (h, anchor, p) = Setup();
        Assert.That(U64(h.Update(p, "enter_device_registration_mode", V.Nat64(anchor)).Single), Is.EqualTo(h.Now + 900_000_000_000));
        AssertTrap(h.Update(PrincipalOf(Device("x")), "enter_device_registration_mode", V.Nat64(anchor)), "could not be authenticated.");
    }

    [Test]
    public void TentativeFlow_AddThenVerify_DeviceIsAdded()
    {
        var (h, anchor, p) = Setup();
        h.Update(p, "enter_device_registration_mode", V.Nat64(anchor));
        Assert.That(AddTentative(h, anchor, out string code), Is.EqualTo("added_tentatively"));
        Assert.That(code, Does.Match("^[0-9]{6}$"));
        var info = (CandidRecord)h.Update(p, "get_anchor_info", V.Nat64(anchor)).Single;
        var registration = (CandidRecord)((CandidOpt)info["device_registration"]).Value!;
        Assert.That(((CandidOpt)registration["tentative_device"]).Value, Is.EqualTo(Dev(NewDevice)));
        Assert.That(VerifyName(Verify(h, p, anchor, code)), Is.EqualTo("verified"));
        Assert.That(h.Update(PrincipalOf(NewDevice), "get_anchor_info", V.Nat64(anchor)).IsReject, Is.False);
    }

    [Test]
    public void TentativeFlow_WrongCodeThenRightCode_RetriesLeftTwoThenVerified()
    {
        var (h, anchor, p) = Setup();
        h.Update(p, "enter_device_registration_mode", V.Nat64(anchor));
        AddTentative(h, anchor, out string code);
        CandidVariant wrong = Verify(h, p, anchor, WrongCodeFor(code));
        Assert.That(VerifyName(wrong), Is.EqualTo("wrong_code"));
        Assert.That(((CandidRecord)wrong.Value)["retries_left"], Is.EqualTo(V.Nat8(2)));
        Assert.That(VerifyName(Verify(h, p, anchor, code)), Is.EqualTo("verified"));
    }

    [Test]
    public void TentativeFlow_ThreeWrongCodes_ModeIsOff()
    {
        var (h, anchor, p) = Setup();
        h.Update(p, "enter_device_registration_mode", V.Nat64(anchor));
        AddTentative(h, anchor, out string code);
        for (int i = 0; i < 3; i++)
        {
            Assert.That(VerifyName(Verify(h, p, anchor, WrongCodeFor(code))), Is.EqualTo("wrong_code"));
        }

        Assert.That(VerifyName(Verify(h, p, anchor, code)), Is.EqualTo("device_registration_mode_off"));
    }

    [Test]
    public void TentativeFlow_NoTentativeDevice_IsNoDeviceToVerify()
    {
        var (h, anchor, p) = Setup();
        h.Update(p, "enter_device_registration_mode", V.Nat64(anchor));
        Assert.That(VerifyName(Verify(h, p, anchor, "123456")), Is.EqualTo("no_device_to_verify"));
    }

    [Test]
    public void TentativeFlow_AfterExitOrAfter901Seconds_IsModeOff()
    {
        var (h, anchor, p) = Setup();
        Assert.That(AddTentative(h, anchor, out _), Is.EqualTo("device_registration_mode_off"));
        h.Update(p, "enter_device_registration_mode", V.Nat64(anchor));
        h.Update(p, "exit_device_registration_mode", V.Nat64(anchor));
        Assert.That(AddTentative(h, anchor, out _), Is.EqualTo("device_registration_mode_off"));

        h.Update(p, "enter_device_registration_mode", V.Nat64(anchor));
        AddTentative(h, anchor, out string code);
        h.Advance(TimeSpan.FromSeconds(901));
        Assert.That(VerifyName(Verify(h, p, anchor, code)), Is.EqualTo("device_registration_mode_off"));
    }

    [Test]
    public void TentativeFlow_SecondTentativeDevice_IsAnotherDeviceTentativelyAdded()
    {
        var (h, anchor, p) = Setup();
        h.Update(p, "enter_device_registration_mode", V.Nat64(anchor));
        AddTentative(h, anchor, out _);
        Assert.That(AddTentative(h, anchor, out _), Is.EqualTo("another_device_tentatively_added"));
    }

    [Test]
    public void TentativeFlow_ExistingKey_IsPasskeyAlreadyUsed()
    {
        var (h, anchor, p) = Setup();
        h.Update(p, "enter_device_registration_mode", V.Nat64(anchor));
        var v = h.Update(p, "add_tentative_device", V.Nat64(anchor), Dev(Device1)).Single;
        Assert.That(CaseName(v, "added_tentatively", "passkey_with_this_public_key_is_already_used"), Is.EqualTo("passkey_with_this_public_key_is_already_used"));
    }
}
