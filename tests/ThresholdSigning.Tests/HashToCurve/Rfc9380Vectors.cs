using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using InternetIdentity.TestSupport;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.HashToCurve;

/// <summary>Reads the RFC 9380 vector files copied into tests/vectors/bls/rfc9380.</summary>
public static class Rfc9380Vectors
{
    public const string G1Ro = "BLS12381G1_XMD_SHA-256_SSWU_RO_.json";
    public const string G1Nu = "BLS12381G1_XMD_SHA-256_SSWU_NU_.json";
    public const string G2Ro = "BLS12381G2_XMD_SHA-256_SSWU_RO_.json";

    public static JsonElement Load(string file)
    {
        string text = File.ReadAllText(RepoPaths.Vector("bls", "rfc9380", file));
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>One hash-to-curve case: the suite DST and one element of its "vectors" array.</summary>
    public sealed record Case(string Dst, JsonElement Vector)
    {
        public byte[] Message => Encoding.UTF8.GetBytes(Vector.GetProperty("msg").GetString()!);

        public byte[] DstBytes => Encoding.UTF8.GetBytes(Dst);

        public override string ToString()
        {
            string msg = Vector.GetProperty("msg").GetString()!;
            return msg.Length > 20 ? msg[..20] + "…" : "\"" + msg + "\"";
        }
    }

    public static IEnumerable<Case> Cases(string file)
    {
        JsonElement root = Load(file);
        string dst = root.GetProperty("dst").GetString()!;
        foreach (JsonElement v in root.GetProperty("vectors").EnumerateArray())
        {
            yield return new Case(dst, v);
        }
    }

    public static Fp ParseFp(string hex) =>
        Fp.FromBigInteger(BigInteger.Parse("0" + hex.Replace("0x", "", StringComparison.Ordinal),
            NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    /// <summary>"0xc0,0xc1" as an F_p2 element.</summary>
    public static Fp2 ParseFp2(string text)
    {
        string[] parts = text.Split(',');
        return new Fp2(ParseFp(parts[0]), ParseFp(parts[1]));
    }

    public static G1Affine ParseG1(JsonElement point) =>
        new(ParseFp(point.GetProperty("x").GetString()!), ParseFp(point.GetProperty("y").GetString()!));

    public static G2Affine ParseG2(JsonElement point) =>
        new(ParseFp2(point.GetProperty("x").GetString()!), ParseFp2(point.GetProperty("y").GetString()!));
}
