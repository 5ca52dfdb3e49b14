using InternetIdentity.Replica.Genesis;

namespace InternetIdentity.Replica.Tests;

/// <summary>Deterministic subnets for tests (keys from a seeded generator; genesis itself uses the OS).</summary>
internal static class TestSubnets
{
    private static readonly Dictionary<(int, int), IReadOnlyList<GenesisConfig>> s_cache = [];

    /// <summary>An n-replica subnet from a seed; cached because dealings cost a few G2 multiplications each.</summary>
    public static IReadOnlyList<GenesisConfig> Create(int replicas, int seed = 1)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue((replicas, seed), out IReadOnlyList<GenesisConfig>? configs))
            {
                var random = new Random(seed);
                configs = GenesisBuilder.Create(replicas, "127.0.0.1", 0, random.NextBytes);
                s_cache[(replicas, seed)] = configs;
            }

            return configs;
        }
    }

    /// <summary>Peer frames for <paramref name="config"/>'s replica in a fresh epoch (counter 1 up).</summary>
    public static Replica.Cluster.PeerFrames Frames(GenesisConfig config, long epoch = 1) => Replica.Cluster.PeerFrames.For(config, epoch);
}
