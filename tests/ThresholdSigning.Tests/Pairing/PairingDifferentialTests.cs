using System.Numerics;
using System.Text;
using CsCheck;
using InternetIdentity.TestSupport;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Pairing;
using static InternetIdentity.ThresholdSigning.Tests.Pairing.TestCurveMath;

namespace InternetIdentity.ThresholdSigning.Tests.Pairing;

/// <summary>Pairings and a multi-pairing of full-size random multiples of the generators, against @noble/curves (tests/js/bls_pairing.mjs).</summary>
public class PairingDifferentialTests
{
    private static readonly Gen<BigInteger> GenScalar =
        Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true, isBigEndian: true) % R);

    [Test]
    public void Pair_RandomMultiples_MatchesNoble()
    {
        // One seeded draw of scalars, sent to node in one batch; the seed is printed by CsCheck on failure.
        Gen.Select(GenScalar, GenScalar).Array[4].Sample(cases =>
        {
            var stdin = new StringBuilder();
            foreach (var (a, b) in cases)
            {
                stdin.Append(a.ToString("x")).Append(' ').Append(b.ToString("x")).Append('\n');
            }

            string[] lines = NodeScript.Run("bls_pairing.mjs", stdin.ToString())
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.That(lines, Has.Length.EqualTo(cases.Length));
            var pairs = new List<(G1Affine, G2Prepared)>();
            Fp12 product = Fp12.One;
            foreach (string line in lines)
            {
                Fp[] v = line.Split(' ').Select(Hex).ToArray();
                Assert.That(v, Has.Length.EqualTo(18));
                var p = new G1Affine(v[0], v[1]);
                var q = new G2Affine(new Fp2(v[2], v[3]), new Fp2(v[4], v[5]));
                Assert.That(p.IsOnCurve && q.IsOnCurve, Is.True);
                Fp6 Half(int at) => new(new Fp2(v[at], v[at + 1]), new Fp2(v[at + 2], v[at + 3]), new Fp2(v[at + 4], v[at + 5]));
                var expected = new Fp12(Half(6), Half(12));

                Assert.That(OptimalAte.Pair(p, q).Value, Is.EqualTo(expected));
                pairs.Add((p, G2Prepared.FromAffine(q)));
                product *= expected;
            }

            Assert.That(OptimalAte.PairingProduct(pairs.ToArray()).Value, Is.EqualTo(product), "multi-pairing");

            return true;
        }, iter: 1);
    }
}
