using InternetIdentity.Protocol.RequestIds;
using static InternetIdentity.Protocol.RequestIds.RepresentationIndependentHash;

namespace InternetIdentity.Protocol.Envelopes;

/// <summary>
/// The message a node signs for a query response: <c>\x0Bic-response</c> || hash_of_map of the response with its
/// timestamp and the request id.
/// </summary>
public static class QueryResponseSignatures
{
    /// <summary>hash_of_map({status: "replied", reply: {arg}, timestamp, request_id}).</summary>
    public static byte[] RepliedHash(ReadOnlySpan<byte> arg, ulong timestampNanos, RequestId requestId) =>
        Map(("status", Text("replied")), ("reply", Map(("arg", Blob(arg)))), ("timestamp", Nat(timestampNanos)), ("request_id", Blob(requestId.Bytes)));

    /// <summary>hash_of_map({status: "rejected", reject_code, reject_message, error_code?, timestamp, request_id}).</summary>
    public static byte[] RejectedHash(ulong rejectCode, string rejectMessage, string? errorCode, ulong timestampNanos, RequestId requestId)
    {
        var fields = new List<KeyValuePair<string, byte[]>>
        {
            new("status", Text("rejected")),
            new("reject_code", Nat(rejectCode)),
            new("reject_message", Text(rejectMessage)),
            new("timestamp", Nat(timestampNanos)),
            new("request_id", Blob(requestId.Bytes)),
        };
        if (errorCode is not null)
        {
            fields.Add(new("error_code", Text(errorCode)));
        }

        return Map(fields);
    }

    /// <summary>The signed bytes: <c>\x0Bic-response</c> || hash.</summary>
    public static byte[] SignedMessage(ReadOnlySpan<byte> responseHash) => DomainSeparators.Prefix(DomainSeparators.Response, responseHash);
}
