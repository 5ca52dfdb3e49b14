using InternetIdentity.CanisterRuntime.Execution;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.Replica.Execution;

/// <summary>
/// Opt-in charging of the IC's fees (<see cref="CyclesCosts"/>) to hosted canisters, off by default. It changes the
/// replicated state, so every replica of a subnet must have the same setting. As on the IC, an update message, heartbeat
/// or timer first withdraws the most its execution can cost (the base fee and the instruction limit's fee) and gets back
/// what the instructions it did not use would have cost; a canister that cannot pay is refused with
/// <c>IC0207</c>. An ingress message first pays for its induction. Response callbacks are charged what they used, down
/// to a zero balance (the IC reserves their cost when the call is made). Queries, install code and the built-in
/// canisters are free; there is no freezing threshold reserve, storage or compute allocation fee.
/// </summary>
internal sealed class CyclesCharging(CanisterTable table)
{
    /// <summary>Whether fees are charged.</summary>
    public bool Enabled { get; set; }

    private UInt128 Prepayment => CyclesCosts.Execution(table.Engine.Limits.UpdateInstructions);

    /// <summary>Takes the induction fee of an ingress message; null when paid (or charging is off), else the IC's refusal.</summary>
    public CanisterReply? ChargeIngress(HostedCanister hosted, IngressMessage m)
    {
        // The bytes the IC charges for are the message's method name and argument (as for messages it inducts on a
        // canister's behalf); the envelope's signature and sender are not counted here.
        return Enabled ? Withdraw(hosted, CyclesCosts.IngressInduction((ulong)System.Text.Encoding.UTF8.GetByteCount(m.MethodName) + (ulong)m.Arg.Length)) : null;
    }

    /// <summary>Withdraws the most an execution may cost; null when paid (or charging is off), else the IC's refusal.</summary>
    public CanisterReply? Prepay(HostedCanister hosted) => Enabled ? Withdraw(hosted, Prepayment) : null;

    /// <summary>Gives back the part of the prepayment the execution's <paramref name="instructions"/> did not use.</summary>
    public void Settle(HostedCanister hosted, ulong instructions)
    {
        if (Enabled)
        {
            UInt128 refund = Prepayment - CyclesCosts.Execution(Math.Min(instructions, table.Engine.Limits.UpdateInstructions));
            hosted.Cycles = UInt128.MaxValue - hosted.Cycles < refund ? UInt128.MaxValue : hosted.Cycles + refund;
        }
    }

    /// <summary>Charges a response callback what it used, down to a zero balance.</summary>
    public void ChargeCallback(HostedCanister hosted, ulong instructions)
    {
        if (Enabled)
        {
            UInt128 cost = CyclesCosts.Execution(instructions);
            hosted.Cycles = hosted.Cycles < cost ? 0 : hosted.Cycles - cost;
        }
    }

    private static CanisterReply? Withdraw(HostedCanister hosted, UInt128 amount)
    {
        if (hosted.Cycles < amount)
        {
            return OutOfCycles(hosted, amount);
        }

        hosted.Cycles -= amount;
        return null;
    }

    // The IC's CanisterOutOfCycles error (reject code 2, SYS_TRANSIENT), with the shortfall (no freezing threshold here).
    private static CanisterReply OutOfCycles(HostedCanister hosted, UInt128 requested) =>
        CanisterReply.Reject(RejectCode.SysTransient,
            $"Canister {hosted.Id} is out of cycles: please top up the canister with at least {requested - hosted.Cycles} additional cycles", "IC0207");
}
