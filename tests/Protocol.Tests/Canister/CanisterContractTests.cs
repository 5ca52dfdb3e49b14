using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Protocol.Tests.Canister;

public class CanisterContractTests
{
    private static readonly byte[] s_canisterId = [0, 0, 0, 0, 0, 0, 0, 7, 1, 1];
    private static readonly byte[] s_alice = [0xaa, 0x01];

    private static CallContext Call(ulong time = 1_700_000_000_000_000_000) => new(s_alice, time, new byte[32], s_canisterId);

    private static QueryContext QueryCall(byte[]? certificate = null) =>
        new(new byte[] { 0x04 }, 1, certificate is null ? (ReadOnlyMemory<byte>?)null : certificate, s_canisterId);

    private static ulong Nat64Reply(CanisterReply reply) =>
        CandidArgs.Decode<ulong>(((CanisterReply.Replied)reply).Candid.Span);

    [Test]
    public void Update_Increment_RepliesAndSetsCertifiedData()
    {
        var c = new CounterCanister();

        CanisterReply reply = c.Update(Call(), "increment", CandidArgs.Encode(5UL));

        Assert.That(Nat64Reply(reply), Is.EqualTo(5UL));
        Assert.That(c.CertifiedData.ToArray(), Is.EqualTo(new byte[] { 0, 0, 0, 0, 0, 0, 0, 5 }));
        Assert.That(Nat64Reply(c.Query(QueryCall(), "get", CandidArgs.Encode())), Is.EqualTo(5UL));
    }

    [Test]
    public void Update_Overflow_TrapsWithCode5AndLeavesStateUntouched()
    {
        var c = new CounterCanister();
        c.Update(Call(), "increment", CandidArgs.Encode(10UL));
        byte[] before = c.Snapshot();

        CanisterReply reply = c.Update(Call(), "increment", CandidArgs.Encode(ulong.MaxValue));

        var reject = (CanisterReply.Rejected)reply;
        Assert.That(reject.Code, Is.EqualTo(RejectCode.CanisterError));
        Assert.That((int)reject.Code, Is.EqualTo(5));
        Assert.That(reject.Message, Does.Contain("counter overflow"));
        Assert.That(c.Snapshot(), Is.EqualTo(before));
        Assert.That(c.CertifiedData.ToArray(), Is.EqualTo(new byte[] { 0, 0, 0, 0, 0, 0, 0, 10 }));
    }

    [Test]
    public void Update_MalformedArgument_TrapsWithCode5()
    {
        var c = new CounterCanister();

        var reject = (CanisterReply.Rejected)c.Update(Call(), "increment", "DIDL\x00\x01\x71"u8);

        Assert.That(reject.Code, Is.EqualTo(RejectCode.CanisterError));
        Assert.That(reject.Message, Does.Contain("failed to decode"));
    }

    [Test]
    public void Calls_UnknownMethod_RejectIc0536CanisterError()
    {
        var c = new CounterCanister();

        var update = (CanisterReply.Rejected)c.Update(Call(), "decrement", CandidArgs.Encode());
        var query = (CanisterReply.Rejected)c.Query(QueryCall(), "increment", CandidArgs.Encode());

        // As the IC: CanisterMethodNotFound is IC0536, which maps to reject code 5 (CANISTER_ERROR).
        Assert.That((update.Code, update.ErrorCode), Is.EqualTo((RejectCode.CanisterError, "IC0536")));
        Assert.That((query.Code, query.ErrorCode), Is.EqualTo((RejectCode.CanisterError, "IC0536")));
        Assert.That(update.Message, Is.EqualTo("Canister has no update method 'decrement'"));
        Assert.That(query.Message, Is.EqualTo("Canister has no query method 'increment'"));
        Assert.That(c.Exports.AcceptsUpdateCall("decrement"), Is.False);
    }

    [Test]
    public void NoSuchMethod_WithCanisterId_NamesItAsTheIcDoes()
    {
        var reject = (CanisterReply.Rejected)CanisterReply.NoSuchMethod("foo", query: false, Principal.CanisterId(7));
        Assert.That(reject.Message, Is.EqualTo("Canister rdmx6-jaaaa-aaaaa-aaadq-cai has no update method 'foo'"));
    }

