using System.Numerics;
using System.Text;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.Execution;

/// <summary>
/// Canisters created and run through the management canister, executed as ingress in batches: a real Motoko counter
/// installed, called, trapped, upgraded, reinstalled, stopped and deleted, with the IC's authorization and texts.
/// </summary>
public partial class HostedCanisterTests
{
    private const ulong T0 = 1_700_000_000_000_000_000;
    private static readonly Principal Developer = Principal.SelfAuthenticating(new byte[44]);
    private static readonly Principal Stranger = Principal.SelfAuthenticating(new byte[45]);
    private static readonly byte[] NoArgs = CandidArgs.Encode();
    private int _nextRequest;

    internal static ExecutionState NewState() =>
        new([new InstalledCanister(CounterCanister.Id, new CounterCanister(), [Developer]),
            new InstalledCanister(Replica.Canisters.WhoamiCanister.Id, new Replica.Canisters.WhoamiCanister(), [])], T0);

    private RequestStatus Run(ExecutionState state, Principal sender, Principal canister, string method, byte[] arg, byte randomness = 0)
    {
        byte[] id = new byte[32];
        BitConverter.TryWriteBytes(id, ++_nextRequest);
        var message = new IngressMessage(new RequestId(id), sender, canister, method, arg, state.TimeNanos + 60_000_000_000);
        byte[] seed = new byte[32];
        seed[0] = randomness;
        return state.Execute(new Batch(state.Height + 1, state.TimeNanos + 1_000_000, seed, [message]))[0];
    }

    private RequestStatus Manage(ExecutionState state, Principal sender, string method, byte[] arg) =>
        Run(state, sender, Principal.ManagementCanister, method, arg);

    private static T Replied<T>(RequestStatus status)
    {
        Assert.That(status.IsReplied, Is.True, status.RejectMessage);
        return CandidArgs.Decode<T>(status.Reply!);
    }

    private static void AssertReplied(RequestStatus status) => Assert.That(status.IsReplied, Is.True, status.RejectMessage);

    private static BigInteger Nat(RequestStatus status)
    {
        Assert.That(status.IsReplied, Is.True, status.RejectMessage);
        return ((CandidNat)CandidDecoder.DecodeUntyped(status.Reply!).Values.Single()).Value;
    }

    internal Principal CreateCanister(ExecutionState state, Principal sender, ProvisionalCreateCanisterArgs? args = null) =>
        Replied<CanisterIdRecord>(Manage(state, sender, ManagementCanister.ProvisionalCreate, CandidArgs.Encode(args ?? new ProvisionalCreateCanisterArgs()))).CanisterId.ToPrincipal();

    private static byte[] Install(Principal canister, CanisterInstallMode mode, byte[]? wasm = null) =>
        CandidArgs.Encode(new InstallCodeArgs(mode, CandidPrincipal.FromPrincipal(canister), wasm ?? MotokoCanisters.Counter, NoArgs));

    private static byte[] Id(Principal canister) => CandidArgs.Encode(new CanisterIdRecord(CandidPrincipal.FromPrincipal(canister)));

    private Principal CreateAndInstall(ExecutionState state)
    {
        Principal id = CreateCanister(state, Developer);
        AssertReplied(Manage(state, Developer, "install_code", Install(id, new CanisterInstallMode.Install())));
        return id;
    }

    private static BigInteger Query(ExecutionState state, Principal canister, string method)
    {
        CanisterReply reply = state.Canister(canister)!.Canister.Query(new QueryContext(Developer.ToArray(), state.TimeNanos, null, canister.ToArray()), method, NoArgs);
        Assert.That(reply, Is.TypeOf<CanisterReply.Replied>(), (reply as CanisterReply.Rejected)?.Message);
        return ((CandidNat)CandidDecoder.DecodeUntyped(((CanisterReply.Replied)reply).Candid.Span).Values.Single()).Value;
    }

