using System.Buffers.Binary;
using System.Text;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.CanisterRuntime.Tests;

public class WasmCanisterTests
{
    private static readonly string Id = TestCanisters.CanisterId.ToString();
    private CanisterEngine _engine = null!;
    private WasmCanister _canister = null!;

    [OneTimeSetUp]
    public void SetUpEngine() => _engine = new CanisterEngine(new CanisterLimits { UpdateInstructions = 50_000_000, QueryInstructions = 10_000_000, WasmMemoryBytes = 4 * 65536 });

    [OneTimeTearDown]
    public void TearDownEngine() => _engine.Dispose();

    [SetUp]
    public void SetUp() => _canister = TestCanisters.Install(_engine, TestCanisters.Wat(WatModules.Echo));

    [TearDown]
    public void TearDown() => _canister.Dispose();

    private static byte[] Replied(ExecutionResult result)
    {
        Assert.That(result.Response, Is.TypeOf<CanisterReply.Replied>(), (result.Response as CanisterReply.Rejected)?.Message);
        return ((CanisterReply.Replied)result.Response!).Candid.ToArray();
    }

    private static CanisterReply.Rejected Rejected(ExecutionResult result)
    {
        Assert.That(result.Response, Is.TypeOf<CanisterReply.Rejected>());
        return (CanisterReply.Rejected)result.Response!;
    }