    [Test]
    public void ExportedMethods_QueryCallsMayRunUpdateMethods_UpdateCallsOnlyUpdates()
    {
        var exports = new ExportedMethods(["inc"], ["get"]);
        Assert.Multiple(() =>
        {
            Assert.That(exports.AcceptsUpdateCall("inc"), Is.True);
            Assert.That(exports.AcceptsUpdateCall("get"), Is.False);
            Assert.That(exports.AcceptsQueryCall("get"), Is.True);
            Assert.That(exports.AcceptsQueryCall("inc"), Is.True);
            Assert.That(exports.AcceptsQueryCall("nope"), Is.False);
        });
        Assert.Throws<ArgumentException>(() => _ = new ExportedMethods(["x"], ["x"]));
    }

    [Test]
    public void Query_SeesCallerOfLastUpdateAndCertificate()
    {
        var c = new CounterCanister();
        c.Update(Call(), "increment", CandidArgs.Encode(1UL));

        CandidPrincipal? caller = CandidArgs.Decode<CandidPrincipal?>(((CanisterReply.Replied)c.Query(QueryCall(), "last_caller", CandidArgs.Encode())).Candid.Span);
        CandidOptional<byte[]> certificate = CandidArgs.Decode<CandidOptional<byte[]>>(((CanisterReply.Replied)c.Query(QueryCall([0xd9, 0xd9, 0xf7]), "certificate", CandidArgs.Encode())).Candid.Span);
        CandidOptional<byte[]> none = CandidArgs.Decode<CandidOptional<byte[]>>(((CanisterReply.Replied)c.Query(QueryCall(), "certificate", CandidArgs.Encode())).Candid.Span);

        Assert.That(caller, Is.EqualTo(new CandidPrincipal(s_alice)));
        Assert.That(certificate.Value, Is.EqualTo(new byte[] { 0xd9, 0xd9, 0xf7 }));
        Assert.That(none.HasValue, Is.False);
    }

    [Test]
    public void SnapshotRestore_RecreatesStateInAnotherInstance()
    {
        var a = new CounterCanister();
        a.Update(Call(), "increment", CandidArgs.Encode(41UL));
        a.Update(Call(), "increment", CandidArgs.Encode(1UL));

        var b = new CounterCanister();
        b.Restore(a.Snapshot());

        Assert.That(b.Snapshot(), Is.EqualTo(a.Snapshot()));
        Assert.That(b.CertifiedData.ToArray(), Is.EqualTo(a.CertifiedData.ToArray()));
        Assert.That(Nat64Reply(b.Query(QueryCall(), "get", CandidArgs.Encode())), Is.EqualTo(42UL));
    }

    [Test]
    public void Restore_Garbage_ThrowsFormatException()
    {
        Assert.Throws<CandidFormatException>(() => new CounterCanister().Restore([1, 2, 3]));
    }

    [Test]
    public void Metadata_CandidService_IsPublicDidText()
    {
        CanisterMetadata m = new CounterCanister().Metadata[CanisterContract.CandidServiceMetadata];

        Assert.That(m.IsPublic, Is.True);
        Assert.That(System.Text.Encoding.UTF8.GetString(m.Content.Span), Does.StartWith("service : {"));
        Assert.That(new CounterCanister().ModuleHash.Length, Is.EqualTo(32));
    }

    [Test]
    public void CallContext_WrongRandomnessLength_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => _ = new CallContext(s_alice, 0, new byte[31], s_canisterId));
        Assert.Throws<ArgumentException>(() => _ = new CallContext(new byte[30], 0, new byte[32], s_canisterId));
    }

    [Test]
    public void CheckCertifiedData_MoreThan32Bytes_Throws()
    {
        Assert.That(CanisterContract.CheckCertifiedData(new byte[32]).Length, Is.EqualTo(32));
        Assert.Throws<InvalidOperationException>(() => CanisterContract.CheckCertifiedData(new byte[33]));
    }

    [Test]
    public void Trap_HasRejectCode5AndIcErrorCode()
    {
        var trap = (CanisterReply.Rejected)CanisterReply.Trap("boom");

        Assert.That(trap, Is.EqualTo(new CanisterReply.Rejected(RejectCode.CanisterError, "Canister called `ic0.trap` with message: 'boom'", "IC0503")));
    }
}
