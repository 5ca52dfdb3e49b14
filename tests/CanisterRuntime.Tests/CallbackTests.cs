using System.Text;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.CanisterRuntime.Tests;

public class CallbackTests
{
    private CanisterEngine _engine = null!;
    private WasmCanister _canister = null!;

    [OneTimeSetUp]
    public void SetUpEngine() => _engine = new CanisterEngine();

    [OneTimeTearDown]
    public void TearDownEngine() => _engine.Dispose();

    [SetUp]
    public void SetUp() => _canister = TestCanisters.Install(_engine, TestCanisters.Wat(WatModules.Caller));

    [TearDown]
    public void TearDown() => _canister.Dispose();

    private OutgoingCall Call()
    {
        ExecutionResult result = _canister.ExecuteUpdate(TestCanisters.Call("call"));
        Assert.That(result.Error, Is.Null, result.Error?.Description);
        Assert.That(result.Response, Is.Null, "the context waits for its call");
        Assert.That(result.Calls, Has.Count.EqualTo(1));
        return result.Calls[0];
    }

    [Test]
    public void ExecuteUpdate_CallPerform_RecordsTheOutgoingCall()
    {
        OutgoingCall call = Call();
        Assert.That(call.Callee.ToArray(), Is.EqualTo(new byte[] { 0, 0, 0, 0, 0, 0, 0, 9, 1, 1 }));
        Assert.That(call.Method, Is.EqualTo("ping"));
        Assert.That(call.Argument.ToArray(), Is.EqualTo("ping"u8.ToArray()));
        Assert.That(_canister.OpenCallContexts, Is.EqualTo(1));
    }

    [Test]
    public void ExecuteResponse_Reply_RunsTheReplyClosureAndAnswersTheCaller()
    {
        OutgoingCall call = Call();
        ExecutionResult result = _canister.ExecuteResponse(call.CallbackId, new CallResponse(CanisterReply.Reply("pong"u8.ToArray())), TestCanisters.Time);
        Assert.That(result.CallContextId, Is.EqualTo(call.CallContextId));
        Assert.That(((CanisterReply.Replied)result.Response!).Candid.ToArray(), Is.EqualTo(new byte[] { (byte)'p', (byte)'o', (byte)'n', (byte)'g', 7 }));
        Assert.That(_canister.OpenCallContexts, Is.Zero);
    }

    [Test]
    public void ExecuteResponse_Reject_RunsTheRejectClosureWithTheCode()
    {
        OutgoingCall call = Call();
        ExecutionResult result = _canister.ExecuteResponse(call.CallbackId, new CallResponse(CanisterReply.Reject(RejectCode.CanisterReject, "no")), TestCanisters.Time);
        Assert.That(((CanisterReply.Replied)result.Response!).Candid.ToArray(), Is.EqualTo(new byte[] { 4, 8 }));
    }

    [Test]
    public void ExecuteResponse_CallbackTraps_RunsCleanupAndRejectsTheCaller()
    {
        OutgoingCall call = Call();
        ExecutionResult result = _canister.ExecuteResponse(call.CallbackId,
            new CallResponse(CanisterReply.Reject(RejectCode.DestinationInvalid, "gone")), TestCanisters.Time);
        var reject = (CanisterReply.Rejected)result.Response!;
        Assert.That(reject.Code, Is.EqualTo(RejectCode.CanisterError));
        Assert.That(reject.Message, Does.Contain("Canister trapped: unreachable"));
        byte[] cleanups = ((CanisterReply.Replied)_canister.ExecuteQuery(TestCanisters.Call("cleanups"), null).Response!).Candid.ToArray();
        Assert.That(BitConverter.ToInt32(cleanups), Is.EqualTo(9), "the cleanup closure ran with its env and kept its changes");
        Assert.That(_canister.Logs.Select(l => Encoding.UTF8.GetString(l.Content.Span)), Does.Contain("cleanup"));
        Assert.That(_canister.OpenCallContexts, Is.Zero);
    }

    [Test]
    public void ExecuteResponse_UnknownCallback_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => _canister.ExecuteResponse(99, new CallResponse(CanisterReply.Reply(Array.Empty<byte>())), TestCanisters.Time));

    [Test]
    public void Snapshot_WithAPendingCallback_RestoresAndCompletes()
    {
        OutgoingCall call = Call();
        byte[] snapshot = _canister.Snapshot();
        using WasmCanister copy = WasmCanister.Create(_engine, _canister.Module, TestCanisters.Environment);
        copy.Restore(snapshot);
        ExecutionResult result = copy.ExecuteResponse(call.CallbackId, new CallResponse(CanisterReply.Reply("x"u8.ToArray())), TestCanisters.Time);
        Assert.That(((CanisterReply.Replied)result.Response!).Candid.ToArray(), Is.EqualTo(new byte[] { (byte)'x', 7 }));
    }
}
