using System.Numerics;
using System.Text.Json;
using CsCheck;
using InternetIdentity.TestSupport;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Pairing;
using InternetIdentity.ThresholdSigning.Tests.Fields;
using static InternetIdentity.ThresholdSigning.Tests.Pairing.TestCurveMath;

namespace InternetIdentity.ThresholdSigning.Tests.Pairing;

public class OptimalAteTests
{
    private static readonly Lazy<Gt> s_base = new(() => OptimalAte.Pair(G1, G2));

    private static Gt Base => s_base.Value;

    private static Gt Pow(Gt g, BigInteger e) => new(g.Value.Pow(Words(BigInteger.Remainder(e, R) + R)));

    private static readonly Gen<BigInteger> GenSmallScalar = Gen.ULong[1, ulong.MaxValue].Select(v => new BigInteger(v));

    [Test]
    public void Pair_Generators_MatchesPublishedValue()
    {
        JsonElement value = JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("bls", "pairing", "gt_generator.json")))
            .RootElement.GetProperty("e_g1_g2");
        Fp2 Coefficient(string fp6, string fp2) =>
            new(Hex(value.GetProperty($"{fp6}.{fp2}.c0").GetString()!), Hex(value.GetProperty($"{fp6}.{fp2}.c1").GetString()!));
        Fp6 Half(string fp6) => new(Coefficient(fp6, "c0"), Coefficient(fp6, "c1"), Coefficient(fp6, "c2"));
        var expected = new Fp12(Half("c0"), Half("c1"));

        Assert.That(Base.Value, Is.EqualTo(expected));
    }

    [Test]
    public void FinalExponentiation_RandomValues_EqualsPowerThreeTimesPTwelveMinusOneOverR()
    {
        BigInteger exponent = 3 * (BigInteger.Pow(Fp.Modulus, 12) - 1) / R;
        ulong[] words = Words(exponent);
        Fp12Tests.GenFp12.Where(f => !f.IsZero).Sample(f =>
            OptimalAte.FinalExponentiation(f).Value == f.Pow(words), iter: 3);
    }

    [Test]
    public void Pair_Generators_IsNonDegenerateOfOrderR()
    {
        Assert.That(Base.IsOne, Is.False);
        Assert.That(Pow(Base, R).IsOne, Is.True);
    }

    [Test]
    public void Pair_ScalarMultiples_IsBilinear()
    {
        Gen.Select(GenSmallScalar, GenSmallScalar).Sample((a, b) =>
            OptimalAte.Pair(Multiply(G1, a), Multiply(G2, b)) == Pow(Base, a * b), iter: 3);
    }

    [Test]
    public void Pair_VectorMultiples_IsBilinear()
    {
        // [k]G1 and [k]G2 from the dfinity/ic vectors: e([i]G1, [j]G2) = e(G1, G2)^(ij), also for negative i.
        JsonElement g1s = Generators.GetProperty("g1_times_1_to_5");
        JsonElement g1Negs = Generators.GetProperty("g1_times_minus_1_to_minus_5");
        JsonElement g2s = Generators.GetProperty("g2_times_1_to_4");
        Assert.That(DecompressG1(g1s[0].GetString()!), Is.EqualTo(G1));
        Assert.That(DecompressG2(g2s[0].GetString()!), Is.EqualTo(G2));
        for (int i = 1; i <= 3; i++)
        {
            G1Affine p = DecompressG1(g1s[i - 1].GetString()!);
            G1Affine pNeg = DecompressG1(g1Negs[i - 1].GetString()!);
            Assert.That(p, Is.EqualTo(Multiply(G1, i)), "our test scalar multiplication agrees with the vectors");
            for (int j = 1; j <= 4; j++)
            {
                G2Affine q = DecompressG2(g2s[j - 1].GetString()!);
                Assert.That(OptimalAte.Pair(p, q), Is.EqualTo(Pow(Base, i * j)), $"e([{i}]G1, [{j}]G2)");
                Assert.That(OptimalAte.Pair(pNeg, q), Is.EqualTo(Pow(Base, -i * j)), $"e([-{i}]G1, [{j}]G2)");
            }
        }
    }

    [Test]
    public void Pair_SwappedScalars_Agree()
    {
        GenSmallScalar.Sample(a =>
            OptimalAte.Pair(Multiply(G1, a), G2) == OptimalAte.Pair(G1, Multiply(G2, a)), iter: 3);
    }

    [Test]
    public void Pair_WrongScalar_Differs()
    {
        Assert.That(OptimalAte.Pair(Multiply(G1, 3), G2), Is.Not.EqualTo(OptimalAte.Pair(G1, Multiply(G2, 4))));
        Assert.That(OptimalAte.Pair(G1.Negate(), G2), Is.Not.EqualTo(Base));
        Assert.That(OptimalAte.Pair(G1.Negate(), G2), Is.EqualTo(Base.Inverse()));
    }

    [Test]
    public void Pair_Infinity_IsOne()
    {
        Assert.That(OptimalAte.Pair(G1Affine.Infinity, G2).IsOne, Is.True);
        Assert.That(OptimalAte.Pair(G1, G2Affine.Infinity).IsOne, Is.True);
        Assert.That(OptimalAte.Pair(G1Affine.Infinity, G2Affine.Infinity).IsOne, Is.True);
    }

    [Test]
    public void PairingProduct_SeveralPairs_EqualsProductOfPairings()
    {
        Gen.Select(GenSmallScalar, GenSmallScalar, GenSmallScalar).Sample((a, b, c) =>
        {
            G1Affine p1 = Multiply(G1, a), p2 = Multiply(G1, b);
            G2Affine q1 = Multiply(G2, c), q2 = G2;
            (G1Affine, G2Prepared)[] pairs =
                [(p1, G2Prepared.FromAffine(q1)), (p2, G2Prepared.FromAffine(q2)), (G1, G2Prepared.FromAffine(q1))];
            Gt expected = OptimalAte.Pair(p1, q1) * OptimalAte.Pair(p2, q2) * OptimalAte.Pair(G1, q1);
            return OptimalAte.PairingProduct(pairs) == expected && expected == Pow(Base, a * c + b + c);
        }, iter: 2);
    }

    [Test]
    public void PairingProductIsOne_SignatureShapedCheck_AcceptsAndRejects()
    {
        // The shape of a min-sig verification: e(σ, -G2) · e(H, pk) == 1 with σ = [sk]H and pk = [sk]G2.
        BigInteger sk = 0x1234_5678_9abc_def1, h = 0x0fed_cba9_8765_4321;
        G1Affine hm = Multiply(G1, h);
        G1Affine sigma = Multiply(hm, sk);
        G2Prepared minusG2 = G2Prepared.FromAffine(G2.Negate());
        G2Prepared pk = G2Prepared.FromAffine(Multiply(G2, sk));

        Assert.That(OptimalAte.PairingProductIsOne([(sigma, minusG2), (hm, pk)]), Is.True);
        Assert.That(OptimalAte.PairingProductIsOne([(Multiply(hm, sk + 1), minusG2), (hm, pk)]), Is.False);
        Assert.That(OptimalAte.PairingProductIsOne([(sigma, minusG2), (Multiply(G1, h + 1), pk)]), Is.False);
        Assert.That(OptimalAte.PairingProductIsOne([(sigma, minusG2), (hm, G2Prepared.FromAffine(G2))]), Is.False);
    }

    [Test]
    public void PairingProductIsOne_InfinityAndEmpty_ContributeOne()
    {
        G2Prepared g2 = G2Prepared.FromAffine(G2);
        G2Prepared infinity = G2Prepared.FromAffine(G2Affine.Infinity);
        Assert.That(infinity.IsInfinity, Is.True);
        Assert.That(OptimalAte.PairingProductIsOne([]), Is.True);
        Assert.That(OptimalAte.PairingProductIsOne([(G1Affine.Infinity, g2), (G1, infinity)]), Is.True);
        Assert.That(OptimalAte.PairingProductIsOne([(G1, g2), (G1.Negate(), g2), (G1, infinity)]), Is.True);
        Assert.That(OptimalAte.PairingProductIsOne([(G1, g2), (G1Affine.Infinity, g2)]), Is.False);
        Assert.That(OptimalAte.PairingProduct([(G1, g2), (G1Affine.Infinity, g2), (G1, infinity)]), Is.EqualTo(Base));
    }

    [Test]
    public void PairingProduct_NullPrepared_Throws()
    {
        Assert.That(() => OptimalAte.PairingProductIsOne([(G1, null!)]), Throws.ArgumentNullException);
    }

    [Test]
    public void G2Prepared_Reused_GivesSameResults()
    {
        G2Prepared q = G2Prepared.FromAffine(Multiply(G2, 7));
        Gt first = OptimalAte.PairingProduct([(G1, q)]);
        Gt second = OptimalAte.PairingProduct([(Multiply(G1, 2), q)]);
        Gt third = OptimalAte.PairingProduct([(G1, q)]);
        Assert.That(first, Is.EqualTo(Pow(Base, 7)));
        Assert.That(second, Is.EqualTo(Pow(Base, 14)));
        Assert.That(third, Is.EqualTo(first));
        Assert.That(OptimalAte.PairingProduct([(G1, q), (G1, q)]), Is.EqualTo(second));
    }

    [Test]
    public void G2Prepared_FiniteAndInfinity_HaveExpectedLines()
    {
        Assert.That(G2Prepared.FromAffine(G2).Lines, Has.Length.EqualTo(G2Prepared.LineCount));
        Assert.That(G2Prepared.FromAffine(G2).IsInfinity, Is.False);
        Assert.That(G2Prepared.FromAffine(G2Affine.Infinity).Lines, Is.Empty);
    }

    [Test]
    public void MillerLoop_Infinity_IsOneBeforeFinalExponentiation()
    {
        Assert.That(OptimalAte.MillerLoop([(G1Affine.Infinity, G2Prepared.FromAffine(G2))]).IsOne, Is.True);
        Assert.That(OptimalAte.MillerLoop([(G1, G2Prepared.FromAffine(G2))]).IsOne, Is.False);
    }

    [Test]
    public void Gt_GroupOperations_Behave()
    {
        Assert.That(Base * Base.Inverse(), Is.EqualTo(Gt.One));
        Assert.That(Gt.One.IsOne, Is.True);
        Assert.That(Base * Gt.One, Is.EqualTo(Base));
        Assert.That(Base == Pow(Base, R + 1), Is.True);
        Assert.That(Base != Pow(Base, 2), Is.True);
    }
}
