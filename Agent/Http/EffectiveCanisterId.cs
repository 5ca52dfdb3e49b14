using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Agent.Http;

/// <summary>
/// The effective canister id of a call (the canister in its URL): the called canister itself, or for a call to the
/// management canister (<c>aaaaa-aa</c>) the <c>canister_id</c> of its argument record, as agent-js derives it.
/// </summary>
public static class EffectiveCanisterId
{
    /// <summary>The effective canister id of a call to <paramref name="canister"/>.</summary>
    /// <exception cref="ArgumentException">a management call whose argument names no <c>canister_id</c>.</exception>
    public static Principal Of(Principal canister, string method, byte[] arg)
    {
        ArgumentNullException.ThrowIfNull(canister);
        ArgumentNullException.ThrowIfNull(arg);
        if (canister != Principal.ManagementCanister)
        {
            return canister;
        }

        try
        {
            // provisional_create_canister_with_cycles names no canister: its specified_id if any, else aaaaa-aa (as agent-js).
            if (method == "provisional_create_canister_with_cycles")
            {
                return CandidArgs.Decode<ProvisionalCreateCanisterArgs>(arg).SpecifiedId?.ToPrincipal() ?? Principal.ManagementCanister;
            }

            return CandidArgs.Decode<CanisterIdRecord>(arg).CanisterId.ToPrincipal();
        }
        catch (Exception e) when (e is CandidFormatException or FormatException)
        {
            throw new ArgumentException($"the argument of management call {method} has no canister_id to route it by: {e.Message}", nameof(arg), e);
        }
    }
}
