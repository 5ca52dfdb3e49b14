using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using static InternetIdentity.IdentityCanister.Tests.CanisterHarness;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>Checklist item 30: last_usage is set only on the authenticating device, by update calls.</summary>
public class LastUsageTests
{
    private static readonly DeviceData A = Device("device a", credentialId: "a");
    private static readonly DeviceData B = Device("device b", credentialId: "b");

    private static (CanisterHarness H, ulong Anchor) Setup()
    {
        var h = new CanisterHarness(captcha: false);
        ulong anchor = h.Register(A);
        h.Update(PrincipalOf(A), "add", V.Nat64(anchor), Dev(B));
        h.Update(PrincipalOf(A), "init_salt");
        return (h, anchor);
    }

    private static ulong? LastUsage(CanisterHarness h, ulong anchor, DeviceData d) =>
        h.Canister.State.Anchors[anchor].Devices.Single(x => x.HasKey(d.Pubkey.AsSpan())).LastUsage;

    public static IEnumerable<TestCaseData> Operations()
    {
        static V N(ulong a) => V.Nat64(a);
        yield return new TestCaseData("get_anchor_info", (Func<ulong, V[]>)(a => [N(a)]));
        yield return new TestCaseData("add", (Func<ulong, V[]>)(a => [N(a), Dev(Device("c"))]));
        yield return new TestCaseData("update", (Func<ulong, V[]>)(a => [N(a), Key(A), Dev(A with { Alias = "changed" })]));
        yield return new TestCaseData("replace", (Func<ulong, V[]>)(a => [N(a), Key(A), Dev(Device("replacement"))]));
        yield return new TestCaseData("remove", (Func<ulong, V[]>)(a => [N(a), Key(A)]));
        yield return new TestCaseData("prepare_delegation", (Func<ulong, V[]>)(a => [N(a), V.Text("https://dapp.com"), V.Blob([1]), V.None]));
        yield return new TestCaseData("enter_device_registration_mode", (Func<ulong, V[]>)(a => [N(a)]));
        yield return new TestCaseData("exit_device_registration_mode", (Func<ulong, V[]>)(a => [N(a)]));
        yield return new TestCaseData("verify_tentative_device", (Func<ulong, V[]>)(a => [N(a), V.Text("000000")]));
    }

    [TestCaseSource(nameof(Operations))]
    public void UpdateCall_SetsLastUsageOfAuthenticatingDeviceOnly(string method, Func<ulong, V[]> args)
    {
        var (h, anchor) = Setup();
        ulong? aBefore = LastUsage(h, anchor, A);
        h.Advance(TimeSpan.FromMinutes(5));
        CallResult r = h.Update(PrincipalOf(B), method, args(anchor));
        Assert.That(r.IsReject, Is.False, r.RejectMessage);
        Assert.That(LastUsage(h, anchor, B), Is.EqualTo(h.Now));
        if (method is not ("replace" or "remove"))
        {
            Assert.That(LastUsage(h, anchor, A), Is.EqualTo(aBefore));
        }
    }

    [Test]
    public void Queries_DoNotSetLastUsage()
    {
        var (h, anchor) = Setup();
        ulong? before = LastUsage(h, anchor, B);
        h.Advance(TimeSpan.FromMinutes(5));
        h.Query(PrincipalOf(B), "get_principal", V.Nat64(anchor), V.Text("https://dapp.com"));
        h.Query(PrincipalOf(B), "get_anchor_info", V.Nat64(anchor));
        Assert.That(LastUsage(h, anchor, B), Is.EqualTo(before));
    }

    [Test]
    public void GetAnchorInfo_ReportsLastUsage()
    {
        var (h, anchor) = Setup();
        h.Update(PrincipalOf(B), "get_anchor_info", V.Nat64(anchor));
        var devices = ((CandidVec)((CandidRecord)h.Update(PrincipalOf(A), "get_anchor_info", V.Nat64(anchor)).Single)["devices"]).Elements;
        Assert.That(((CandidRecord)devices[1])["last_usage"], Is.EqualTo(V.Some(V.Nat64(h.Now))));
    }
}