    [Test]
    public void ProvisionalCreate_Ids_AreTheSubnetsNextFreeOnesAndSpecifiedIdsAreHonoured()
    {
        using ExecutionState state = NewState();
        Principal first = CreateCanister(state, Developer);
        Principal specified = CreateCanister(state, Developer, new ProvisionalCreateCanisterArgs(SpecifiedId: CandidPrincipal.FromPrincipal(Principal.CanisterId(3))));
        Principal second = CreateCanister(state, Developer);
        Principal third = CreateCanister(state, Developer);
        Assert.That(CounterCanister.Id, Is.Not.EqualTo(first));
        Assert.That(specified, Is.EqualTo(Principal.CanisterId(3)));
        Assert.That(new[] { first, second, third }.Select(p => p.ToString()).Distinct().Count(), Is.EqualTo(3));
        Assert.That(new[] { first, second, third }, Has.None.EqualTo(specified).And.None.EqualTo(CounterCanister.Id));

        RequestStatus taken = Manage(state, Developer, ManagementCanister.ProvisionalCreate,
            CandidArgs.Encode(new ProvisionalCreateCanisterArgs(SpecifiedId: CandidPrincipal.FromPrincipal(specified))));
        Assert.That(taken.ErrorCode, Is.EqualTo("IC0538"));
        Assert.That(taken.RejectMessage, Is.EqualTo($"Canister {specified} is already installed."));
    }

    [Test]
    public void InstallCode_MotokoCounter_UpdatesQueriesAndLogsReplicated()
    {
        using ExecutionState state = NewState();
        Principal id = CreateAndInstall(state);
        Assert.That(Nat(Run(state, Stranger, id, "inc", NoArgs)), Is.EqualTo(new BigInteger(1)));
        Assert.That(Nat(Run(state, Stranger, id, "inc", NoArgs)), Is.EqualTo(new BigInteger(2)));
        Assert.That(Query(state, id, "get"), Is.EqualTo(new BigInteger(2)));
        RequestStatus whoami = Run(state, Stranger, id, "whoami", NoArgs);
        Assert.That(CandidArgs.Decode<CandidPrincipal>(whoami.Reply!).ToPrincipal(), Is.EqualTo(Stranger));

        FetchCanisterLogsResult logs = CandidArgs.Decode<FetchCanisterLogsResult>(
            ((CanisterReply.Replied)state.Management.Execute(Developer, state.TimeNanos, "fetch_canister_logs", Id(id))).Candid.Span);
        Assert.That(logs.CanisterLogRecords.Select(l => Encoding.UTF8.GetString(l.Content)), Is.EqualTo(new[] { "count is 1", "count is 2" }));
        var refused = (CanisterReply.Rejected)state.Management.Execute(Stranger, state.TimeNanos, "fetch_canister_logs", Id(id));
        Assert.That(refused.ErrorCode, Is.EqualTo("IC0406"));
    }

    [Test]
    public void QueryView_AfterLaterUpdates_AnswersOnItsOwnHeight()
    {
        using ExecutionState state = NewState();
        Principal id = CreateAndInstall(state);
        Run(state, Developer, id, "inc", NoArgs);
        var hosted = (HostedCanister)state.Canister(id)!.Canister;
        ICanister view = hosted.QueryView();
        Assert.That(hosted.QueryView(), Is.SameAs(view), "nothing executed since: the same view");
        Run(state, Developer, id, "inc", NoArgs);
        Assert.That(hosted.QueryView(), Is.Not.SameAs(view));

        var context = new QueryContext(Developer.ToArray(), state.TimeNanos, null, id.ToArray());
        var old = (CanisterReply.Replied)view.Query(context, "get", NoArgs);
        Assert.That(((CandidNat)CandidDecoder.DecodeUntyped(old.Candid.Span).Values.Single()).Value, Is.EqualTo(BigInteger.One));
        Assert.That(Query(state, id, "get"), Is.EqualTo(new BigInteger(2)));

        AssertReplied(Manage(state, Developer, "stop_canister", Id(id)));
        Assert.That(((CanisterReply.Rejected)hosted.QueryView().Query(context, "get", NoArgs)).ErrorCode, Is.EqualTo("IC0508"));
    }

