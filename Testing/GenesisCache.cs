using InternetIdentity.Replica.Genesis;

namespace InternetIdentity.Testing;

/// <summary>
/// One genesis per replica count per process: creating one (threshold key dealings) costs far more than starting
/// replicas from it, and every network of a test run may share the subnet's keys.
/// </summary>
internal static class GenesisCache
{
    private static readonly Dictionary<int, Lazy<IReadOnlyList<GenesisConfig>>> s_configs = [];

    public static IReadOnlyList<GenesisConfig> Get(int replicas)
    {
        Lazy<IReadOnlyList<GenesisConfig>> configs;
        lock (s_configs)
        {
            if (!s_configs.TryGetValue(replicas, out configs!))
            {
                // Ports are chosen when the replicas bind (free loopback ports), not by genesis.
                configs = new Lazy<IReadOnlyList<GenesisConfig>>(() => GenesisBuilder.Create(replicas, "127.0.0.1", 0));
                s_configs[replicas] = configs;
            }
        }

        return configs.Value;
    }
}
