using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Gateway;
using InternetIdentity.Replica.State;
using InternetIdentity.Protocol.Envelopes;

namespace InternetIdentity.Replica.Tests.Execution;

/// <summary>Canister snapshots through the management canister, executed as ingress in batches.</summary>
public class ManagementCanisterTests
{
    private const ulong T0 = 1_700_000_000_000_000_000;
    private static readonly Principal Controller = Principal.SelfAuthenticating(new byte[44]);
    private static readonly Principal Stranger = Principal.SelfAuthenticating(new byte[45]);
    private int _nextRequest;

    private static ExecutionState NewState() =>
        new([new InstalledCanister(CounterCanister.Id, new CounterCanister(), [Controller])], T0);

    private RequestStatus Run(ExecutionState state, Principal sender, Principal canister, string method, byte[] arg) =>
        RunBatch(state, (sender, canister, method, arg))[0];

    private IReadOnlyList<RequestStatus> RunBatch(ExecutionState state, params (Principal Sender, Principal Canister, string Method, byte[] Arg)[] calls)
    {
        var messages = calls.Select(c =>
        {
            byte[] id = new byte[32];
            BitConverter.TryWriteBytes(id, ++_nextRequest);
            return new IngressMessage(new RequestId(id), c.Sender, c.Canister, c.Method, c.Arg, state.TimeNanos + 60_000_000_000);
        }).ToList();
        return state.Execute(new Batch(state.Height + 1, state.TimeNanos + 1_000_000, new byte[32], messages));
    }

    private static byte[] Inc => CandidArgs.Encode();

    private static ulong Count(ExecutionState state) => ((CounterCanister)state.Canister(CounterCanister.Id)!.Canister).Count;

    private static byte[] TakeArg(byte[]? replace = null) =>
        CandidArgs.Encode(new TakeSnapshotArgs(CandidPrincipal.FromPrincipal(CounterCanister.Id), replace));

    private static byte[] IdArg(byte[] snapshot) => CandidArgs.Encode(new SnapshotIdArgs(CandidPrincipal.FromPrincipal(CounterCanister.Id), snapshot));

    private static SnapshotRecord Taken(RequestStatus status)
    {
        Assert.That(status.IsReplied, Is.True, status.RejectMessage);
        return CandidArgs.Decode<SnapshotRecord>(status.Reply!);
    }

    [Test]
    public void SetStableMemory_SignedCallOfANormalNetwork_UnknownMethodEverywhere()
    {
        ExecutionState state = NewState();
        byte[] arg = CandidArgs.Encode(new SetStableMemoryArgs(CandidPrincipal.FromPrincipal(CounterCanister.Id), 0, [1], 1));

        RequestStatus signed = Run(state, Controller, Principal.ManagementCanister, ManagementCanister.SetStableMemory, arg);
        var impersonated = new IngressMessage(new RequestId(Enumerable.Repeat((byte)0xEE, 32).ToArray()), Controller, Principal.ManagementCanister,
            ManagementCanister.SetStableMemory, arg, state.TimeNanos + 60_000_000_000, Impersonated: true);
        RequestStatus test = state.Execute(new Batch(state.Height + 1, state.TimeNanos + 1, new byte[32], [impersonated]))[0];
        bool routable = ManagementCanister.TryGetEffectiveCanister(ManagementCanister.SetStableMemory, arg, out _, out string? gatewayError);

        Assert.That(signed.IsReplied, Is.False);
        Assert.That(signed.RejectMessage, Does.Contain($"has no method '{ManagementCanister.SetStableMemory}'"));
        Assert.That(routable, Is.False, "the gateway refuses it before it reaches consensus");
        Assert.That(gatewayError, Does.Contain("callable by ingress"));
        Assert.That(test.RejectMessage, Does.Contain("not found"), "an impersonated call (PocketIC only) reaches the method: the built-in counter is no wasm canister");
    }