    [Test]
    public void InterCanisterCalls_ToWasmBuiltInAndManagement_AnsweredInTheSameBatch()
    {
        using ExecutionState state = NewState();
        Principal counter = CreateAndInstall(state);
        Principal caller = CreateCanister(state, Developer);
        AssertReplied(Manage(state, Developer, "install_code", Install(caller, new CanisterInstallMode.Install(), MotokoCanisters.Caller)));

        RequestStatus inc = Run(state, Stranger, caller, "callInc", CandidArgs.Encode(CandidPrincipal.FromPrincipal(counter)));
        Assert.That(Nat(inc), Is.EqualTo(BigInteger.One));
        Assert.That(Query(state, counter, "get"), Is.EqualTo(BigInteger.One));

        RequestStatus whoami = Run(state, Stranger, caller, "whoamiOf", CandidArgs.Encode(CandidPrincipal.FromPrincipal(Replica.Canisters.WhoamiCanister.Id)));
        Assert.That(whoami.IsReplied, Is.True, whoami.RejectMessage);
        Assert.That(CandidArgs.Decode<CandidPrincipal>(whoami.Reply!).ToPrincipal(), Is.EqualTo(caller), "the built-in canister sees the calling canister");

        RequestStatus rand = Run(state, Stranger, caller, "rand", NoArgs, randomness: 9);
        Assert.That(rand.IsReplied, Is.True, rand.RejectMessage);
        Assert.That(CandidArgs.Decode<byte[]>(rand.Reply!), Has.Length.EqualTo(32));
        Assert.That(state.Messaging.QueuedCount, Is.Zero);
        Assert.That(Query(state, caller, "heartbeats"), Is.GreaterThan(BigInteger.Zero), "a heartbeat ran in each batch");
    }

    [Test]
    public void Update_Trap_RejectsWithCode5AndRollsBack()
    {
        using ExecutionState state = NewState();
        Principal id = CreateAndInstall(state);
        Run(state, Developer, id, "inc", NoArgs);
        RequestStatus boom = Run(state, Developer, id, "boom", NoArgs);
        Assert.That(boom.RejectCode, Is.EqualTo((int)RejectCode.CanisterError));
        Assert.That(boom.RejectMessage, Does.StartWith($"Error from Canister {id}: "));
        Assert.That(Query(state, id, "get"), Is.EqualTo(BigInteger.One));
    }

    [Test]
    public void InstallCode_UpgradeKeepsTheCount_ReinstallResetsIt()
    {
        using ExecutionState state = NewState();
        Principal id = CreateAndInstall(state);
        Run(state, Developer, id, "inc", NoArgs);
        Run(state, Developer, id, "inc", NoArgs);

        RequestStatus noKeep = Manage(state, Developer, "install_code", Install(id, new CanisterInstallMode.Upgrade()));
        Assert.That(noKeep.ErrorCode, Is.EqualTo("IC0504"), "Motoko's enhanced orthogonal persistence needs wasm_memory_persistence = keep");
        AssertReplied(Manage(state, Developer, "install_code",
            Install(id, new CanisterInstallMode.Upgrade(new UpgradeOptions(WasmMemoryPersistence: WasmMemoryPersistence.Keep)))));
        Assert.That(Query(state, id, "get"), Is.EqualTo(new BigInteger(2)));

        AssertReplied(Manage(state, Developer, "install_code", Install(id, new CanisterInstallMode.Reinstall())));
        Assert.That(Query(state, id, "get"), Is.EqualTo(BigInteger.Zero));

        RequestStatus again = Manage(state, Developer, "install_code", Install(id, new CanisterInstallMode.Install()));
        Assert.That(again.ErrorCode, Is.EqualTo("IC0514"));
    }

    [Test]
    public void InstallCode_NotAController_IsRefusedWithIC0512()
    {
        using ExecutionState state = NewState();
        Principal id = CreateCanister(state, Developer);
        foreach (Principal caller in new[] { Stranger, Principal.Anonymous })
        {
            RequestStatus refused = Manage(state, caller, "install_code", Install(id, new CanisterInstallMode.Install()));
            Assert.That(refused.ErrorCode, Is.EqualTo("IC0512"));
            Assert.That(refused.RejectMessage, Is.EqualTo(
                $"Only the controllers of the canister {id} can control it.\nCanister's controllers: {Developer}\nSender's ID: {caller}"));
        }

        Assert.That(state.Canister(id)!.Canister.ModuleHash.IsEmpty, Is.True);
    }

