using System.Security.Cryptography;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.Replica.Genesis;

/// <summary>
/// Creates a new subnet: a node key per replica, and verifiable dealings of the certification key (t = 2f+1) and the
/// random-beacon key (t = f+1). Replica i serves HTTP on base port + i and Akka on base port + n + i.
/// </summary>
public static class GenesisBuilder
{
    /// <summary>A fresh subnet with keys from the operating system's random number generator.</summary>
    public static IReadOnlyList<GenesisConfig> Create(int replicas, string host = "127.0.0.1", int basePort = 4943) =>
        Create(replicas, host, basePort, RandomNumberGenerator.Fill);

    /// <summary>A subnet with keys from <paramref name="fillRandom"/> (tests pass a seeded source).</summary>
    public static IReadOnlyList<GenesisConfig> Create(int replicas, string host, int basePort, Action<Span<byte>> fillRandom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicas, 100);
        ArgumentNullException.ThrowIfNull(fillRandom);
        if (basePort != 0 && (basePort < 1 || basePort + 2 * replicas - 1 > 65535))
        {
            throw new ArgumentOutOfRangeException(nameof(basePort), $"ports {basePort}..{basePort + 2 * replicas - 1} are not all valid port numbers");
        }

        var keys = new NodeKey[replicas];
        var peers = new PeerInfo[replicas];
        for (int i = 0; i < replicas; i++)
        {
            keys[i] = new NodeKey(Random(fillRandom, 32));
            int http = basePort == 0 ? 0 : basePort + i;
            int akka = basePort == 0 ? 0 : basePort + replicas + i;
            peers[i] = new PeerInfo(i, keys[i].NodeId, keys[i].PublicKeyDer, host, http, akka);
        }

        Dealing certification = Dealing.Create(0, Thresholds.High(replicas), replicas, Random(fillRandom, 32));
        Dealing beacon = Dealing.Create(0, Thresholds.Low(replicas), replicas, Random(fillRandom, 32));
        var certificationKey = new ThresholdPublicKey(certification.Commitments);
        var beaconKey = new ThresholdPublicKey(beacon.Commitments);
        var configs = new GenesisConfig[replicas];
        for (int i = 0; i < replicas; i++)
        {
            configs[i] = GenesisConfig.Create(
                i,
                keys[i],
                peers,
                new ThresholdKeyMaterial("certification", certificationKey, certification.ShareFor((uint)i)),
                new ThresholdKeyMaterial("beacon", beaconKey, beacon.ShareFor((uint)i)));
        }

        return configs;
    }

    /// <summary>Writes node-0.json .. node-(n-1).json into a directory; returns the paths.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<GenesisConfig> configs, string directory)
    {
        ArgumentNullException.ThrowIfNull(configs);
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (GenesisConfig c in configs)
        {
            string path = Path.Combine(directory, FileName(c.NodeIndex));
            c.Save(path);
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>The file name of replica <paramref name="index"/>'s configuration.</summary>
    public static string FileName(int index) => $"node-{index}.json";

    private static byte[] Random(Action<Span<byte>> fill, int length)
    {
        var bytes = new byte[length];
        fill(bytes);
        return bytes;
    }

    /// <summary>The subnet id the configurations share (all replicas agree on it).</summary>
    public static Principal SubnetId(IReadOnlyList<GenesisConfig> configs) => configs[0].SubnetId;
}
