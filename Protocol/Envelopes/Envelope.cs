using System.Formats.Cbor;
using InternetIdentity.Protocol.Cbor;

namespace InternetIdentity.Protocol.Envelopes;

/// <summary>
/// A request envelope: <c>tag55799 {content, sender_pubkey?, sender_sig?, sender_delegation?}</c>, the body of call, query
/// and read_state requests.
/// </summary>
public sealed record Envelope(
    RequestContent Content,
    byte[]? SenderPublicKey = null,
    byte[]? SenderSignature = null,
    IReadOnlyList<SignedDelegation>? SenderDelegation = null)
{
    /// <summary>Decodes an envelope (tag 55799 optional); throws <see cref="CborFormatException"/>.</summary>
    public static Envelope Decode(ReadOnlyMemory<byte> cbor) => IcCbor.Decode(cbor, reader =>
    {
        RequestContent? content = null;
        byte[]? pubkey = null, sig = null;
        List<SignedDelegation>? delegations = null;
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "content": content = RequestContent.Read(reader); break;
                case "sender_pubkey": pubkey = IcCbor.ReadBlob(reader); break;
                case "sender_sig": sig = IcCbor.ReadBlob(reader); break;
                case "sender_delegation":
                    delegations = [];
                    IcCbor.ReadArray(reader, () => delegations.Add(SignedDelegation.Read(reader)));
                    break;
                default: IcCbor.SkipValue(reader); break;
            }
        });
        return new Envelope(content ?? throw new CborFormatException("envelope has no content"), pubkey, sig, delegations);
    }, "envelope");

    /// <summary>The CBOR encoding with the self-describe tag.</summary>
    public byte[] Encode()
    {
        CborWriter writer = IcCbor.CreateWriter();
        writer.WriteStartMap(1 + (SenderPublicKey is null ? 0 : 1) + (SenderSignature is null ? 0 : 1) + (SenderDelegation is null ? 0 : 1));
        writer.WriteTextString("content");
        Content.Write(writer);
        if (SenderPublicKey is not null)
        {
            writer.WriteTextString("sender_pubkey");
            writer.WriteByteString(SenderPublicKey);
        }

        if (SenderSignature is not null)
        {
            writer.WriteTextString("sender_sig");
            writer.WriteByteString(SenderSignature);
        }

        if (SenderDelegation is not null)
        {
            writer.WriteTextString("sender_delegation");
            writer.WriteStartArray(SenderDelegation.Count);
            foreach (SignedDelegation d in SenderDelegation)
            {
                d.Write(writer);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndMap();
        return writer.Encode();
    }
}