    [Test]
    public void InstallCode_MalformedModule_IsRejectedWithIC0505()
    {
        using ExecutionState state = NewState();
        Principal id = CreateCanister(state, Developer);
        RequestStatus bad = Manage(state, Developer, "install_code", Install(id, new CanisterInstallMode.Install(), [0, 0x61, 0x73, 0x6d, 9]));
        Assert.That(bad.ErrorCode, Is.EqualTo("IC0505"));
        Assert.That(bad.RejectMessage, Does.StartWith($"Error from Canister {id}: Canister's Wasm module is not valid: "));
        RequestStatus empty = Run(state, Developer, id, "inc", NoArgs);
        Assert.That(empty.ErrorCode, Is.EqualTo("IC0537"));
    }

    [Test]
    public void UpdateSettings_Controllers_ReplaceWhoMayControl()
    {
        using ExecutionState state = NewState();
        Principal id = CreateCanister(state, Developer);
        AssertReplied(Manage(state, Developer, "update_settings", CandidArgs.Encode(new UpdateSettingsArgs(CandidPrincipal.FromPrincipal(id),
            new CanisterSettings(Controllers: [CandidPrincipal.FromPrincipal(Stranger)], FreezingThreshold: 1000)))));
        Assert.That(Manage(state, Developer, "canister_status", Id(id)).ErrorCode, Is.EqualTo("IC0512"));
        CanisterStatusResult status = Replied<CanisterStatusResult>(Manage(state, Stranger, "canister_status", Id(id)));
        Assert.That(status.Settings.Controllers.Select(c => c.ToPrincipal()), Is.EqualTo(new[] { Stranger }));
        Assert.That(status.Settings.FreezingThreshold, Is.EqualTo(new BigInteger(1000)));
        Assert.That(status.Cycles, Is.EqualTo((BigInteger)ManagementCanister.DefaultProvisionalCycles));
        Assert.That(status.ModuleHash, Is.Null);
        Assert.That(state.Canister(id)!.Controllers, Is.EqualTo(new[] { Stranger }));
    }

    [Test]
    public void StopAndDelete_StoppedCanister_RefusesCallsThenDisappears()
    {
        using ExecutionState state = NewState();
        Principal id = CreateAndInstall(state);
        Assert.That(Manage(state, Developer, "delete_canister", Id(id)).ErrorCode, Is.EqualTo("IC0510"));
        AssertReplied(Manage(state, Developer, "stop_canister", Id(id)));
        CanisterStatusResult status = Replied<CanisterStatusResult>(Manage(state, Developer, "canister_status", Id(id)));
        Assert.That(status.Status, Is.EqualTo(CanisterRunStatus.Stopped));
        Assert.That(status.ModuleHash, Is.EqualTo(System.Security.Cryptography.SHA256.HashData(MotokoCanisters.Counter)));
        RequestStatus stopped = Run(state, Developer, id, "inc", NoArgs);
        Assert.That((stopped.RejectCode, stopped.ErrorCode, stopped.RejectMessage), Is.EqualTo(((int)RejectCode.CanisterError, "IC0508", $"Canister {id} is stopped")));

        AssertReplied(Manage(state, Developer, "start_canister", Id(id)));
        Assert.That(Nat(Run(state, Developer, id, "inc", NoArgs)), Is.EqualTo(BigInteger.One));
        AssertReplied(Manage(state, Developer, "stop_canister", Id(id)));
        AssertReplied(Manage(state, Developer, "delete_canister", Id(id)));
        Assert.That(state.Canister(id), Is.Null);
        Assert.That(Run(state, Developer, id, "inc", NoArgs).ErrorCode, Is.EqualTo("IC0301"));
    }

