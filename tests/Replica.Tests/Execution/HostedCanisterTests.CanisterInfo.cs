using System.Security.Cryptography;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.Execution;

// canister_info: a Motoko canister asks the management canister about another canister; its change history is
// replicated state (checkpointed), bounded as on the IC, and ingress may not ask.
public partial class HostedCanisterTests
{
    private static CandidPrincipal C(Principal p) => CandidPrincipal.FromPrincipal(p);

    private CanisterInfoResult InfoThroughCaller(ExecutionState state, Principal caller, Principal target, ulong? changes)
    {
        RequestStatus asked = Run(state, Stranger, caller, "info", CandidArgs.Encode(C(target), changes));
        return Replied<CanisterInfoResult>(asked);
    }

    [Test]
    public void CanisterInfo_FromAMotokoCanister_ReportsTheHistoryModuleHashAndControllers()
    {
        using ExecutionState state = NewState();
        Principal caller = CreateCanister(state, Developer);
        AssertReplied(Manage(state, Developer, "install_code", Install(caller, new CanisterInstallMode.Install(), MotokoCanisters.Caller)));

        Principal id = CreateCanister(state, Developer);
        ulong created = state.TimeNanos;
        AssertReplied(Manage(state, Developer, "install_code", Install(id, new CanisterInstallMode.Install())));
        ulong installed = state.TimeNanos;
        AssertReplied(Manage(state, Developer, "install_code",
            Install(id, new CanisterInstallMode.Upgrade(new UpgradeOptions(WasmMemoryPersistence: WasmMemoryPersistence.Keep)))));
        ulong upgraded = state.TimeNanos;
        AssertReplied(Manage(state, Developer, "update_settings", CandidArgs.Encode(new UpdateSettingsArgs(C(id),
            new CanisterSettings(Controllers: [C(Developer), C(caller)])))));
        ulong changed = state.TimeNanos;
        byte[] hash = SHA256.HashData(MotokoCanisters.Counter);

        CanisterInfoResult none = InfoThroughCaller(state, caller, id, null);
        Assert.That(none.TotalNumChanges, Is.EqualTo(4UL));
        Assert.That(none.RecentChanges, Is.Empty, "no num_requested_changes: no changes");
        Assert.That(none.ModuleHash, Is.EqualTo(hash));
        Assert.That(none.Controllers.Select(c => c.ToPrincipal()), Is.EqualTo(new[] { Developer, caller }));

        CanisterInfoResult all = InfoThroughCaller(state, caller, id, 10);
        Assert.That(all.RecentChanges, Has.Length.EqualTo(4));
        AssertChange(all.RecentChanges[0], created, 0, new ChangeDetails.Creation([C(Developer)]));
        AssertChange(all.RecentChanges[1], installed, 1, new ChangeDetails.CodeDeployment(CodeDeploymentMode.Install, hash));
        AssertChange(all.RecentChanges[2], upgraded, 2, new ChangeDetails.CodeDeployment(CodeDeploymentMode.Upgrade, hash));
        AssertChange(all.RecentChanges[3], changed, 3, new ChangeDetails.ControllersChange([C(Developer), C(caller)]));

        CanisterInfoResult lastTwo = InfoThroughCaller(state, caller, id, 2);
        Assert.That(lastTwo.RecentChanges.Select(c => c.CanisterVersion), Is.EqualTo(new ulong[] { 2, 3 }), "the most recent changes, oldest first");

        // Now a controller, the calling canister uninstalls the code: the origin is a canister.
        var uninstall = (CanisterReply.Replied)state.Management.Execute(caller, state.TimeNanos, "uninstall_code",
            CandidArgs.Encode(new UninstallCodeArgs(C(id), SenderCanisterVersion: 7)), fromCanister: true);
        Assert.That(uninstall, Is.Not.Null);
        CanisterInfoResult after = InfoThroughCaller(state, caller, id, 1);
        Assert.That(after.TotalNumChanges, Is.EqualTo(5UL));
        Assert.That(after.ModuleHash, Is.Null);
        CanisterChange last = after.RecentChanges.Single();
        Assert.That(last.Details, Is.TypeOf<ChangeDetails.CodeUninstall>());
        Assert.That(last.CanisterVersion, Is.EqualTo(4UL), "the version keeps growing across an uninstall");
        Assert.That(last.Origin, Is.EqualTo(new ChangeOrigin.FromCanister(C(caller), 7)));

        CanisterStatusResult status = Replied<CanisterStatusResult>(Manage(state, Developer, "canister_status", Id(id)));
        Assert.That(status.Version, Is.EqualTo(4UL), "canister_status reports the same version");
    }

    private static void AssertChange(CanisterChange change, ulong time, ulong version, ChangeDetails details)
    {
        Assert.That(change.TimestampNanos, Is.EqualTo(time), "the block time of the change");
        Assert.That(change.CanisterVersion, Is.EqualTo(version));
        Assert.That(change.Origin, Is.EqualTo(new ChangeOrigin.FromUser(C(Developer))));
        Assert.That(CandidArgs.Encode(change.Details), Is.EqualTo(CandidArgs.Encode(details)), $"details {change.Details}");
    }

