using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Genesis;
using RejectCode = InternetIdentity.Protocol.Canister.RejectCode;

namespace InternetIdentity.Replica.Gateway;

/// <summary>The replica's side of the response bodies: status, and query replies signed with the node key.</summary>
public static class GatewayResponses
{
    /// <summary>The implementation version reported by <c>/api/v2/status</c>.</summary>
    public const string ImplVersion = "iinet-0.1.0";

    /// <summary><c>/api/v2/status</c>: root key, version, health (and why, when not healthy) and certified height.</summary>
    public static byte[] Status(byte[] rootKeyDer, string health, ulong certifiedHeight, string? reason = null) =>
        new StatusResponse(rootKeyDer, ImplVersion, health, certifiedHeight, reason).Encode();

    /// <summary>
    /// A query answer signed by the node key: the signature covers <c>\x0Bic-response</c> || hash of the response with its
    /// timestamp and request id; <c>identity</c> is the node id. Rejects always carry an error code (the replica hashes it).
    /// </summary>
    public static byte[] Query(CanisterReply reply, RequestId requestId, ulong timestampNanos, NodeKey nodeKey)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(nodeKey);
        QueryResponse response = reply switch
        {
            CanisterReply.Replied r => QueryResponse.Reply(r.Candid.ToArray()),
            CanisterReply.Rejected r => QueryResponse.Reject(r.Code, r.Message, r.ErrorCode ?? DefaultErrorCode(r.Code)),
            _ => throw new ArgumentException("unknown canister reply " + reply.GetType().Name, nameof(reply)),
        };
        byte[] signature = nodeKey.Sign(response.SignedMessage(timestampNanos, requestId));
        return (response with { Signatures = [new NodeSignature(timestampNanos, signature, nodeKey.NodeId)] }).Encode();
    }

    /// <summary>The error code the IC gives a reject code when the canister named none.</summary>
    public static string DefaultErrorCode(RejectCode code) => code switch
    {
        RejectCode.DestinationInvalid => "IC0302",
        RejectCode.CanisterReject => "IC0406",
        RejectCode.CanisterError => "IC0503",
        _ => "IC0500",
    };
}
