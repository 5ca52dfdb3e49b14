using System.Text.Json;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.ThresholdSigning.Tests.Threshold;

public class ThresholdVectorTests
{
    private static Fr Scalar(string hex)
    {
        Assert.That(Fr.TryReadBigEndian(BlsVectors.Hex(hex), out Fr v), Is.True);
        return v;
    }

    private static IEnumerable<JsonElement> Cases() =>
        BlsVectors.Block("ic_style_threshold").GetProperty("vectors").EnumerateArray();

    [Test]
    public void IcStyleThreshold_Vectors_ReproduceSharesKeysAndCombinedSignatures()
    {
        int cases = 0;
        foreach (JsonElement v in Cases())
        {
            cases++;
            int n = v.GetProperty("n").GetInt32(), t = v.GetProperty("t").GetInt32();
            using var polynomial = new Polynomial(v.GetProperty("poly_coeffs_be32").EnumerateArray().Select(e => Scalar(e.GetString()!)).ToList());
            Dealing dealing = Dealing.FromPolynomial(0, polynomial, n);
            var key = new ThresholdPublicKey(dealing.Commitments);
            byte[] msg = BlsVectors.Hex(v.GetProperty("msg").GetString()!);

            Assert.That(key.Threshold, Is.EqualTo(t));
            Assert.That(key.CombinedPublicKey.ToString(), Is.EqualTo(v.GetProperty("master_pk").GetString()));
            string[] expectedCoefficients = v.GetProperty("public_coefficients_g2").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Assert.That(key.Coefficients.Points.Select(p => BlsVectors.ToHex(p.ToCompressed())), Is.EqualTo(expectedCoefficients));

            var shares = new Dictionary<uint, SignatureShare>();
            foreach (JsonElement s in v.GetProperty("shares").EnumerateArray())
            {
                uint index = s.GetProperty("index").GetUInt32();
                using SecretKeyShare share = dealing.ShareFor(index);
                Assert.That(BlsVectors.ToHex(share.ToBytes()), Is.EqualTo(s.GetProperty("sk_share_be32").GetString()));
                Assert.That(key.IndividualPublicKey(index).ToString(), Is.EqualTo(s.GetProperty("individual_pk").GetString()));
                SignatureShare sigShare = share.Sign(msg);
                Assert.That(sigShare.Signature.ToString(), Is.EqualTo(s.GetProperty("sig_share").GetString()));
                Assert.That(key.VerifyShare(sigShare, msg), Is.True);
                shares[index] = sigShare;
            }

            foreach (JsonElement c in v.GetProperty("combine").EnumerateArray())
            {
                uint[] indices = c.GetProperty("indices").EnumerateArray().Select(e => e.GetUInt32()).ToArray();
                Fr[] lambdas = Lagrange.CoefficientsAtZero(indices);
                Assert.That(lambdas.Select(l => l.ToString()), Is.EqualTo(c.GetProperty("lagrange_at_0_be32").EnumerateArray().Select(e => e.GetString())));
                Assert.That(key.TryCombine(indices.Select(i => shares[i]).ToList(), out Signature? combined, out _), Is.True);
                Assert.That(combined!.ToString(), Is.EqualTo(c.GetProperty("combined_sig").GetString()));
                Assert.That(key.VerifyCombined(msg, combined), Is.True);
            }
        }

        Assert.That(cases, Is.EqualTo(3));
    }
}
