using System.Numerics;
using CsCheck;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Tests.Pairing;

namespace InternetIdentity.ThresholdSigning.Tests.Fields;

public class Fp12Tests
{
    internal static readonly Gen<Fp12> GenFp12 =
        Gen.Select(Fp6Tests.GenFp6, Fp6Tests.GenFp6).Select((a, b) => new Fp12(a, b));

    private static readonly BigInteger P = Fp.Modulus;

    // Elements of the cyclotomic subgroup: f^((p^6 - 1)(p^2 + 1)) for non-zero f.
    internal static readonly Gen<Fp12> GenCyclotomic = GenFp12.Where(f => !f.IsZero).Select(f =>
    {
        Fp12 g = f.Conjugate() * f.Invert();
        return g.FrobeniusMap(2) * g;
    });

    private static Fp12 Schoolbook(Fp12 a, Fp12 b) => new(
        a.C0 * b.C0 + (a.C1 * b.C1).MulByNonresidue(),
        a.C0 * b.C1 + a.C1 * b.C0);

    [Test]
    public void Multiply_RandomValues_MatchesSchoolbookAndSquare()
    {
        Gen.Select(GenFp12, GenFp12).Sample((a, b) =>
            a * b == Schoolbook(a, b) && a.Square() == Schoolbook(a, a), iter: 200);
    }

    [Test]
    public void FieldLaws_RandomValues_Hold()
    {
        Gen.Select(GenFp12, GenFp12, GenFp12).Sample((a, b, c) =>
            (a * b) * c == a * (b * c)
            && a * b == b * a
            && a * (b + c) == a * b + a * c
            && (a - b) + b == a
            && a + (-a) == Fp12.Zero
            && a * Fp12.One == a, iter: 100);
    }

    [Test]
    public void Invert_NonZero_GivesOne()
    {
        GenFp12.Where(a => !a.IsZero).Sample(a => a * a.Invert() == Fp12.One, iter: 30);
        Assert.That(Fp12.Zero.Invert(), Is.EqualTo(Fp12.Zero));
    }

    [Test]
    public void InvertVartime_RandomValuesAndZero_MatchesInvert()
    {
        GenFp12.Sample(a => a.InvertVartime() == a.Invert() && a.C0.InvertVartime() == a.C0.Invert(), iter: 20);
        Assert.That(Fp12.Zero.InvertVartime(), Is.EqualTo(Fp12.Zero));
        Assert.That(Fp12.One.InvertVartime(), Is.EqualTo(Fp12.One));
        Assert.That(Fp6.Zero.InvertVartime(), Is.EqualTo(Fp6.Zero));
    }

    [Test]
    public void MulBy014_RandomValues_MatchesFullProduct()
    {
        Gen.Select(GenFp12, Fp2Tests.GenFp2, Fp2Tests.GenFp2, Fp2Tests.GenFp2).Sample((a, c0, c1, c4) =>
        {
            var sparse = new Fp12(new Fp6(c0, c1, Fp2.Zero), new Fp6(Fp2.Zero, c4, Fp2.Zero));
            return a.MulBy014(c0, c1, c4) == a * sparse;
        }, iter: 200);
    }

    [Test]
    public void MulBy014Pair_RandomValues_MatchesTwoSparseProducts()
    {
        Gen.Select(GenFp12, Fp2Tests.GenFp2, Fp2Tests.GenFp2, Fp2Tests.GenFp2, Fp2Tests.GenFp2).Sample((a, c0, c1, c4, d) =>
        {
            // The second line's coefficients derived from the first keep the generator within its arity.
            Fp2 d1 = d * c0, d4 = d + c1;
            return a.MulBy014Pair(c0, c1, c4, d, d1, d4) == a.MulBy014(c0, c1, c4).MulBy014(d, d1, d4);
        }, iter: 200);
    }

    [Test]
    public void FrobeniusMap_RandomValues_EqualsPowerOfP()
    {
        GenFp12.Sample(a =>
            a.FrobeniusMap(1) == a.Pow(TestCurveMath.Words(P))
            && a.FrobeniusMap(2) == a.Pow(TestCurveMath.Words(P * P))
            && a.FrobeniusMap(3) == a.Pow(TestCurveMath.Words(P * P * P)), iter: 3);
    }

    [Test]
    public void Conjugate_RandomValues_EqualsPowerOfPToTheSixth()
    {
        GenFp12.Sample(a => a.Conjugate() == a.Pow(TestCurveMath.Words(BigInteger.Pow(P, 6))), iter: 2);
    }

    [Test]
    public void CyclotomicSquare_CyclotomicElements_EqualsSquare()
    {
        GenCyclotomic.Sample(g => g.CyclotomicSquare() == g.Square(), iter: 50);
    }

    [Test]
    public void CyclotomicSquare_GeneralElement_DiffersFromSquare()
    {
        // Granger–Scott relies on the norm condition; a random element outside the subgroup must not pass by luck.
        GenFp12.Sample(a => a.CyclotomicSquare() != a.Square(), iter: 20);
    }

    [Test]
    public void CyclotomicExpByX_CyclotomicElements_EqualsPow()
    {
        GenCyclotomic.Sample(g =>
            g.CyclotomicExpByXMagnitude() == g.Pow([Fp12.BlsXMagnitude])
            && g.CyclotomicExpByX() * g.CyclotomicExpByXMagnitude() == Fp12.One, iter: 10);
    }

    [Test]
    public void CompressedSquare_CyclotomicElements_DecompressesToRepeatedSquares()
    {
        GenCyclotomic.Sample(g =>
        {
            Span<CompressedCyclotomic> compressed = stackalloc CompressedCyclotomic[3];
            CompressedCyclotomic c = CompressedCyclotomic.From(g);
            compressed[0] = c;
            c = c.Square();
            compressed[1] = c;
            for (int i = 0; i < 5; i++)
            {
                c = c.Square();
            }

            compressed[2] = c;
            Span<Fp12> full = stackalloc Fp12[3];
            CompressedCyclotomic.DecompressBatch(compressed, full);
            Fp12 expected = g.CyclotomicSquare();
            bool ok = full[0] == g && full[1] == expected;
            for (int i = 0; i < 5; i++)
            {
                expected = expected.CyclotomicSquare();
            }

            return ok && full[2] == expected;
        }, iter: 20);
    }

    [Test]
    public void CompressedSquare_One_StaysOne()
    {
        CompressedCyclotomic one = CompressedCyclotomic.From(Fp12.One).Square().Square();
        Span<Fp12> full = stackalloc Fp12[1];
        CompressedCyclotomic.DecompressBatch([one], full);
        Assert.That(full[0], Is.EqualTo(Fp12.One));
        Assert.That(Fp12.One.CyclotomicExpByXMagnitudeCompressed(), Is.EqualTo(Fp12.One));
    }

    [Test]
    public void DecompressBatch_WrongOutputLength_Throws()
    {
        Fp12[] output = new Fp12[2];
        Assert.Throws<ArgumentException>(() => CompressedCyclotomic.DecompressBatch([CompressedCyclotomic.From(Fp12.One)], output));
    }

    [Test]
    public void CyclotomicExpByXMagnitudeCompressed_CyclotomicElements_EqualsGrangerScottChain()
    {
        GenCyclotomic.Sample(g => g.CyclotomicExpByXMagnitudeCompressed() == g.CyclotomicExpByXMagnitude(), iter: 10);
    }
}