    [Test]
    public void BuiltInCanister_InstallCode_IsRefused()
    {
        using ExecutionState state = NewState();
        RequestStatus refused = Manage(state, Developer, "install_code", Install(CounterCanister.Id, new CanisterInstallMode.Reinstall()));
        Assert.That(refused.RejectCode, Is.EqualTo((int)RejectCode.CanisterReject));
        Assert.That(refused.RejectMessage, Does.Contain("built into this network"));
    }

    [Test]
    public void CreateCanister_FromIngress_IsRefused_FromCanister_TheCallerControlsIt()
    {
        using ExecutionState state = NewState();
        Assert.That(Manage(state, Developer, "create_canister", CandidArgs.Encode(new CreateCanisterArgs())).ErrorCode, Is.EqualTo("IC0406"));
        var reply = (CanisterReply.Replied)state.Management.Execute(CounterCanister.Id, state.TimeNanos, "create_canister",
            CandidArgs.Encode(new CreateCanisterArgs()), fromCanister: true);
        Principal created = CandidArgs.Decode<CanisterIdRecord>(reply.Candid.Span).CanisterId.ToPrincipal();
        Assert.That(state.Canister(created)!.Controllers, Is.EqualTo(new[] { CounterCanister.Id }));
    }

    [Test]
    public void RawRand_FromIngress_IsRefused_FromCanister_IsTheMessagesRandomness()
    {
        using ExecutionState state = NewState();
        Assert.That(Manage(state, Developer, "raw_rand", NoArgs).ErrorCode, Is.EqualTo("IC0406"));
        byte[] randomness = ExecutionState.MessageRandomness(new byte[32], 0);
        var reply = (CanisterReply.Replied)state.Management.Execute(CounterCanister.Id, state.TimeNanos, "raw_rand", NoArgs, randomness, fromCanister: true);
        Assert.That(CandidArgs.Decode<byte[]>(reply.Candid.Span), Is.EqualTo(randomness));
    }

    [Test]
    public void Checkpoint_WithHostedCanisters_RestoresTheSameRootAndKeepsGoing()
    {
        SubnetTopology topology = SubnetTopology.From(TestSubnets.Create(4)[0]);
        using ExecutionState source = NewState();
        Principal id = CreateAndInstall(source);
        Principal stopped = CreateCanister(source, Developer);
        AssertReplied(Manage(source, Developer, "stop_canister", Id(stopped)));
        Run(source, Developer, id, "inc", NoArgs);
        Run(source, Developer, id, "inc", NoArgs);
        AssertReplied(Manage(source, Developer, "update_settings", CandidArgs.Encode(new UpdateSettingsArgs(CandidPrincipal.FromPrincipal(CounterCanister.Id),
            new CanisterSettings(Controllers: [CandidPrincipal.FromPrincipal(Stranger)])))));
        byte[] checkpoint = ExecutionCheckpoint.Take(source);

        using ExecutionState target = NewState();
        Assert.That(ExecutionCheckpoint.TryInstall(target, checkpoint, topology, source.BuildTree(topology).Digest, out string? error), Is.True, error);
        Assert.That(ExecutionCheckpoint.Take(target), Is.EqualTo(checkpoint));
        Assert.That(Query(target, id, "get"), Is.EqualTo(new BigInteger(2)));
        Assert.That(target.Canister(CounterCanister.Id)!.Controllers, Is.EqualTo(new[] { Stranger }));
        Assert.That(((HostedCanister)target.Canister(stopped)!.Canister).Status, Is.EqualTo(CanisterRunStatus.Stopped));

        // Both go on alike: the same next id, the same count, the same root.
        int requests = _nextRequest;
        Principal next = CreateCanister(target, Developer);
        Assert.That(Nat(Run(target, Developer, id, "inc", NoArgs)), Is.EqualTo(new BigInteger(3)));
        _nextRequest = requests; // the same request ids on both
        Assert.That(CreateCanister(source, Developer), Is.EqualTo(next));
        Run(source, Developer, id, "inc", NoArgs);
        Assert.That(target.BuildTree(topology).Digest.ToArray(), Is.EqualTo(source.BuildTree(topology).Digest.ToArray()));
    }