    [Test]
    public void LoadCanisterSnapshot_AfterUpdates_RestoresTheStateAndItsRoot()
    {
        ExecutionState state = NewState();
        Run(state, Controller, CounterCanister.Id, "inc", Inc);
        SnapshotRecord snapshot = Taken(Run(state, Controller, Principal.ManagementCanister, "take_canister_snapshot", TakeArg()));
        Run(state, Controller, CounterCanister.Id, "inc", Inc);
        Run(state, Controller, CounterCanister.Id, "inc", Inc);
        Assert.That(Count(state), Is.EqualTo(3));

        RequestStatus loaded = Run(state, Controller, Principal.ManagementCanister, "load_canister_snapshot", IdArg(snapshot.Id));

        Assert.That(loaded.IsReplied, Is.True, loaded.RejectMessage);
        Assert.That(Count(state), Is.EqualTo(1));
        Assert.That(snapshot.TakenAtTimestamp, Is.GreaterThan(T0));
        Assert.That(snapshot.Id[8..], Is.EqualTo(CounterCanister.Id.Bytes.ToArray()), "the IC's id layout: local id, then the canister id");
    }

    [Test]
    public void LoadCanisterSnapshot_InTheSameBatchAsAThrowingCall_KeepsTheLoadedState()
    {
        ExecutionState state = NewState();
        SnapshotRecord snapshot = Taken(Run(state, Controller, Principal.ManagementCanister, "take_canister_snapshot", TakeArg()));
        Run(state, Controller, CounterCanister.Id, "inc", Inc);

        // inc (logged for rollback), load (back to 0), inc, then a throwing call: the rollback must not undo the load.
        IReadOnlyList<RequestStatus> statuses = RunBatch(state,
            (Controller, CounterCanister.Id, "inc", Inc),
            (Controller, Principal.ManagementCanister, "load_canister_snapshot", IdArg(snapshot.Id)),
            (Controller, CounterCanister.Id, "inc", Inc),
            (Controller, CounterCanister.Id, "inc_then_throw", Inc));

        Assert.That(statuses[3].RejectCode, Is.EqualTo(5));
        Assert.That(Count(state), Is.EqualTo(1));
    }

    [Test]
    public void TakeCanisterSnapshot_ByANonController_IsRejectedWithIc0512()
    {
        ExecutionState state = NewState();

        RequestStatus status = Run(state, Stranger, Principal.ManagementCanister, "take_canister_snapshot", TakeArg());

        Assert.That(status.RejectCode, Is.EqualTo(5));
        Assert.That(status.ErrorCode, Is.EqualTo("IC0512"));
        Assert.That(status.RejectMessage, Is.EqualTo(
            $"Only the controllers of the canister {CounterCanister.Id} can control it.\nCanister's controllers: {Controller}\nSender's ID: {Stranger}"));
        Assert.That(state.Management.Snapshots.All, Is.Empty);
    }

    [Test]
    public void LoadCanisterSnapshot_UnknownId_IsRejectedAndChangesNothing()
    {
        ExecutionState state = NewState();
        Run(state, Controller, CounterCanister.Id, "inc", Inc);

        RequestStatus status = Run(state, Controller, Principal.ManagementCanister, "load_canister_snapshot", IdArg(new byte[18]));

        Assert.That(status.RejectCode, Is.EqualTo(3));
        Assert.That(status.ErrorCode, Is.EqualTo("IC0411"));
        Assert.That(status.RejectMessage, Does.StartWith("Could not find the snapshot ID 000000000000000000000000000000000000 for canister"));
        Assert.That(Count(state), Is.EqualTo(1));
    }

    [Test]
    public void TakeCanisterSnapshot_PastTheLimit_IsRejectedUnlessReplacing()
    {
        ExecutionState state = NewState();
        SnapshotRecord? first = null;
        for (int i = 0; i < CanisterSnapshotStore.MaxPerCanister; i++)
        {
            SnapshotRecord taken = Taken(Run(state, Controller, Principal.ManagementCanister, "take_canister_snapshot", TakeArg()));
            first ??= taken;
        }

        RequestStatus refused = Run(state, Controller, Principal.ManagementCanister, "take_canister_snapshot", TakeArg());
        SnapshotRecord replaced = Taken(Run(state, Controller, Principal.ManagementCanister, "take_canister_snapshot", TakeArg(first!.Id)));
        SnapshotRecord[] listed = CandidArgs.Decode<SnapshotRecord[]>(
            Run(state, Controller, Principal.ManagementCanister, "list_canister_snapshots",
                CandidArgs.Encode(new CanisterIdRecord(CandidPrincipal.FromPrincipal(CounterCanister.Id)))).Reply!);

        Assert.That(refused.RejectMessage, Is.EqualTo($"Canister {CounterCanister.Id} has reached the maximum number of snapshots allowed: 10."));
        Assert.That(listed, Has.Length.EqualTo(10));
        Assert.That(listed.Any(s => s.Id.SequenceEqual(first.Id)), Is.False, "the replaced snapshot is gone");
        Assert.That(listed.Any(s => s.Id.SequenceEqual(replaced.Id)), Is.True);
    }

