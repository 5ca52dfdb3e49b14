using System.Text.Json;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.Replica.Genesis;

/// <summary>
/// One replica's configuration from genesis: its index and node key, every node's id, key and addresses, its shares of
/// the certification key (t = 2f+1) and the random-beacon key (t = f+1), and the subnet's root key and id. Loading
/// validates everything a replica relies on, so a replica never starts from an inconsistent file.
/// </summary>
public sealed class GenesisConfig
{
    /// <summary>The format tag written into every file.</summary>
    public const string FormatTag = "iinet-genesis/1";

    private GenesisConfig(int nodeIndex, NodeKey nodeKey, IReadOnlyList<PeerInfo> nodes, ThresholdKeyMaterial certification,
        ThresholdKeyMaterial beacon, byte[] rootKeyDer, Principal subnetId)
    {
        NodeIndex = nodeIndex;
        NodeKey = nodeKey;
        Nodes = nodes;
        Certification = certification;
        Beacon = beacon;
        RootKeyDer = rootKeyDer;
        SubnetId = subnetId;
    }

    /// <summary>This replica's index.</summary>
    public int NodeIndex { get; }

    /// <summary>This replica's Ed25519 node key.</summary>
    public NodeKey NodeKey { get; }

    /// <summary>All replicas of the subnet, by index.</summary>
    public IReadOnlyList<PeerInfo> Nodes { get; }

    /// <summary>The number of replicas n.</summary>
    public int Replicas => Nodes.Count;

    /// <summary>This replica's entry in <see cref="Nodes"/>.</summary>
    public PeerInfo Self => Nodes[NodeIndex];

    /// <summary>The state-certification key (threshold 2f+1).</summary>
    public ThresholdKeyMaterial Certification { get; }

    /// <summary>The random-beacon key (threshold f+1).</summary>
    public ThresholdKeyMaterial Beacon { get; }

    /// <summary>The 133-byte DER of the subnet's (root) public key: the one key clients trust.</summary>
    public byte[] RootKeyDer { get; }

    /// <summary>The subnet id: the self-authenticating id of <see cref="RootKeyDer"/>.</summary>
    public Principal SubnetId { get; }

    /// <summary>Assembles and validates a configuration (genesis and tests use this).</summary>
    /// <exception cref="GenesisConfigException">the parts are inconsistent.</exception>
    public static GenesisConfig Create(int nodeIndex, NodeKey nodeKey, IReadOnlyList<PeerInfo> nodes, ThresholdKeyMaterial certification, ThresholdKeyMaterial beacon)
    {
        ArgumentNullException.ThrowIfNull(nodeKey);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(certification);
        ArgumentNullException.ThrowIfNull(beacon);
        int n = nodes.Count;
        if (n < 1)
        {
            throw new GenesisConfigException("nodes: a subnet has at least one replica");
        }

        if (nodeIndex < 0 || nodeIndex >= n)
        {
            throw new GenesisConfigException($"nodeIndex: {nodeIndex} is not between 0 and {n - 1}");
        }

        var endpoints = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < n; i++)
        {
            PeerInfo p = nodes[i];
            if (p.Index != i)
            {
                throw new GenesisConfigException($"nodes[{i}]: index is {p.Index}, expected {i}");
            }

            if (!DerPublicKey.TryParse(p.PublicKeyDer, out DerPublicKey? der, out string? derError) || der!.Scheme != PublicKeyScheme.Ed25519)
            {
                throw new GenesisConfigException($"nodes[{i}].publicKey: not a DER Ed25519 key ({derError ?? der!.Scheme.ToString()})");
            }

            if (Principal.SelfAuthenticating(p.PublicKeyDer) != p.NodeId)
            {
                throw new GenesisConfigException($"nodes[{i}].nodeId: {p.NodeId} is not the self-authenticating id of its public key");
            }

            if (string.IsNullOrWhiteSpace(p.Host))
            {
                throw new GenesisConfigException($"nodes[{i}].host is empty");
            }

            foreach ((string what, int port) in new[] { ("httpPort", p.HttpPort), ("akkaPort", p.AkkaPort) })
            {
                if (port is < 0 or > 65535)
                {
                    throw new GenesisConfigException($"nodes[{i}].{what}: {port} is not a port number");
                }

                if (port != 0 && !endpoints.Add($"{p.Host}:{port}"))
                {
                    throw new GenesisConfigException($"nodes[{i}].{what}: {p.Host}:{port} is used twice");
                }
            }
        }

        if (!nodeKey.PublicKeyDer.AsSpan().SequenceEqual(nodes[nodeIndex].PublicKeyDer))
        {
            throw new GenesisConfigException($"nodeKey: the secret key is not the key of node {nodeIndex} ({nodes[nodeIndex].NodeId})");
        }

        CheckThreshold("certification", certification, Thresholds.High(n), nodeIndex);
        CheckThreshold("beacon", beacon, Thresholds.Low(n), nodeIndex);
        byte[] rootKeyDer = DerPublicKey.EncodeBls(certification.PublicKey.CombinedPublicKey.ToBytes());
        return new GenesisConfig(nodeIndex, nodeKey, nodes, certification, beacon, rootKeyDer, Principal.SelfAuthenticating(rootKeyDer));
    }

    private static void CheckThreshold(string name, ThresholdKeyMaterial key, int expected, int nodeIndex)
    {
        if (key.Threshold != expected)
        {
            throw new GenesisConfigException($"{name}: threshold is {key.Threshold}, but a subnet of this size needs {expected}");
        }

        if (key.Share.NodeIndex != (uint)nodeIndex)
        {
            throw new GenesisConfigException($"{name}: the share belongs to node {key.Share.NodeIndex}, not {nodeIndex}");
        }
    }

    /// <summary>Reads and validates a configuration file.</summary>
    /// <exception cref="GenesisConfigException">the file is missing, malformed or inconsistent.</exception>
    public static GenesisConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenesisConfigException($"cannot read replica configuration {path}: {e.Message}", e);
        }

        try
        {
            return Parse(text);
        }
        catch (GenesisConfigException e)
        {
            throw new GenesisConfigException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses and validates a configuration from its JSON text.</summary>
    /// <exception cref="GenesisConfigException">the text is malformed or inconsistent.</exception>
    public static GenesisConfig Parse(string json)
    {
        GenesisConfigJson? dto;
        try
        {
            dto = JsonSerializer.Deserialize(json, GenesisJsonContext.Default.GenesisConfigJson);
        }
        catch (JsonException e)
        {
            throw new GenesisConfigException("not a replica configuration (malformed JSON): " + e.Message, e);
        }

        if (dto is null)
        {
            throw new GenesisConfigException("not a replica configuration: the JSON is null");
        }

        return dto.ToConfig();
    }

    /// <summary>The JSON text of this configuration (it holds secrets: keep the file private).</summary>
    public string ToJson() => JsonSerializer.Serialize(GenesisConfigJson.From(this), GenesisJsonContext.Default.GenesisConfigJson);

    /// <summary>Writes the configuration to a file readable only by its owner where the OS allows.</summary>
    public void Save(string path)
    {
        File.WriteAllText(path, ToJson());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>The subnet's canister ranges (one range holding canister indexes 0 to 0xFFFFF, as the first mainnet subnet).</summary>
    public static CanisterRanges CanisterRanges { get; } = new([(Principal.CanisterId(0), Principal.CanisterId(0xFFFFF))]);
}
