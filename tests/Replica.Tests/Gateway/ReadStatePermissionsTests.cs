using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Gateway;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.Gateway;

/// <summary>request_status paths of read_state: readable at the canister the call went to, for management calls at their effective canister.</summary>
public class ReadStatePermissionsTests
{
    private static readonly Principal s_sender = Principal.SelfAuthenticating([5, 5]);
    private static readonly Principal s_subnet = Principal.SelfAuthenticating([6, 6]);
    private static readonly RequestId s_id = new(Enumerable.Repeat((byte)7, 32).ToArray());

    private static GatewayError? Check(Principal calledCanister, Principal effective)
    {
        RequestStatus status = RequestStatus.Rejected(s_id, s_sender, calledCanister, 1, (int)RejectCode.CanisterReject, "no", "IC0406");
        return ReadStatePermissions.Check([["request_status"u8.ToArray(), s_id.Bytes.ToArray()]], s_sender, effective, s_subnet,
            id => id == s_id ? status : null, _ => null);
    }

    [Test]
    public void Check_ManagementCallPolledAtItsEffectiveCanister_Allowed()
    {
        Assert.That(Check(Principal.ManagementCanister, Principal.CanisterId(5)), Is.Null);
    }

    [Test]
    public void Check_CanisterCallPolledAtAnotherCanister_Forbidden()
    {
        GatewayError? error = Check(Principal.CanisterId(1), Principal.CanisterId(5));

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Message, Does.Contain("was sent to canister"));
    }
}
