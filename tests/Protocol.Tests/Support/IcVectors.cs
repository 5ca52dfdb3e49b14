using System.Text.Json;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Protocol.Tests.Support;

/// <summary>Loads the copied IC vectors from tests/vectors/ic.</summary>
internal static class IcVectors
{
    public static JsonElement Json(string file) => JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("ic", file))).RootElement;

    public static byte[] Hex(this JsonElement e) => Convert.FromHexString(e.GetString()!);

    public static byte[] Hex(this JsonElement e, string property) => Convert.FromHexString(e.GetProperty(property).GetString()!);

    public static string Str(this JsonElement e, string property) => e.GetProperty(property).GetString()!;

    /// <summary>The bytes of a certificate file: .bin as is, .hex decoded.</summary>
    public static byte[] CertificateFile(string name)
    {
        string path = RepoPaths.Vector("ic", "certificates", name);
        return name.EndsWith(".hex", StringComparison.Ordinal)
            ? Convert.FromHexString(File.ReadAllText(path).Trim())
            : File.ReadAllBytes(path);
    }

    public static byte[] MainnetRootKeyDer => Json("ic_root_key.json").Hex("mainnet_root_key_der_hex");
}
