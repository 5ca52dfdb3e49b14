using System.Formats.Cbor;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.Protocol.Envelopes;

/// <summary>
/// The 200 body of a call: the v3/v4 sync answer <c>{status: "replied", certificate}</c>, or a non-replicated rejection
/// <c>{status: "non_replicated_rejection", reject_code, reject_message, error_code?}</c> (v2 bodies carry no status).
/// </summary>
public sealed record CallResponse
{
    /// <summary>The certificate holding the request's status (sync calls that finished).</summary>
    public byte[]? Certificate { get; init; }

    /// <summary>The reject code of a non-replicated rejection.</summary>
    public RejectCode RejectCode { get; init; }

    /// <summary>The reject message of a non-replicated rejection.</summary>
    public string? RejectMessage { get; init; }

    /// <summary>The optional IC error code.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Whether this carries a certificate.</summary>
    public bool IsCertified => Certificate is not null;

    /// <summary>A certified answer.</summary>
    public static CallResponse Certified(byte[] certificate) => new() { Certificate = certificate ?? throw new ArgumentNullException(nameof(certificate)) };

    /// <summary>A non-replicated rejection.</summary>
    public static CallResponse Rejection(RejectCode code, string message, string? errorCode = null) =>
        new() { RejectCode = code, RejectMessage = message, ErrorCode = errorCode };

    /// <summary>The CBOR body with the self-describe tag; <paramref name="withStatus"/> false gives the v2 rejection body.</summary>
    public byte[] Encode(bool withStatus = true)
    {
        CborWriter w = IcCbor.CreateWriter();
        if (IsCertified)
        {
            w.WriteStartMap(2);
            w.WriteTextString("status");
            w.WriteTextString("replied");
            w.WriteTextString("certificate");
            w.WriteByteString(Certificate!);
        }
        else
        {
            w.WriteStartMap((withStatus ? 1 : 0) + 2 + (ErrorCode is null ? 0 : 1));
            if (withStatus)
            {
                w.WriteTextString("status");
                w.WriteTextString("non_replicated_rejection");
            }

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

        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>Decodes a call response body; throws <see cref="CborFormatException"/>.</summary>
    public static CallResponse Decode(ReadOnlyMemory<byte> cbor) => IcCbor.Decode(cbor, reader =>
    {
        string? status = null, message = null, errorCode = null;
        byte[]? certificate = null;
        ulong? code = null;
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "status": status = IcCbor.ReadText(reader); break;
                case "certificate": certificate = IcCbor.ReadBlob(reader); break;
                case "reject_code": code = IcCbor.ReadNat64(reader); break;
                case "reject_message": message = IcCbor.ReadText(reader); break;
                case "error_code": errorCode = IcCbor.ReadText(reader); break;
                default: IcCbor.SkipValue(reader); break;
            }
        });
        if (status == "replied" || (status is null && certificate is not null))
        {
            return Certified(certificate ?? throw new CborFormatException("replied call response has no certificate"));
        }

        if (status is null or "non_replicated_rejection" && code is not null && message is not null)
        {
            return Rejection((RejectCode)code.Value, message, errorCode);
        }

        throw new CborFormatException($"call response with status '{status}' lacks its fields");
    }, "call response");
}
