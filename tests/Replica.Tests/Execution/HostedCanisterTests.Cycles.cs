using System.Numerics;
using System.Text;
using InternetIdentity.CanisterRuntime;
using InternetIdentity.CanisterRuntime.Execution;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.Execution;

/// <summary>Opt-in cycles charging: the IC's fees, its out-of-cycles refusal, free queries, and top-up.</summary>
public partial class HostedCanisterTests
{
    // What an update may cost at most with this network's instruction limit: withdrawn before it runs.
    private static readonly UInt128 Prepayment = CyclesCosts.Execution(CanisterLimits.Default.UpdateInstructions);

    private static ExecutionState NewChargingState()
    {
        ExecutionState state = NewState();
        state.ChargeCycles = true;
        return state;
    }

    private Principal CreateAndInstall(ExecutionState state, BigInteger cycles)
    {
        Principal id = CreateCanister(state, Developer, new ProvisionalCreateCanisterArgs(Amount: cycles));
        AssertReplied(Manage(state, Developer, "install_code", Install(id, new CanisterInstallMode.Install())));
        return id;
    }

    private BigInteger Balance(ExecutionState state, Principal id) =>
        Replied<CanisterStatusResult>(Manage(state, Developer, "canister_status", Id(id))).Cycles;

    private static UInt128 Induction(string method, byte[] arg) => CyclesCosts.IngressInduction((ulong)(Encoding.UTF8.GetByteCount(method) + arg.Length));

    [Test]
    public void ChargeCycles_Off_CallsLeaveTheBalanceAlone()
    {
        using ExecutionState state = NewState();
        Principal id = CreateAndInstall(state, 1_000_000);
        for (int i = 1; i <= 3; i++)
        {
            Assert.That(Nat(Run(state, Stranger, id, "inc", NoArgs)), Is.EqualTo(new BigInteger(i)));
        }

        Assert.That(state.ChargeCycles, Is.False, "off by default");
        Assert.That(Balance(state, id), Is.EqualTo(new BigInteger(1_000_000)));
    }

    [Test]
    public void ChargeCycles_On_BalanceAfterCallsMatchesTheFormula()
    {
        const int Calls = 3;
        BigInteger initial = 100_000_000_000;

        // The same counter on a state that charges nothing, run directly, tells the instructions each inc uses (they are
        // deterministic: the same module and the same calls).
        var instructions = new List<ulong>();
        using (ExecutionState free = NewState())
        {
            Principal twin = CreateAndInstall(free, initial);
            var wasm = ((HostedCanister)free.Canister(twin)!.Canister).Wasm!;
            for (int i = 0; i < Calls; i++)
            {
                ExecutionResult result = wasm.ExecuteUpdate(new IncomingCall(Stranger.ToArray(), "inc", NoArgs, free.TimeNanos + 1_000_000));
                Assert.That(result.Error, Is.Null);
                instructions.Add(result.Instructions);
            }
        }

        using ExecutionState state = NewChargingState();
        Principal id = CreateAndInstall(state, initial);
        Assert.That(Balance(state, id), Is.EqualTo(initial), "install code and management calls are free");
        for (int i = 1; i <= Calls; i++)
        {
            Assert.That(Nat(Run(state, Stranger, id, "inc", NoArgs)), Is.EqualTo(new BigInteger(i)));
        }

        Assert.That(Query(state, id, "get"), Is.EqualTo(new BigInteger(Calls)));
        UInt128 charged = 0;
        foreach (ulong used in instructions)
        {
            Assert.That(used, Is.GreaterThan(0UL));
            charged += Induction("inc", NoArgs) + CyclesCosts.UpdateMessageExecution + (UInt128)used * 4 / 10;
        }

        Assert.That(Balance(state, id), Is.EqualTo(initial - (BigInteger)charged), "queries are free, updates pay induction and execution");
    }

