using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.Execution;

public class ExecutionStateTests
{
    private const ulong Second = 1_000_000_000;
    private const ulong T0 = 1_700_000_000 * Second;
    private static readonly Principal Alice = Principal.SelfAuthenticating([1]);
    private CounterCanister _counter = null!;
    private ExecutionState _state = null!;

    [SetUp]
    public void SetUp()
    {
        _counter = new CounterCanister();
        _state = new ExecutionState(
            [new InstalledCanister(CounterCanister.Id, _counter, []), new InstalledCanister(WhoamiCanister.Id, new WhoamiCanister(), [])], 0);
    }

    [TearDown]
    public void TearDown() => _state.Dispose();

    private static IngressMessage Msg(byte id, string method = "inc", ulong expiry = T0 + 60 * Second, Principal? canister = null) =>
        new(new RequestId(Enumerable.Repeat(id, 32).ToArray()), Alice, canister ?? CounterCanister.Id, method, "DIDL\0\0"u8.ToArray(), expiry);

    private IReadOnlyList<RequestStatus> Run(ulong time, params IngressMessage[] messages) =>
        _state.Execute(new Batch(_state.Height + 1, time, new byte[32], messages));

    [Test]
    public void Execute_DuplicateRequestId_RunsOnce()
    {
        IReadOnlyList<RequestStatus> first = Run(T0, Msg(1), Msg(1));
        IReadOnlyList<RequestStatus> second = Run(T0 + Second, Msg(1));
        Assert.That(first, Has.Count.EqualTo(1));
        Assert.That(second, Is.Empty);
        Assert.That(_counter.Count, Is.EqualTo(1));
    }

    [Test]
    public void Execute_ExpiredAtBlockTime_NeverRuns()
    {
        Assert.That(Run(T0, Msg(1, expiry: T0 - 1)), Is.Empty);
        Assert.That(Run(T0, Msg(2, expiry: T0 + 6 * 60 * Second)), Is.Empty, "beyond 5 min + drift of the block time");
        Assert.That(_counter.Count, Is.EqualTo(0));
        Assert.That(_state.Status(Msg(1).Id), Is.Null);
    }

    [Test]
    public void Execute_StatusesForgottenAfterExpiry_ThenReplayIsRefusedByExpiry()
    {
        Run(T0, Msg(1, expiry: T0 + 10 * Second));
        Assert.That(_state.Status(Msg(1).Id), Is.Not.Null);
        Run(T0 + 11 * Second);
        Assert.That(_state.Status(Msg(1).Id), Is.Null);
        Assert.That(Run(T0 + 12 * Second, Msg(1, expiry: T0 + 10 * Second)), Is.Empty);
        Assert.That(_counter.Count, Is.EqualTo(1));
    }

    [Test]
    public void Execute_ThrowingCall_RollsBackToBeforeItAndKeepsEarlierCallsOfTheBatch()
    {
        IReadOnlyList<RequestStatus> statuses = Run(T0, Msg(1), Msg(2), Msg(3, "inc_then_throw"), Msg(4));
        Assert.That(statuses.Select(s => s.Status), Is.EqualTo(new[] { "replied", "replied", "rejected", "replied" }));
        Assert.That(statuses[2].RejectCode, Is.EqualTo(5));
        Assert.That(_counter.Count, Is.EqualTo(3));
    }

    [Test]
    public void Execute_ThrowingCallOfTransactionalCanister_StateAsBeforeAndNoSnapshotTaken()
    {
        var counter = new TransactionalCounterCanister();
        var state = new ExecutionState([new InstalledCanister(TransactionalCounterCanister.Id, counter, [])], 0);
        IReadOnlyList<RequestStatus> statuses = state.Execute(new Batch(1, T0, new byte[32],
            [Msg(1, canister: TransactionalCounterCanister.Id), Msg(2, "inc_then_throw", canister: TransactionalCounterCanister.Id),
                Msg(3, canister: TransactionalCounterCanister.Id)]));
        Assert.That(statuses.Select(s => s.Status), Is.EqualTo(new[] { "replied", "rejected", "replied" }));
        Assert.That(statuses[1].RejectCode, Is.EqualTo(5));
        Assert.That(statuses[1].ErrorCode, Is.EqualTo("IC0503"));
        Assert.That(counter.Count, Is.EqualTo(2));
        Assert.That(counter.SnapshotsTaken, Is.Zero);
    }

    [Test]
    public void Execute_ThrowingCallOfSnapshottedCanister_TakesOneSnapshotPerBatch()
    {
        Run(T0, Msg(1), Msg(2, "inc_then_throw"), Msg(3), Msg(4, "inc_then_throw"));
        Assert.That(_counter.Count, Is.EqualTo(2));
        Assert.That(_counter.SnapshotsTaken, Is.EqualTo(1));
    }

