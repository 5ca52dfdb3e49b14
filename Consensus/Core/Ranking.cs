using System.Collections.Immutable;
using System.Text;
using InternetIdentity.Consensus.Crypto;

namespace InternetIdentity.Consensus.Core;

/// <summary>Block-maker ranks of a height, from the previous height's random beacon.</summary>
public static class Ranking
{
    // the purpose tag "ic-block-maker-ranking" as a SipHash key, so ranking draws are independent of other uses
    private static readonly ulong s_k0 = BitConverter.ToUInt64(Encoding.ASCII.GetBytes("ic-block"));
    private static readonly ulong s_k1 = BitConverter.ToUInt64(Encoding.ASCII.GetBytes("-ranking"));

    /// <summary>
    /// Rank of every replica (index = replica, value = rank 0..n-1): a permutation drawn from a generator seeded by a
    /// keyed pseudorandom function of the previous beacon, which is itself unpredictable.
    /// </summary>
    public static ImmutableArray<int> RanksFromBeacon(byte[] previousBeacon, int replicas)
    {
        ulong seed = SipHash.Hash(s_k0, s_k1, previousBeacon);
        int[] order = new DeterministicRandom(seed).Permutation(replicas);
        int[] ranks = new int[replicas];
        for (int rank = 0; rank < replicas; rank++)
        {
            ranks[order[rank]] = rank;
        }
        return [.. ranks];
    }
}