    [Test]
    public void CanisterInfo_FromIngress_IsRefusedWithTheIcsText()
    {
        using ExecutionState state = NewState();
        Principal id = CreateCanister(state, Developer);
        RequestStatus refused = Manage(state, Developer, "canister_info", CandidArgs.Encode(new CanisterInfoArgs(C(id), 1)));
        Assert.That((refused.RejectCode, refused.ErrorCode, refused.RejectMessage),
            Is.EqualTo(((int)RejectCode.CanisterReject, "IC0406", "Only canisters can call ic00 method canister_info")));
    }

    [Test]
    public void CanisterInfo_UnknownCanister_IsIC0301()
    {
        using ExecutionState state = NewState();
        var reply = (CanisterReply.Rejected)state.Management.Execute(CounterCanister.Id, state.TimeNanos, "canister_info",
            CandidArgs.Encode(new CanisterInfoArgs(C(Principal.CanisterId(999)), 1)), fromCanister: true);
        Assert.That(reply.ErrorCode, Is.EqualTo("IC0301"));
    }

    [Test]
    public void CanisterInfo_ManyChanges_KeepsTheLatestTwentyAndCountsAll()
    {
        using ExecutionState state = NewState();
        Principal id = CreateCanister(state, Developer);
        for (int i = 0; i < 25; i++)
        {
            Principal[] controllers = i % 2 == 0 ? [Developer, Stranger] : [Developer];
            AssertReplied(Manage(state, Developer, "update_settings", CandidArgs.Encode(new UpdateSettingsArgs(C(id),
                new CanisterSettings(Controllers: [.. controllers.Select(C)])))));
        }

        CanisterInfoResult info = Info(state, id, 100);
        Assert.That(info.TotalNumChanges, Is.EqualTo(26UL));
        Assert.That(info.RecentChanges, Has.Length.EqualTo(CanisterHistoryStore.MaxChanges));
        Assert.That(info.RecentChanges.Select(c => c.CanisterVersion), Is.EqualTo(Enumerable.Range(6, 20).Select(v => (ulong)v)));
    }

    [Test]
    public void CanisterInfo_Checkpoint_CarriesTheHistoryAndTheSameRoot_DeleteForgetsIt()
    {
        SubnetTopology topology = SubnetTopology.From(TestSubnets.Create(4)[0]);
        using ExecutionState source = NewState();
        Principal id = CreateAndInstall(source);
        AssertReplied(Manage(source, Developer, "update_settings", CandidArgs.Encode(new UpdateSettingsArgs(C(id),
            new CanisterSettings(Controllers: [C(Stranger), C(Developer)])))));
        byte[] checkpoint = ExecutionCheckpoint.Take(source);

        using ExecutionState target = NewState();
        ExecutionCheckpoint.Restore(target, checkpoint);
        Assert.That(CandidArgs.Encode(Info(target, id, 20)), Is.EqualTo(CandidArgs.Encode(Info(source, id, 20))));
        Assert.That(ExecutionCheckpoint.Take(target), Is.EqualTo(checkpoint), "equal states give equal bytes");
        Assert.That(target.BuildTree(topology).Digest.ToArray(), Is.EqualTo(source.BuildTree(topology).Digest.ToArray()));

        AssertReplied(Manage(target, Developer, "stop_canister", Id(id)));
        AssertReplied(Manage(target, Developer, "delete_canister", Id(id)));
        Assert.That(target.Management.History.TotalChanges(id), Is.Zero);
    }

    [Test]
    public void CanisterInfo_CorruptHistoryInTheCheckpoint_IsRefusedAndNothingChanges()
    {
        using ExecutionState source = NewState();
        CreateCanister(source, Developer);
        byte[] checkpoint = ExecutionCheckpoint.Take(source);
        int didl = checkpoint.AsSpan().LastIndexOf("DIDL"u8); // the history comes last: its creation record's Candid
        Assert.That(didl, Is.GreaterThan(0));
        checkpoint[didl] = (byte)'X';
        using ExecutionState target = NewState();
        byte[] before = ExecutionCheckpoint.Take(target);
        Assert.Throws<FormatException>(() => ExecutionCheckpoint.Restore(target, checkpoint));
        Assert.That(ExecutionCheckpoint.Take(target), Is.EqualTo(before));
    }

    private static CanisterInfoResult Info(ExecutionState state, Principal id, ulong changes)
    {
        var reply = (CanisterReply.Replied)state.Management.Execute(CounterCanister.Id, state.TimeNanos, "canister_info",
            CandidArgs.Encode(new CanisterInfoArgs(C(id), changes)), fromCanister: true);
        return CandidArgs.Decode<CanisterInfoResult>(reply.Candid.Span);
    }
}