    [Test]
    public void Checkpoint_CorruptHostedCanister_IsRefusedAndNothingChanges()
    {
        SubnetTopology topology = SubnetTopology.From(TestSubnets.Create(4)[0]);
        using ExecutionState source = NewState();
        CreateAndInstall(source);
        byte[] checkpoint = ExecutionCheckpoint.Take(source);
        int hosted = checkpoint.AsSpan().IndexOf("IIHC"u8);
        Assert.That(hosted, Is.Positive);
        checkpoint[hosted] = (byte)'X'; // the hosted canister's snapshot is no longer one

        using ExecutionState target = NewState();
        Principal own = CreateCanister(target, Developer);
        byte[] before = ExecutionCheckpoint.Take(target);
        Assert.That(ExecutionCheckpoint.TryInstall(target, checkpoint, topology, source.BuildTree(topology).Digest, out string? error), Is.False);
        Assert.That(error, Is.Not.Empty);
        Assert.That(ExecutionCheckpoint.Take(target), Is.EqualTo(before));
        Assert.That(target.Canister(own), Is.Not.Null);
    }

    [Test]
    public void Checkpoint_WithCallsStillQueued_CarriesThemAndBothStatesAnswerAlike()
    {
        SubnetTopology topology = SubnetTopology.From(TestSubnets.Create(4)[0]);
        using ExecutionState source = NewState();
        Principal caller = CreateCanister(source, Developer);
        AssertReplied(Manage(source, Developer, "install_code", Install(caller, new CanisterInstallMode.Install(), MotokoCanisters.Caller)));
        source.Messaging.MaxDeliveries = 3;
        var call = new IngressMessage(new RequestId(new byte[32]), Developer, caller, "down", [.. "DIDL"u8, 0, 1, 0x7d, 4], source.TimeNanos + 60_000_000_000);
        IReadOnlyList<RequestStatus> first = source.Execute(new Batch(source.Height + 1, source.TimeNanos + 1_000_000, new byte[32], [call]));
        Assert.That(first, Is.Empty, "the recursion outlasts one batch: " + first.FirstOrDefault()?.RejectMessage);
        Assert.That(source.Messaging.QueuedCount, Is.Positive);
        Assert.That(source.Messaging.IsPending(call.Id), Is.True);

        byte[] checkpoint = ExecutionCheckpoint.Take(source);
        using ExecutionState target = NewState();
        target.Messaging.MaxDeliveries = 3;
        Assert.That(ExecutionCheckpoint.TryInstall(target, checkpoint, topology, source.BuildTree(topology).Digest, out string? error), Is.True, error);
        Assert.That(ExecutionCheckpoint.Take(target), Is.EqualTo(checkpoint));

        RequestStatus? Finish(ExecutionState state)
        {
            for (int i = 0; i < 20; i++)
            {
                IReadOnlyList<RequestStatus> done = state.Execute(new Batch(state.Height + 1, state.TimeNanos + 1_000_000, new byte[32], [call]));
                if (done.Count > 0)
                {
                    return done.Single();
                }
            }

            return null;
        }

        RequestStatus? fromSource = Finish(source);
        RequestStatus? fromTarget = Finish(target);
        Assert.That(fromSource, Is.Not.Null, "answered within 20 batches");
        Assert.That(Nat(fromSource!), Is.EqualTo(new BigInteger(4)));
        Assert.That(fromTarget?.Reply, Is.EqualTo(fromSource!.Reply));
        Assert.That(target.BuildTree(topology).Digest.ToArray(), Is.EqualTo(source.BuildTree(topology).Digest.ToArray()));
    }

    [Test]
    public void SameCalls_OnTwoReplicas_BuildTheSameStateRoot()
    {
        SubnetTopology topology = SubnetTopology.From(TestSubnets.Create(4)[0]);
        byte[] Root()
        {
            _nextRequest = 0;
            using ExecutionState state = NewState();
            Principal id = CreateAndInstall(state);
            Run(state, Developer, id, "inc", NoArgs);
            Run(state, Developer, id, "boom", NoArgs);
            return state.BuildTree(topology).Digest.ToArray();
        }

        byte[] first = Root();
        byte[] second = Root();
        Assert.That(second, Is.EqualTo(first));
    }
}
