using System.Text.Json;
using InternetIdentity.TestSupport;
using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.ThresholdSigning.Tests.Signatures;

public class KeyGenTests
{
    [Test]
    public void DeriveScalar_BlstVectors_MatchBytes()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("bls", "keygen_blst.json")));
        foreach (JsonElement v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            byte[] ikm = Convert.FromHexString(v.GetProperty("ikm").GetString()!);
            Assert.That(KeyGen.DeriveScalar(ikm).ToString(), Is.EqualTo(v.GetProperty("sk").GetString()));
        }
    }

    [Test]
    public void DeriveScalar_KeyInfo_ChangesTheKey()
    {
        byte[] ikm = new byte[32];
        Assert.That(KeyGen.DeriveScalar(ikm, "node 1"u8), Is.Not.EqualTo(KeyGen.DeriveScalar(ikm)));
    }
}
