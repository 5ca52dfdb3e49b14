using System.Text.Json.Serialization;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.Replica.Genesis;

/// <summary>The on-disk JSON shape of <see cref="GenesisConfig"/> (binary values in lowercase hex).</summary>
internal sealed class GenesisConfigJson
{
    public string? Format { get; set; }

    public int NodeIndex { get; set; }

    public string? SubnetId { get; set; }

    public string? RootKey { get; set; }

    public string? NodeKeySeed { get; set; }

    public List<PeerJson>? Nodes { get; set; }

    public ThresholdJson? Certification { get; set; }

    public ThresholdJson? Beacon { get; set; }

    public static GenesisConfigJson From(GenesisConfig c) => new()
    {
        Format = GenesisConfig.FormatTag,
        NodeIndex = c.NodeIndex,
        SubnetId = c.SubnetId.ToString(),
        RootKey = Convert.ToHexStringLower(c.RootKeyDer),
        NodeKeySeed = Convert.ToHexStringLower(c.NodeKey.Seed),
        Nodes = c.Nodes.Select(p => new PeerJson
        {
            Index = p.Index, NodeId = p.NodeId.ToString(), PublicKey = Convert.ToHexStringLower(p.PublicKeyDer), Host = p.Host,
            HttpPort = p.HttpPort, AkkaPort = p.AkkaPort,
        }).ToList(),
        Certification = ThresholdJson.From(c.Certification),
        Beacon = ThresholdJson.From(c.Beacon),
    };

    public GenesisConfig ToConfig()
    {
        if (Format != GenesisConfig.FormatTag)
        {
            throw new GenesisConfigException($"format: expected \"{GenesisConfig.FormatTag}\", found {(Format is null ? "nothing" : $"\"{Format}\"")}");
        }

        if (Nodes is null || Nodes.Count == 0)
        {
            throw new GenesisConfigException("nodes: missing or empty");
        }

        var nodes = new List<PeerInfo>();
        for (int i = 0; i < Nodes.Count; i++)
        {
            PeerJson p = Nodes[i];
            string at = $"nodes[{i}]";
            nodes.Add(new PeerInfo(
                p.Index,
                ParsePrincipal(p.NodeId, at + ".nodeId"),
                Hex(p.PublicKey, at + ".publicKey"),
                p.Host ?? throw new GenesisConfigException(at + ".host: missing"),
                p.HttpPort,
                p.AkkaPort));
        }

        if (NodeIndex < 0 || NodeIndex >= nodes.Count)
        {
            throw new GenesisConfigException($"nodeIndex: {NodeIndex} is not between 0 and {nodes.Count - 1}");
        }

        byte[] seed = Hex(NodeKeySeed, "nodeKeySeed");
        if (seed.Length != 32)
        {
            throw new GenesisConfigException($"nodeKeySeed: {seed.Length} bytes, expected 32");
        }

        var config = GenesisConfig.Create(
            NodeIndex,
            new NodeKey(seed),
            nodes,
            (Certification ?? throw new GenesisConfigException("certification: missing")).ToMaterial("certification", (uint)NodeIndex),
            (Beacon ?? throw new GenesisConfigException("beacon: missing")).ToMaterial("beacon", (uint)NodeIndex));
        if (RootKey is not null && !Hex(RootKey, "rootKey").AsSpan().SequenceEqual(config.RootKeyDer))
        {
            throw new GenesisConfigException("rootKey: not the combined key of the certification coefficients");
        }

        if (SubnetId is not null && ParsePrincipal(SubnetId, "subnetId") != config.SubnetId)
        {
            throw new GenesisConfigException($"subnetId: {SubnetId} is not the self-authenticating id of the root key ({config.SubnetId})");
        }

        return config;
    }

    internal static byte[] Hex(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new GenesisConfigException(field + ": missing");
        }

        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new GenesisConfigException(field + ": not hexadecimal");
        }
    }

    private static Principal ParsePrincipal(string? text, string field) =>
        Principal.TryParse(text, out Principal? p, out string? error) ? p! : throw new GenesisConfigException($"{field}: {error ?? "missing"}");
}

/// <summary>One node in the JSON file.</summary>
internal sealed class PeerJson
{
    public int Index { get; set; }

    public string? NodeId { get; set; }

    public string? PublicKey { get; set; }

    public string? Host { get; set; }

    public int HttpPort { get; set; }

    public int AkkaPort { get; set; }
}

/// <summary>A threshold key in the JSON file: threshold, public coefficients and this node's share.</summary>
internal sealed class ThresholdJson
{
    public int Threshold { get; set; }

    public string? PublicCoefficients { get; set; }

    public string? Share { get; set; }

    public static ThresholdJson From(ThresholdKeyMaterial k) => new()
    {
        Threshold = k.Threshold,
        PublicCoefficients = Convert.ToHexStringLower(k.PublicKey.Coefficients.ToBytes()),
        Share = Convert.ToHexStringLower(k.Share.ToBytes()),
    };

    public ThresholdKeyMaterial ToMaterial(string name, uint nodeIndex)
    {
        if (!ThresholdSigning.Threshold.PublicCoefficients.TryFromBytes(GenesisConfigJson.Hex(PublicCoefficients, name + ".publicCoefficients"),
                out PublicCoefficients? coefficients, out string? error))
        {
            throw new GenesisConfigException($"{name}.publicCoefficients: {error}");
        }

        if (coefficients.Threshold != Threshold)
        {
            throw new GenesisConfigException($"{name}: threshold is {Threshold} but there are {coefficients.Threshold} public coefficients");
        }

        if (!SecretKeyShare.TryFromBytes(nodeIndex, GenesisConfigJson.Hex(Share, name + ".share"), out SecretKeyShare? share))
        {
            throw new GenesisConfigException($"{name}.share: not a 32-byte canonical scalar");
        }

        ThresholdPublicKey publicKey;
        try
        {
            publicKey = new ThresholdPublicKey(coefficients);
        }
        catch (ArgumentException e)
        {
            throw new GenesisConfigException($"{name}.publicCoefficients: {e.Message}");
        }

        return new ThresholdKeyMaterial(name, publicKey, share);
    }
}

/// <summary>Source-generated JSON metadata (camelCase, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(GenesisConfigJson))]
internal sealed partial class GenesisJsonContext : JsonSerializerContext;
