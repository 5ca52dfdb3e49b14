using System.Collections.Immutable;
using System.Text;

namespace InternetIdentity.Consensus.Core;

/// <summary>Block-maker ranks of a height, from the previous height's random beacon.</summary>
public static class Ranking
{
    private static readonly byte[] s_purpose = Encoding.ASCII.GetBytes("ic-block-maker-ranking");

    /// <summary>Rank of every replica (index = replica, value = rank 0..n-1), a permutation seeded by the beacon.</summary>
    public static ImmutableArray<int> RanksFromBeacon(byte[] previousBeacon, int replicas)
    {
        Digest seed = Digest.Sha256([.. s_purpose, .. previousBeacon]);
        int[] order = new DeterministicRandom(seed.A ^ seed.C).Permutation(replicas);
        int[] ranks = new int[replicas];
        for (int rank = 0; rank < replicas; rank++)
        {
            ranks[order[rank]] = rank;
        }
        return [.. ranks];
    }
}