    [Test]
    public void Execute_TransactionalCanisterCommitsOversizeCertifiedData_ThrowsContractBroken()
    {
        var state = new ExecutionState([new InstalledCanister(TransactionalCounterCanister.Id, new TransactionalCounterCanister(), [])], 0);
        var e = Assert.Throws<InvalidOperationException>(() => state.Execute(new Batch(1, T0, new byte[32],
            [Msg(1, "oversize", canister: TransactionalCounterCanister.Id)])));
        Assert.That(e!.Message, Does.Contain("broke the canister contract"));
    }

    [Test]
    public void Execute_TrappingInternetIdentityCall_StateBytesAsBefore()
    {
        // II declares itself transactional: a trapping call (prepare_delegation for an anchor the caller does not own)
        // must leave its state byte for byte as it was, with no snapshot from the executor to fall back on.
        var ii = IdentityCanister.InternetIdentityCanister.InstallForLocalDevelopment(Hosting.SubnetCanisters.InternetIdentityId);
        Assert.That(((ICanister)ii).IsTransactional, Is.True);
        var state = new ExecutionState([new InstalledCanister(Hosting.SubnetCanisters.InternetIdentityId, ii, [])], 0);
        byte[] before = ii.Snapshot();
        byte[] arg = CandidEncoder.Encode([CandidType.Nat64, CandidType.Text, CandidType.Blob, CandidType.Opt(CandidType.Nat64)],
            [CandidValue.Nat64(10_000), CandidValue.Text("https://a.example"), CandidValue.Blob(new byte[44]), CandidValue.None]);
        IReadOnlyList<RequestStatus> statuses = state.Execute(new Batch(1, T0, new byte[32],
            [new IngressMessage(new RequestId(new byte[32]), Alice, Hosting.SubnetCanisters.InternetIdentityId, "prepare_delegation", arg, T0 + 60 * Second)]));
        Assert.That(statuses.Single().Status, Is.EqualTo("rejected"));
        Assert.That(statuses.Single().RejectCode, Is.EqualTo(5));
        Assert.That(ii.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void Execute_UnknownCanister_RejectCode3()
    {
        RequestStatus s = Run(T0, Msg(1, canister: Principal.CanisterId(99))).Single();
        Assert.That(s.RejectCode, Is.EqualTo(3));
        Assert.That(s.RejectMessage, Does.Contain("not found"));
    }

    [Test]
    public void Execute_WrongHeight_Throws()
    {
        Assert.Throws<ArgumentException>(() => _state.Execute(new Batch(5, T0, new byte[32], [])));
    }

    [Test]
    public void Execute_TimeNeverGoesBackwards()
    {
        Run(T0);
        Run(T0 - Second);
        Assert.That(_state.TimeNanos, Is.EqualTo(T0 + 1), "a block time before the previous height's: 1 ns after it");
    }

    [Test]
    public void Execute_EqualBlockTimes_TimeMovesOneNanosecondPerHeight()
    {
        Run(T0 + 5);
        Assert.That(_state.TimeNanos, Is.EqualTo(T0 + 5), "a later block time is taken to the nanosecond");
        Run(T0 + 5);
        Run(T0 + 5);
        Assert.That(_state.TimeNanos, Is.EqualTo(T0 + 7));
        Run(T0 + Second);
        Assert.That(_state.TimeNanos, Is.EqualTo(T0 + Second));
    }

    [Test]
    public void BuildTree_RootFollowsCertifiedData()
    {
        var subnet = SubnetTopology.From(TestSubnets.Create(1)[0]);
        Run(T0);
        byte[] before = _state.BuildTree(subnet).Digest.ToArray();
        Run(T0, Msg(1));
        LabeledTree after = _state.BuildTree(subnet);
        Assert.That(after.Digest.ToArray(), Is.Not.EqualTo(before));
        Assert.That(after.ToHashTree().LookupPath("canister", CounterCanister.Id, "certified_data").Value.ToArray(), Is.EqualTo(BitConverter.GetBytes(1UL)));
    }

    [Test]
    public void MessageRandomness_DiffersPerMessage_SameForSameInput()
    {
        byte[] r = new byte[32];
        byte[] again = ExecutionState.MessageRandomness(new byte[32], 0);
        Assert.That(ExecutionState.MessageRandomness(r, 0), Is.EqualTo(again));
        Assert.That(ExecutionState.MessageRandomness(r, 0), Is.Not.EqualTo(ExecutionState.MessageRandomness(r, 1)));
    }
}
