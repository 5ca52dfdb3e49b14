using InternetIdentity.IdentityCanister.Candid;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using static InternetIdentity.IdentityCanister.Tests.CanisterHarness;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>The canister through Protocol's canister contract (ICanister, ICanisterSnapshots).</summary>
public class ContractTests
{
    private static byte[] Args(string method, params V[] values) => CandidEncoder.Encode(Methods.Table.Find(method)!.Arguments, values);

    [Test]
    public void Contract_RegisterPrepareGet_RepliesAndTrapsAsRejectCode5()
    {
        var h = new CanisterHarness(captcha: false);
        ICanister canister = h.Canister;
        DeviceData d = Device("contract device");
        byte[] caller = PrincipalOf(d).Bytes.ToArray();
        byte[] id = h.Canister.CanisterId.Bytes.ToArray();
        var ctx = new CallContext(caller, h.Now, h.NextRandomness(), id);

        CanisterReply registered = canister.Update(ctx, "register", Args("register", Dev(d), V.Record(("key", V.Text("")), ("chars", V.Text(""))), V.None));
        Assert.That(registered, Is.TypeOf<CanisterReply.Replied>());

        CanisterReply prepared = canister.Update(ctx, "prepare_delegation", Args("prepare_delegation", V.Nat64(10_000), V.Text("https://dapp.com"), V.Blob([1]), V.None));
        var values = CandidDecoder.Decode(((CanisterReply.Replied)prepared).Candid.Span, [CandidType.Blob, CandidType.Nat64]);
        ulong expiration = ((CandidFixedNat)values[1]).Value;
        Assert.That(canister.CertifiedData.Length, Is.EqualTo(32));

        var query = new QueryContext(caller, h.Now, new byte[] { 0xd9, 0xd9, 0xf7, 0xa0 }, id);
        CanisterReply got = canister.Query(query, "get_delegation", Args("get_delegation", V.Nat64(10_000), V.Text("https://dapp.com"), V.Blob([1]), V.Nat64(expiration)));
        Assert.That(got, Is.TypeOf<CanisterReply.Replied>());

        var stranger = new CallContext(PrincipalOf(Device("stranger")).Bytes.ToArray(), h.Now, h.NextRandomness(), id);
        var trap = (CanisterReply.Rejected)canister.Update(stranger, "get_anchor_info", Args("get_anchor_info", V.Nat64(10_000)));
        Assert.That(trap.Code, Is.EqualTo(RejectCode.CanisterError));
        Assert.That(trap.Message, Does.Contain("could not be authenticated."));

        var missing = (CanisterReply.Rejected)canister.Update(ctx, "nope", []);
        Assert.That((missing.Code, missing.ErrorCode), Is.EqualTo((RejectCode.CanisterError, "IC0536")));
        Assert.That(missing.Message, Is.EqualTo($"Canister {h.Canister.CanisterId} has no update method 'nope'"));
        Assert.That(canister.Exports.AcceptsUpdateCall("prepare_delegation") && canister.Exports.Queries.Contains("get_delegation")
            && !canister.Exports.AcceptsUpdateCall("lookup"), Is.True, "exports follow the .did's query annotations");
    }

    [Test]
    public void ContractSnapshots_RestoreInPlace_GivesSameBytes()
    {
        var h = new CanisterHarness(captcha: false);
        h.Register(Device("x"));
        byte[] snapshot = h.Canister.Snapshot();
        ICanisterSnapshots fresh = new CanisterHarness(captcha: true).Canister;
        fresh.Restore(snapshot);
        Assert.That(fresh.Snapshot(), Is.EqualTo(snapshot));
        Assert.Throws<FormatException>(() => fresh.Restore([1, 2, 3]));
    }

    [Test]
    public void QueryView_LaterUpdates_KeepsTheStateItWasTakenAt()
    {
        var h = new CanisterHarness(captcha: false);
        DeviceData d = Device("view device");
        h.Register(d);
        byte[] caller = PrincipalOf(d).Bytes.ToArray();
        byte[] id = h.Canister.CanisterId.Bytes.ToArray();
        ICanister view = h.Canister.QueryView();
        byte[] certifiedBefore = h.Canister.CertifiedData;
        var ctx = new CallContext(caller, h.Now, h.NextRandomness(), id);
        Assert.That(h.Canister.Update(ctx, "prepare_delegation", Args("prepare_delegation", V.Nat64(10_000), V.Text("https://dapp.com"), V.Blob([1]), V.None)),
            Is.TypeOf<CanisterReply.Replied>());

        var query = new QueryContext(caller, h.Now, new byte[] { 0xd9, 0xd9, 0xf7, 0xa0 }, id);
        byte[] lookup = Args("get_anchor_credentials", V.Nat64(10_000));
        Assert.That(view.CertifiedData.ToArray(), Is.EqualTo(certifiedBefore), "the view keeps the certified data of its state");
        Assert.That(h.Canister.CertifiedData, Is.Not.EqualTo(certifiedBefore), "the signature went into the live state");
        Assert.That(view.Query(query, "get_anchor_credentials", lookup), Is.TypeOf<CanisterReply.Replied>());
        Assert.That(((ICanisterQueryView)view).QueryView().CertifiedData.ToArray(), Is.EqualTo(certifiedBefore));
    }
}