    [Test]
    public void ChargeCycles_SmallBalance_RunsOutWithIC0207AndTopUpRefillsIt()
    {
        using ExecutionState state = NewChargingState();
        BigInteger initial = (BigInteger)Prepayment + 20_000_000;
        Principal id = CreateAndInstall(state, initial);

        int succeeded = 0;
        RequestStatus refused;
        while (true)
        {
            refused = Run(state, Stranger, id, "inc", NoArgs);
            if (!refused.IsReplied)
            {
                break;
            }

            Assert.That(++succeeded, Is.LessThan(10), "a balance of the prepayment and 20M runs out within a few calls");
        }

        Assert.That(succeeded, Is.GreaterThan(0));
        Assert.That(refused.RejectCode, Is.EqualTo(2), "SYS_TRANSIENT");
        Assert.That(refused.ErrorCode, Is.EqualTo("IC0207"));
        BigInteger left = Balance(state, id);
        Assert.That(refused.RejectMessage, Does.StartWith($"Canister {id} is out of cycles: please top up the canister with at least "));
        Assert.That(refused.RejectMessage, Does.EndWith(" additional cycles"));
        BigInteger shortfall = BigInteger.Parse(refused.RejectMessage!.Split(' ')[^3]);
        Assert.That(shortfall, Is.GreaterThan(BigInteger.Zero));
        Assert.That(left + shortfall, Is.EqualTo((BigInteger)Prepayment).Or.EqualTo((BigInteger)Induction("inc", NoArgs)),
            "the shortfall is what the execution or the induction needs beyond the balance");
        Assert.That(Query(state, id, "get"), Is.EqualTo(new BigInteger(succeeded)), "queries are free, and the refused call changed nothing");

        AssertReplied(Manage(state, Stranger, "provisional_top_up_canister", CandidArgs.Encode(new TopUpArgs(CandidPrincipal.FromPrincipal(id), 1_000_000_000_000))));
        Assert.That(Balance(state, id), Is.EqualTo(left + 1_000_000_000_000));
        Assert.That(Nat(Run(state, Stranger, id, "inc", NoArgs)), Is.EqualTo(new BigInteger(succeeded + 1)));
    }

    [Test]
    public void ChargeCycles_OutOfCycles_CallFromAnotherCanisterIsRejectedWithIC0207()
    {
        using ExecutionState state = NewChargingState();
        Principal counter = CreateAndInstall(state, 1_000_000);
        Principal caller = CreateCanister(state, Developer, new ProvisionalCreateCanisterArgs(Amount: 1_000_000_000_000));
        AssertReplied(Manage(state, Developer, "install_code", Install(caller, new CanisterInstallMode.Install(), MotokoCanisters.Caller)));

        RequestStatus status = Run(state, Developer, caller, "callInc", CandidArgs.Encode(CandidPrincipal.FromPrincipal(counter)));
        Assert.That(status.IsReplied, Is.False);
        Assert.That(status.RejectMessage, Does.Contain($"Canister {counter} is out of cycles: please top up the canister with at least {(BigInteger)Prepayment - 1_000_000} additional cycles"));
        Assert.That(Balance(state, counter), Is.EqualTo(new BigInteger(1_000_000)), "a refused call costs the callee nothing");
        Assert.That(Balance(state, caller), Is.LessThan(new BigInteger(1_000_000_000_000)), "the caller paid for its executions");
    }

    [Test]
    public void ChargeCycles_TwoReplicas_AgreeOnBalancesAndStateRoot()
    {
        SubnetTopology topology = SubnetTopology.From(TestSubnets.Create(4)[0]);
        (BigInteger Balance, byte[] Root) Replay()
        {
            _nextRequest = 0;
            using ExecutionState state = NewChargingState();
            Principal id = CreateAndInstall(state, 50_000_000_000);
            Run(state, Developer, id, "inc", NoArgs);
            Run(state, Developer, id, "boom", NoArgs);
            Run(state, Developer, id, "inc", NoArgs);
            return (Balance(state, id), state.BuildTree(topology).Digest.ToArray());
        }

        (BigInteger balance, byte[] root) = Replay();
        (BigInteger otherBalance, byte[] otherRoot) = Replay();
        Assert.That(balance, Is.LessThan(new BigInteger(50_000_000_000)), "a trapped message is charged too");
        Assert.That(otherBalance, Is.EqualTo(balance));
        Assert.That(otherRoot, Is.EqualTo(root));
    }
}