    private static int[] State(byte[] reply) =>
        [BinaryPrimitives.ReadInt32LittleEndian(reply), BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(4)), BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(8))];

    private int[] QueryState() => State(Replied(_canister.ExecuteQuery(TestCanisters.Call("state"), null)));

    [Test]
    public void ExecuteUpdate_Echo_RepliesTheArgument() =>
        Assert.That(Replied(_canister.ExecuteUpdate(TestCanisters.Call("echo", [1, 2, 3]))), Is.EqualTo(new byte[] { 1, 2, 3 }));

    [Test]
    public void ExecuteQuery_CallerAndSelf_AreTheMessagesPrincipals()
    {
        Assert.That(Replied(_canister.ExecuteQuery(TestCanisters.Call("caller"), null)), Is.EqualTo(TestCanisters.Caller));
        Assert.That(Replied(_canister.ExecuteQuery(TestCanisters.Call("self"), null)), Is.EqualTo(TestCanisters.CanisterId.ToArray()));
    }

    [Test]
    public void ExecuteUpdate_Inc_ChangesGlobalHeapAndStableMemory()
    {
        Assert.That(State(Replied(_canister.ExecuteUpdate(TestCanisters.Call("inc")))), Is.EqualTo(new[] { 1, 1, 1 }));
        Assert.That(State(Replied(_canister.ExecuteUpdate(TestCanisters.Call("inc")))), Is.EqualTo(new[] { 2, 2, 2 }));
        Assert.That(QueryState(), Is.EqualTo(new[] { 2, 2, 2 }));
    }

    [Test]
    public void ExecuteUpdate_Trap_RollsBackEverythingAndRejectsWithCode5()
    {
        _canister.ExecuteUpdate(TestCanisters.Call("inc"));
        long heap = _canister.WasmMemoryBytes;
        ExecutionResult result = _canister.ExecuteUpdate(TestCanisters.Call("inc_then_trap"));
        CanisterReply.Rejected reject = Rejected(result);
        Assert.That(reject.Code, Is.EqualTo(RejectCode.CanisterError));
        Assert.That(reject.ErrorCode, Is.EqualTo("IC0503"));
        Assert.That(reject.Message, Does.StartWith($"Error from Canister {Id}: Canister called `ic0.trap` with message: 'hello'.\nConsider gracefully handling failures"));
        Assert.That(QueryState(), Is.EqualTo(new[] { 1, 1, 1 }));
        Assert.That(_canister.WasmMemoryBytes, Is.EqualTo(heap), "the memory.grow is undone too");
        Assert.That(_canister.Logs.Select(l => Encoding.UTF8.GetString(l.Content.Span)),
            Is.EqualTo(new[] { "hello", "[TRAP]: Canister called `ic0.trap` with message: 'hello'" }), "the log keeps what the trapped message printed");
    }

    [Test]
    public void ExecuteUpdate_Unreachable_IsCanisterTrapped()
    {
        CanisterReply.Rejected reject = Rejected(_canister.ExecuteUpdate(TestCanisters.Call("inc_then_unreachable")));
        Assert.That(reject.ErrorCode, Is.EqualTo("IC0502"));
        Assert.That(reject.Message, Does.StartWith($"Error from Canister {Id}: Canister trapped: unreachable."));
        Assert.That(QueryState(), Is.EqualTo(new[] { 0, 0, 0 }));
    }

    [Test]
    public void ExecuteUpdate_InfiniteLoop_ExceedsTheInstructionLimit()
    {
        ExecutionResult result = _canister.ExecuteUpdate(TestCanisters.Call("spin"));
        CanisterReply.Rejected reject = Rejected(result);
        Assert.That(reject.Code, Is.EqualTo(RejectCode.CanisterError));
        Assert.That(reject.ErrorCode, Is.EqualTo("IC0522"));
        Assert.That(reject.Message, Does.StartWith($"Error from Canister {Id}: Canister exceeded the limit of 50000000 instructions for single message execution."));
        Assert.That(result.Instructions, Is.EqualTo(50_000_000));
        Assert.That(State(Replied(_canister.ExecuteUpdate(TestCanisters.Call("inc")))), Is.EqualTo(new[] { 1, 1, 1 }), "the canister still works");
    }

    [Test]
    public void ExecuteUpdate_MemoryGrowPastTheLimit_ReturnsMinusOne() =>
        Assert.That(BinaryPrimitives.ReadInt64LittleEndian(Replied(_canister.ExecuteUpdate(TestCanisters.Call("grow")))), Is.EqualTo(-1));

    [Test]
    public void ExecuteQuery_ChangesAreDiscarded()
    {
        Assert.That(State(Replied(_canister.ExecuteQuery(TestCanisters.Call("inc_query"), null))), Is.EqualTo(new[] { 1, 1, 1 }));
        Assert.That(QueryState(), Is.EqualTo(new[] { 0, 0, 0 }));
    }

    [Test]
    public void CreateQueryView_QueriesThatChangeTheState_EachStartsFromTheViewsState()
    {
        _canister.ExecuteUpdate(TestCanisters.Call("inc"));
        _canister.ExecuteUpdate(TestCanisters.Call("inc"));
        using WasmCanister view = WasmCanister.CreateQueryView(_engine, _canister.Module, TestCanisters.Environment, _canister.Snapshot());
        _canister.ExecuteUpdate(TestCanisters.Call("inc")); // the canister goes on; the view stays at its snapshot

        Assert.That(view.IsQueryView, Is.True);
        for (int i = 0; i < 3; i++)
        {
            Assert.That(State(Replied(view.ExecuteQuery(TestCanisters.Call("inc_query"), null))), Is.EqualTo(new[] { 3, 3, 3 }), $"query {i}");
        }

        Assert.That(Rejected(view.ExecuteQuery(TestCanisters.Call("read_past_memory"), null)).Code, Is.EqualTo(RejectCode.CanisterError));
        Assert.That(State(Replied(view.ExecuteQuery(TestCanisters.Call("state"), null))), Is.EqualTo(new[] { 2, 2, 2 }), "after a trapped query too");
        Assert.That(QueryState(), Is.EqualTo(new[] { 3, 3, 3 }));
    }

    [Test]
    public void ExecuteUpdate_TrapAfterWritingADataPageAndAZeroPage_BothRestored()
    {
        using WasmCanister canister = TestCanisters.Install(_engine, TestCanisters.Wat(WatModules.TwoPages));
        using WasmCanister view = WasmCanister.CreateQueryView(_engine, canister.Module, TestCanisters.Environment, canister.Snapshot());
        byte[] untouched = new byte[8];
        byte[] dirtied = [255, 0, 0, 0, 255, 0, 0, 0];

        Assert.That(Rejected(canister.ExecuteUpdate(TestCanisters.Call("dirty_then_trap"))).ErrorCode, Is.EqualTo("IC0502"));
        Assert.That(Replied(canister.ExecuteQuery(TestCanisters.Call("read"), null)), Is.EqualTo(untouched), "rolled back");
        foreach (WasmCanister c in (WasmCanister[])[canister, view])
        {
            Assert.That(Replied(c.ExecuteQuery(TestCanisters.Call("dirty_query"), null)), Is.EqualTo(dirtied));
            Assert.That(Replied(c.ExecuteQuery(TestCanisters.Call("read"), null)), Is.EqualTo(untouched), c.IsQueryView ? "query view" : "canister");
        }
    }

    [Test]
    public void CreateQueryView_AnythingThatChangesTheState_InvalidOperationException()
    {
        using WasmCanister view = WasmCanister.CreateQueryView(_engine, _canister.Module, TestCanisters.Environment, _canister.Snapshot());
        byte[] snapshot = _canister.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(() => view.ExecuteUpdate(TestCanisters.Call("inc")), Throws.InvalidOperationException);
            Assert.That(() => view.Install(TestCanisters.Caller, TestCanisters.Time, []), Throws.InvalidOperationException);
            Assert.That(() => view.Restore(snapshot), Throws.InvalidOperationException);
            Assert.That(() => view.ExecuteSystemTask(SystemTask.Heartbeat, TestCanisters.Time), Throws.InvalidOperationException);
            Assert.That(() => view.WriteStableMemory(0, [1]), Throws.InvalidOperationException);
            Assert.That(() => view.Status = CanisterStatus.Stopped, Throws.InvalidOperationException);
            Assert.That(() => view.CyclesBalance = 1, Throws.InvalidOperationException);
        });
        Assert.That(State(Replied(view.ExecuteQuery(TestCanisters.Call("state"), null))), Is.EqualTo(new[] { 0, 0, 0 }));
        Assert.That(_canister.IsQueryView, Is.False);
    }

    [Test]
    public void CreateQueryView_MalformedSnapshot_FormatException() =>
        Assert.That(() => WasmCanister.CreateQueryView(_engine, _canister.Module, TestCanisters.Environment, [1, 2, 3]), Throws.InstanceOf<FormatException>());

    [Test]
    public void ExecuteUpdate_QueryMethod_RunsReplicatedWithChangesDiscarded()
    {
        Assert.That(BinaryPrimitives.ReadInt64LittleEndian(Replied(_canister.ExecuteUpdate(TestCanisters.Call("replicated")))), Is.EqualTo(1));
        Assert.That(BinaryPrimitives.ReadInt64LittleEndian(Replied(_canister.ExecuteQuery(TestCanisters.Call("replicated"), null))), Is.EqualTo(0));
        Assert.That(State(Replied(_canister.ExecuteUpdate(TestCanisters.Call("inc_query")))), Is.EqualTo(new[] { 1, 1, 1 }));
        Assert.That(QueryState(), Is.EqualTo(new[] { 0, 0, 0 }));
    }

    [Test]
    public void ExecuteUpdate_MsgReject_IsCanisterReject()
    {
        CanisterReply.Rejected reject = Rejected(_canister.ExecuteUpdate(TestCanisters.Call("reject")));
        Assert.That(reject.Code, Is.EqualTo(RejectCode.CanisterReject));
        Assert.That(reject.Message, Is.EqualTo("hello"));
        Assert.That(reject.ErrorCode, Is.EqualTo("IC0406"));
    }

    [Test]
    public void ExecuteUpdate_NoReply_CanisterDidNotReply()
    {
        CanisterReply.Rejected reject = Rejected(_canister.ExecuteUpdate(TestCanisters.Call("no_reply")));
        Assert.That(reject.ErrorCode, Is.EqualTo("IC0506"));
        Assert.That(reject.Message, Is.EqualTo($"Error from Canister {Id}: Canister did not produce a response"));
        Assert.That(_canister.OpenCallContexts, Is.Zero);
    }

    [Test]
    public void ExecuteUpdate_ReplyTwice_ViolatesTheContract()
    {
        CanisterReply.Rejected reject = Rejected(_canister.ExecuteUpdate(TestCanisters.Call("reply_twice")));
        Assert.That(reject.ErrorCode, Is.EqualTo("IC0504"));
        Assert.That(reject.Message, Does.StartWith($"Error from Canister {Id}: Canister violated contract: ic0.msg_reply: the call is already replied."));
    }

    [Test]
    public void ExecuteUpdate_UnknownMethod_NoSuchMethod()
    {
        CanisterReply.Rejected reject = Rejected(_canister.ExecuteUpdate(TestCanisters.Call("nope")));
        Assert.That(reject.ErrorCode, Is.EqualTo("IC0536"));
        Assert.That(reject.Message, Is.EqualTo($"Canister {Id} has no update method 'nope'"));
    }

    [Test]
    public void ExecuteQuery_HeapOutOfBounds_Traps() =>
        Assert.That(Rejected(_canister.ExecuteQuery(TestCanisters.Call("read_past_memory"), null)).Message,
            Does.StartWith($"Error from Canister {Id}: Canister trapped: heap out of bounds."));

    [Test]
    public void ExecuteUpdate_StablePastTheEnd_Traps() =>
        Assert.That(Rejected(_canister.ExecuteUpdate(TestCanisters.Call("stable_past_end"))).Message,
            Does.StartWith($"Error from Canister {Id}: Canister trapped: stable memory out of bounds."));

    [Test]
    public void ExecuteUpdate_CertifiedDataSet_IsVisibleAndBounded()
    {
        Replied(_canister.ExecuteUpdate(TestCanisters.Call("certify")));
        Assert.That(_canister.CertifiedData.ToArray(), Is.EqualTo("hello"u8.ToArray()));
        Assert.That(Rejected(_canister.ExecuteUpdate(TestCanisters.Call("certify_too_much"))).Message, Does.Contain(
            "Canister violated contract: ic0_certified_data_set failed because the passed data must be no larger than 32 bytes. Found 33 bytes."));
        Assert.That(_canister.CertifiedData.ToArray(), Is.EqualTo("hello"u8.ToArray()));
    }

    [Test]
    public void ExecuteUpdate_TimeTimerVersionAndCosts_AnswerAsTheIcDoes()
    {
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(Replied(_canister.ExecuteUpdate(TestCanisters.Call("time", time: 123)))), Is.EqualTo(123UL));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(Replied(_canister.ExecuteUpdate(TestCanisters.Call("set_timer")))), Is.EqualTo(42UL));
        Assert.That(_canister.GlobalTimer, Is.EqualTo(43UL));
        ulong version = _canister.Version;
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(Replied(_canister.ExecuteUpdate(TestCanisters.Call("version")))), Is.EqualTo(version));
        Assert.That(_canister.Version, Is.EqualTo(version + 1));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(Replied(_canister.ExecuteUpdate(TestCanisters.Call("perf")))), Is.GreaterThan(0UL));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(Replied(_canister.ExecuteUpdate(TestCanisters.Call("stable_pages")))), Is.EqualTo(1UL));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(Replied(_canister.ExecuteUpdate(TestCanisters.Call("cost_call")))), Is.EqualTo(260_000UL + 13_000));
    }

    [Test]
    public void ExecuteUpdate_DebugPrint_IsALogRecordWithTimeAndIndex()
    {
        Replied(_canister.ExecuteUpdate(TestCanisters.Call("print", time: 5)));
        Replied(_canister.ExecuteUpdate(TestCanisters.Call("print", time: 6)));
        Assert.That(_canister.Logs.Select(l => (l.Index, l.TimestampNanos, Encoding.UTF8.GetString(l.Content.Span))),
            Is.EqualTo(new[] { (0UL, 5UL, "hello"), (1UL, 6UL, "hello") }));
    }

    [Test]
    public void Install_InitCallsMsgReply_TrapsWithTheWrongModeText()
    {
        CanisterModule module = TestCanisters.Load(_engine, TestCanisters.Wat(
            """(module (import "ic0" "msg_reply" (func $reply)) (func (export "canister_init") (call $reply)))"""));
        using var canister = WasmCanister.Create(_engine, module, TestCanisters.Environment);
        ExecutionResult result = canister.Install(TestCanisters.Caller, TestCanisters.Time, []);
        Assert.That(result.Error?.ErrorCode, Is.EqualTo("IC0504"));
        Assert.That(Rejected(result).Message, Does.StartWith(
            $"Error from Canister {Id}: Canister violated contract: \"ic0_msg_reply\" cannot be executed in init mode."));
    }

    [Test]
    public void Snapshot_SameMessagesOnTwoEngines_GiveEqualBytesAndResults()
    {
        byte[][] Run()
        {
            using var engine = new CanisterEngine();
            using WasmCanister canister = TestCanisters.Install(engine, TestCanisters.Wat(WatModules.Echo));
            var replies = new List<byte[]>();
            foreach (string method in new[] { "inc", "inc", "inc_then_trap", "print", "certify", "set_timer", "inc" })
            {
                replies.Add(Encoding.UTF8.GetBytes(canister.ExecuteUpdate(TestCanisters.Call(method)).Response!.ToString()));
            }

            return [.. replies, canister.Snapshot()];
        }

        byte[][] first = Run();
        byte[][] second = Run();
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Restore_Snapshot_ReproducesTheState()
    {
        _canister.ExecuteUpdate(TestCanisters.Call("inc"));
        _canister.ExecuteUpdate(TestCanisters.Call("print"));
        byte[] snapshot = _canister.Snapshot();
        using WasmCanister copy = WasmCanister.Create(_engine, _canister.Module, TestCanisters.Environment);
        copy.Restore(snapshot);
        Assert.That(State(Replied(copy.ExecuteQuery(TestCanisters.Call("state"), null))), Is.EqualTo(new[] { 1, 1, 1 }));
        Assert.That(copy.Snapshot(), Is.EqualTo(snapshot));
        Assert.That(copy.Logs, Has.Count.EqualTo(1));
    }

    [Test]
    public void Restore_MalformedBytes_ThrowsFormatException()
    {
        byte[] snapshot = _canister.Snapshot();
        Assert.Throws<FormatException>(() => _canister.Restore(snapshot.AsSpan(0, snapshot.Length - 3)));
        Assert.Throws<FormatException>(() => _canister.Restore("nope"u8));
    }

    [Test]
    public void Upgrade_KeepsStableMemoryAndResetsTheHeap()
    {
        _canister.ExecuteUpdate(TestCanisters.Call("inc"));
        _canister.ExecuteUpdate(TestCanisters.Call("inc"));
        using WasmCanister? upgraded = _canister.Upgrade(_canister.Module, TestCanisters.Caller, TestCanisters.Time, [], keepMainMemory: false, out ExecutionResult result);
        Assert.That(result.Error, Is.Null);
        Assert.That(State(Replied(upgraded!.ExecuteQuery(TestCanisters.Call("state"), null))), Is.EqualTo(new[] { 0, 0, 2 }));
    }

    [Test]
    public void Upgrade_KeepMainMemoryForANonMotokoModule_IsRefused()
    {
        WasmCanister? upgraded = _canister.Upgrade(_canister.Module, TestCanisters.Caller, TestCanisters.Time, [], keepMainMemory: true, out ExecutionResult result);
        Assert.That(upgraded, Is.Null);
        Assert.That(result.Error!.Description, Does.StartWith("Invalid upgrade option"));
        Assert.That(QueryState(), Is.EqualTo(new[] { 0, 0, 0 }));
    }
}
