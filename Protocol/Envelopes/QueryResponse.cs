using System.Formats.Cbor;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.Protocol.Envelopes;

/// <summary>A node's signature on a query response: <c>{timestamp, signature, identity}</c>.</summary>
public sealed record NodeSignature(ulong TimestampNanos, byte[] Signature, Principal Identity);

/// <summary>
/// A query response: <c>{status: "replied", reply: {arg}, signatures}</c> or
/// <c>{status: "rejected", reject_code, reject_message, error_code?, signatures}</c>.
/// </summary>
public sealed record QueryResponse
{
    /// <summary>Whether the query was answered with a reply (otherwise it was rejected).</summary>
    public required bool Replied { get; init; }

    /// <summary>The Candid reply (replied only).</summary>
    public byte[]? Arg { get; init; }

    /// <summary>The reject code (rejected only).</summary>
    public RejectCode RejectCode { get; init; }

    /// <summary>The reject message (rejected only).</summary>
    public string? RejectMessage { get; init; }

    /// <summary>The optional IC error code such as <c>IC0406</c> (rejected only).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The node signatures (one today).</summary>
    public IReadOnlyList<NodeSignature> Signatures { get; init; } = [];

    /// <summary>A replied response.</summary>
    public static QueryResponse Reply(byte[] arg, IReadOnlyList<NodeSignature>? signatures = null) =>
        new() { Replied = true, Arg = arg ?? throw new ArgumentNullException(nameof(arg)), Signatures = signatures ?? [] };

    /// <summary>A rejected response.</summary>
    public static QueryResponse Reject(RejectCode code, string message, string? errorCode = null, IReadOnlyList<NodeSignature>? signatures = null) =>
        new() { Replied = false, RejectCode = code, RejectMessage = message, ErrorCode = errorCode, Signatures = signatures ?? [] };

    /// <summary>The hash a node signs for this response at <paramref name="timestampNanos"/>.</summary>
    public byte[] SignatureHash(ulong timestampNanos, RequestId requestId) => Replied
        ? QueryResponseSignatures.RepliedHash(Arg, timestampNanos, requestId)
        : QueryResponseSignatures.RejectedHash((ulong)RejectCode, RejectMessage ?? "", ErrorCode, timestampNanos, requestId);

    /// <summary>The bytes a node signs: <c>\x0Bic-response</c> || <see cref="SignatureHash"/>.</summary>
    public byte[] SignedMessage(ulong timestampNanos, RequestId requestId) => QueryResponseSignatures.SignedMessage(SignatureHash(timestampNanos, requestId));

    /// <summary>The CBOR encoding with the self-describe tag.</summary>
    public byte[] Encode()
    {
        CborWriter w = IcCbor.CreateWriter();
        w.WriteStartMap(Replied ? 3 : (ErrorCode is null ? 4 : 5));
        w.WriteTextString("status");
        w.WriteTextString(Replied ? "replied" : "rejected");
        if (Replied)
        {
            w.WriteTextString("reply");
            w.WriteStartMap(1);
            w.WriteTextString("arg");
            w.WriteByteString(Arg!);
            w.WriteEndMap();
        }
        else
        {
            w.WriteTextString("reject_code");
            w.WriteUInt64((ulong)RejectCode);
            w.WriteTextString("reject_message");
            w.WriteTextString(RejectMessage ?? "");
            if (ErrorCode is not null)
            {
                w.WriteTextString("error_code");
                w.WriteTextString(ErrorCode);
            }
        }

        w.WriteTextString("signatures");
        w.WriteStartArray(Signatures.Count);
        foreach (NodeSignature s in Signatures)
        {
            w.WriteStartMap(3);
            w.WriteTextString("timestamp");
            w.WriteUInt64(s.TimestampNanos);
            w.WriteTextString("signature");
            w.WriteByteString(s.Signature);
            w.WriteTextString("identity");
            w.WriteByteString(s.Identity.Bytes);
            w.WriteEndMap();
        }

        w.WriteEndArray();
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>Decodes a query response; throws <see cref="CborFormatException"/>.</summary>
    public static QueryResponse Decode(ReadOnlyMemory<byte> cbor) => IcCbor.Decode(cbor, reader =>
    {
        string? status = null, message = null, errorCode = null;
        byte[]? arg = null;
        ulong? code = null;
        var signatures = new List<NodeSignature>();
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "status": status = IcCbor.ReadText(reader); break;
                case "reply":
                    IcCbor.ReadMap(reader, k =>
                    {
                        if (k == "arg")
                        {
                            arg = IcCbor.ReadBlob(reader);
                        }
                        else
                        {
                            IcCbor.SkipValue(reader);
                        }
                    });
                    break;
                case "reject_code": code = IcCbor.ReadNat64(reader); break;
                case "reject_message": message = IcCbor.ReadText(reader); break;
                case "error_code": errorCode = IcCbor.ReadText(reader); break;
                case "signatures": IcCbor.ReadArray(reader, () => signatures.Add(ReadNodeSignature(reader))); break;
                default: IcCbor.SkipValue(reader); break;
            }
        });
        return status switch
        {
            "replied" => Reply(arg ?? throw new CborFormatException("replied query response has no reply.arg"), signatures),
            "rejected" => Reject((RejectCode)(code ?? throw new CborFormatException("rejected query response has no reject_code")),
                message ?? throw new CborFormatException("rejected query response has no reject_message"), errorCode, signatures),
            _ => throw new CborFormatException($"query response status '{status}' is neither replied nor rejected"),
        };
    }, "query response");

    private static NodeSignature ReadNodeSignature(CborReader reader)
    {
        ulong? timestamp = null;
        byte[]? signature = null, identity = null;
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "timestamp": timestamp = IcCbor.ReadNat64(reader); break;
                case "signature": signature = IcCbor.ReadBlob(reader); break;
                case "identity": identity = IcCbor.ReadBlob(reader); break;
                default: IcCbor.SkipValue(reader); break;
            }
        });
        if (timestamp is null || signature is null || identity is null || !Principal.TryFromBytes(identity, out Principal node))
        {
            throw new CborFormatException("a node signature needs timestamp, signature and an identity of at most 29 bytes");
        }

        return new NodeSignature(timestamp.Value, signature, node);
    }
}