    [Test]
    public void DeleteCanisterSnapshot_Twice_SecondIsNotFound()
    {
        ExecutionState state = NewState();
        SnapshotRecord snapshot = Taken(Run(state, Controller, Principal.ManagementCanister, "take_canister_snapshot", TakeArg()));

        RequestStatus first = Run(state, Controller, Principal.ManagementCanister, "delete_canister_snapshot", IdArg(snapshot.Id));
        RequestStatus second = Run(state, Controller, Principal.ManagementCanister, "delete_canister_snapshot", IdArg(snapshot.Id));

        Assert.That(first.IsReplied, Is.True, first.RejectMessage);
        Assert.That(second.ErrorCode, Is.EqualTo("IC0411"));
    }

    [Test]
    public void Execute_MalformedArgumentOrUnknownMethod_IsARejectNotACrash()
    {
        ExecutionState state = NewState();

        RequestStatus garbage = Run(state, Controller, Principal.ManagementCanister, "take_canister_snapshot", "not candid"u8.ToArray());
        RequestStatus unknown = Run(state, Controller, Principal.ManagementCanister, "install_chunked_code", CandidArgs.Encode());
        RequestStatus missing = Run(state, Controller, Principal.ManagementCanister, "take_canister_snapshot",
            CandidArgs.Encode(new CanisterIdRecord(CandidPrincipal.FromPrincipal(Principal.CanisterId(99)))));

        Assert.That(garbage.RejectCode, Is.EqualTo(5));
        Assert.That(garbage.RejectMessage, Does.StartWith("Error decoding candid"));
        Assert.That(unknown.RejectMessage, Is.EqualTo("Management canister has no method 'install_chunked_code'"));
        Assert.That(missing.ErrorCode, Is.EqualTo("IC0301"));
    }

    [Test]
    public void Checkpoint_WithSnapshots_RoundTripsThemAndTheIdCounter()
    {
        ExecutionState state = NewState();
        Run(state, Controller, CounterCanister.Id, "inc", Inc);
        SnapshotRecord snapshot = Taken(Run(state, Controller, Principal.ManagementCanister, "take_canister_snapshot", TakeArg()));
        Run(state, Controller, CounterCanister.Id, "inc", Inc);

        var restored = NewState();
        ExecutionCheckpoint.Restore(restored, ExecutionCheckpoint.Take(state));
        RequestStatus loaded = Run(restored, Controller, Principal.ManagementCanister, "load_canister_snapshot", IdArg(snapshot.Id));
        SnapshotRecord next = Taken(Run(restored, Controller, Principal.ManagementCanister, "take_canister_snapshot", TakeArg()));

        Assert.That(loaded.IsReplied, Is.True, loaded.RejectMessage);
        Assert.That(Count(restored), Is.EqualTo(1));
        Assert.That(next.Id, Is.Not.EqualTo(snapshot.Id), "ids are never reused after a restore");
        Assert.That(ExecutionCheckpoint.Take(restored), Is.Not.EqualTo(ExecutionCheckpoint.Take(state)));
    }

    [Test]
    public void CheckEffectiveCanister_ManagementCall_IsRoutedByTheArgumentsCanisterId()
    {
        var content = new RequestContent
        {
            RequestType = RequestType.Call, Sender = Controller, CanisterId = Principal.ManagementCanister,
            MethodName = "load_canister_snapshot", Arg = IdArg(new byte[18]), IngressExpiry = T0, Nonce = null,
        };

        Assert.That(RequestValidation.CheckEffectiveCanister(content, CounterCanister.Id), Is.Null);
        Assert.That(RequestValidation.CheckEffectiveCanister(content, Principal.CanisterId(7))?.Message, Does.Contain("does not match effective canister id"));
        Assert.That(RequestValidation.CheckEffectiveCanister(content with { MethodName = "raw_rand" }, CounterCanister.Id)?.Message,
            Is.EqualTo("Only canisters can call ic00 method raw_rand"));
    }
}
