using System.Text.Json;
using InternetIdentity.TestSupport;

namespace InternetIdentity.ThresholdSigning.Tests;

/// <summary>tests/vectors/bls/min_sig_vectors.json, parsed once.</summary>
internal static class BlsVectors
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("bls", "min_sig_vectors.json"))).RootElement);

    public static JsonElement Block(string name) => s_root.Value.GetProperty(name);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);

    public static string ToHex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
