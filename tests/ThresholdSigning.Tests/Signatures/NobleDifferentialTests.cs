using System.Text.Json;
using InternetIdentity.TestSupport;
using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.ThresholdSigning.Tests.Signatures;

/// <summary>Our BLS against @noble/curves (tests/js/bls-noble.mjs), on fresh random keys and messages, both ways.</summary>
public class NobleDifferentialTests
{
    private sealed record NobleCase(string Sk, string Msg, string Pk, string Sig, string H2c, string Tampered_sig, bool Tampered_valid);

    private static readonly JsonSerializerOptions s_json = new() { PropertyNameCaseInsensitive = true };

    [Test]
    public void NobleCases_OurKeysSignaturesHashesAndVerification_Agree()
    {
        string json = NodeScript.Run("bls-noble.mjs", "", "generate", "24");
        NobleCase[] cases = JsonSerializer.Deserialize<NobleCase[]>(json, s_json)!;
        Assert.That(cases, Has.Length.EqualTo(24));
        foreach (NobleCase c in cases)
        {
            string context = "case " + JsonSerializer.Serialize(c);
            byte[] msg = Convert.FromHexString(c.Msg);
            using SecretKey sk = SecretKey.FromBytes(Convert.FromHexString(c.Sk));
            Assert.That(sk.PublicKey.ToString(), Is.EqualTo(c.Pk), context);
            Assert.That(sk.Sign(msg).ToString(), Is.EqualTo(c.Sig), context);
            Assert.That(Convert.ToHexStringLower(HashToG1.Hash(msg).ToAffine().ToCompressed()), Is.EqualTo(c.H2c), context);
            Assert.That(Bls.Verify(Convert.FromHexString(c.Pk), msg, Convert.FromHexString(c.Sig)), Is.True, context);
            Assert.That(Bls.Verify(Convert.FromHexString(c.Pk), msg, Convert.FromHexString(c.Tampered_sig)), Is.EqualTo(c.Tampered_valid), context);
        }
    }

    [Test]
    public void OurSignatures_NobleVerification_Agrees()
    {
        var seedSource = new Random(20261124);
        var items = new List<object>();
        var expected = new List<bool>();
        for (int i = 0; i < 12; i++)
        {
            var seed = new byte[32];
            seedSource.NextBytes(seed);
            using SecretKey sk = SecretKey.FromSeed(seed);
            byte[] msg = new byte[i * 11 % 90];
            seedSource.NextBytes(msg);
            byte[] sig = sk.Sign(msg).ToBytes();
            bool valid = i % 3 != 2;
            if (!valid)
            {
                msg = [.. msg, 0x42]; // the signature no longer matches the message
            }

            items.Add(new { pk = sk.PublicKey.ToString(), msg = Convert.ToHexStringLower(msg), sig = Convert.ToHexStringLower(sig) });
            expected.Add(valid);
        }

        bool[] noble = JsonSerializer.Deserialize<bool[]>(NodeScript.Run("bls-noble.mjs", JsonSerializer.Serialize(items), "verify"))!;
        Assert.That(noble, Is.EqualTo(expected), "seed 20261124");
    }
}
