using System.Buffers.Binary;
using System.Security.Cryptography;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.SubnetLoad;

/// <summary>
/// Pre-signed query envelopes for a lean replay client (bench/query-load): each client's <c>get_principal</c> of its own
/// anchor, signed by its device key as the dapp's agent signs it. The file is "IIQ1", then per envelope a 2-byte
/// big-endian length and the URL path, a 4-byte big-endian length and the CBOR envelope.
/// </summary>
internal static class QueryEnvelopes
{
    private static readonly byte[] Magic = "IIQ1"u8.ToArray();

    /// <summary>
    /// Envelopes for <paramref name="clients"/>, <paramref name="perClient"/> each, in client order round-robin.
    /// <paramref name="distinct"/>: each with its own 8-byte nonce; otherwise no nonce and the expiry rounded down to
    /// the minute as agent-js does, so a client's envelopes are all the same bytes.
    /// </summary>
    public static List<byte[]> Sign(IReadOnlyList<(Ed25519Sender Device, ulong Anchor)> clients, int perClient, bool distinct, ulong nowNanos)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perClient, 1);
        const ulong minute = 60UL * 1_000_000_000;
        // 4 minutes ahead (the replica takes at most 5 minutes plus drift); agent-js rounds to the minute.
        ulong expiry = nowNanos + 4 * minute;
        if (!distinct)
        {
            expiry -= expiry % minute;
        }

        var envelopes = new byte[clients.Count * perClient][];
        Parallel.For(0, envelopes.Length, i =>
        {
            (Ed25519Sender device, ulong anchor) = clients[i % clients.Count];
            RequestContent content = RequestContent.Call(RequestType.Query, device.Principal, IiInterface.CanisterId, "get_principal",
                IiInterface.GetPrincipalArg(anchor), expiry, distinct ? RandomNumberGenerator.GetBytes(8) : null);
            envelopes[i] = device.Sign(content);
        });
        return [.. envelopes];
    }

    /// <summary>Writes the envelopes, all for <paramref name="canister"/>'s v2 query endpoint, in the replay file format.</summary>
    public static void Write(Stream output, Principal canister, IEnumerable<byte[]> envelopes)
    {
        ArgumentNullException.ThrowIfNull(output);
        byte[] path = System.Text.Encoding.ASCII.GetBytes($"/api/v2/canister/{canister}/query");
        Span<byte> length = stackalloc byte[4];
        output.Write(Magic);
        foreach (byte[] envelope in envelopes)
        {
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)path.Length);
            output.Write(length[..2]);
            output.Write(path);
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)envelope.Length);
            output.Write(length);
            output.Write(envelope);
        }
    }
}
