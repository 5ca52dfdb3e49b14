using System.Formats.Cbor;
using InternetIdentity.Protocol.Cbor;

namespace InternetIdentity.Protocol.Envelopes;

/// <summary>
/// The <c>/api/v2/status</c> body: the DER root key and replica details; <c>replica_health_reason</c> (not in the IC's
/// interface, which agents skip) says why a replica is not healthy.
/// </summary>
public sealed record StatusResponse(byte[]? RootKey, string? ImplVersion = null, string? ReplicaHealthStatus = null, ulong? CertifiedHeight = null,
    string? ReplicaHealthReason = null)
{
    /// <summary>The CBOR body with the self-describe tag.</summary>
    public byte[] Encode()
    {
        CborWriter w = IcCbor.CreateWriter();
        w.WriteStartMap((RootKey is null ? 0 : 1) + (ImplVersion is null ? 0 : 1) + (ReplicaHealthStatus is null ? 0 : 1) + (CertifiedHeight is null ? 0 : 1)
            + (ReplicaHealthReason is null ? 0 : 1));
        if (RootKey is not null)
        {
            w.WriteTextString("root_key");
            w.WriteByteString(RootKey);
        }

        if (ImplVersion is not null)
        {
            w.WriteTextString("impl_version");
            w.WriteTextString(ImplVersion);
        }

        if (ReplicaHealthStatus is not null)
        {
            w.WriteTextString("replica_health_status");
            w.WriteTextString(ReplicaHealthStatus);
        }

        if (CertifiedHeight is not null)
        {
            w.WriteTextString("certified_height");
            w.WriteUInt64(CertifiedHeight.Value);
        }

        if (ReplicaHealthReason is not null)
        {
            w.WriteTextString("replica_health_reason");
            w.WriteTextString(ReplicaHealthReason);
        }

        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>Decodes a status body (unknown fields skipped); throws <see cref="CborFormatException"/>.</summary>
    public static StatusResponse Decode(ReadOnlyMemory<byte> cbor) => IcCbor.Decode(cbor, reader =>
    {
        byte[]? rootKey = null;
        string? version = null, health = null, reason = null;
        ulong? height = null;
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "root_key": rootKey = IcCbor.ReadBlob(reader); break;
                case "impl_version": version = IcCbor.ReadText(reader); break;
                case "replica_health_status": health = IcCbor.ReadText(reader); break;
                case "certified_height": height = IcCbor.ReadNat64(reader); break;
                case "replica_health_reason": reason = IcCbor.ReadText(reader); break;
                default: IcCbor.SkipValue(reader); break;
            }
        });
        return new StatusResponse(rootKey, version, health, height, reason);
    }, "status response");
}
