using System.Buffers.Binary;
using System.Text;

namespace InternetIdentity.Consensus.Messages;

/// <summary>The exact bytes each signature covers, each under its own domain separator.</summary>
public static class SigningDomains
{
    private static readonly byte[] s_proposal = Encoding.ASCII.GetBytes("\x0Bic-proposal");
    private static readonly byte[] s_notarization = Encoding.ASCII.GetBytes("\x0Fic-notarization");
    private static readonly byte[] s_finalization = Encoding.ASCII.GetBytes("\x0Fic-finalization");
    private static readonly byte[] s_beacon = Encoding.ASCII.GetBytes("\x10ic-random-beacon");
    private static readonly byte[] s_stateRoot = Encoding.ASCII.GetBytes("\x0Dic-state-root");
    private static readonly byte[] s_catchUp = Encoding.ASCII.GetBytes("\x10ic-catch-up-pkg");

    /// <summary>What a block maker signs.</summary>
    public static byte[] Proposal(Digest blockHash) => Concat(s_proposal, -1, blockHash.ToBytes());

    /// <summary>What a notarization share signs.</summary>
    public static byte[] Notarization(long height, byte[] blockHash) => Concat(s_notarization, height, blockHash);

    /// <summary>What a finalization share signs.</summary>
    public static byte[] Finalization(long height, byte[] blockHash) => Concat(s_finalization, height, blockHash);

    /// <summary>What the random beacon at a height signs: the height and the previous beacon.</summary>
    public static byte[] RandomBeacon(long height, byte[] previousBeacon) => Concat(s_beacon, height, previousBeacon);

    /// <summary>What a certification signs: "\x0Dic-state-root" followed by the root, as clients verify it.</summary>
    public static byte[] StateRoot(byte[] root) => Concat(s_stateRoot, -1, root);

    /// <summary>What a catch-up share signs.</summary>
    public static byte[] CatchUp(long height, byte[] contentHash) => Concat(s_catchUp, height, contentHash);

    private static byte[] Concat(byte[] domain, long height, byte[] body)
    {
        int h = height >= 0 ? 8 : 0;
        byte[] result = new byte[domain.Length + h + body.Length];
        domain.CopyTo(result, 0);
        if (h > 0)
        {
            BinaryPrimitives.WriteInt64BigEndian(result.AsSpan(domain.Length), height);
        }
        body.CopyTo(result, domain.Length + h);
        return result;
    }
}
