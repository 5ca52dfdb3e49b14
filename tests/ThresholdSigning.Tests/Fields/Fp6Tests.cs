using System.Numerics;
using CsCheck;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.Fields;

public class Fp6Tests
{
    internal static readonly Gen<Fp6> GenFp6 =
        Gen.Select(Fp2Tests.GenFp2, Fp2Tests.GenFp2, Fp2Tests.GenFp2).Select((a, b, c) => new Fp6(a, b, c));

    private static readonly Fp2 Xi = new(Fp.One, Fp.One);

    // Schoolbook product with v^3 = ξ, written independently of the Karatsuba code.
    private static Fp6 Schoolbook(Fp6 a, Fp6 b) => new(
        a.C0 * b.C0 + Xi * (a.C1 * b.C2 + a.C2 * b.C1),
        a.C0 * b.C1 + a.C1 * b.C0 + Xi * (a.C2 * b.C2),
        a.C0 * b.C2 + a.C1 * b.C1 + a.C2 * b.C0);

    private static Fp6 Pow(Fp6 a, BigInteger e)
    {
        Fp6 result = Fp6.One;
        for (int bit = (int)e.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = result.Square();
            if (!((e >> bit) & 1).IsZero)
            {
                result *= a;
            }
        }

        return result;
    }

    [Test]
    public void Multiply_RandomValues_MatchesSchoolbookAndSquare()
    {
        Gen.Select(GenFp6, GenFp6).Sample((a, b) =>
            a * b == Schoolbook(a, b) && a.Square() == Schoolbook(a, a), iter: 300);
    }

    [Test]
    public void Multiply_MaximalCoefficients_MatchesSchoolbook()
    {
        // Coefficients p - 1 push the unreduced sums and exact double-width terms to their bounds.
        Fp m = -Fp.One;
        var max = new Fp2(m, m);
        var maxFp6 = new Fp6(max, max, max);
        var mixed = new Fp6(max, new Fp2(m, Fp.Zero), new Fp2(Fp.Zero, m));
        Assert.That(maxFp6 * maxFp6, Is.EqualTo(Schoolbook(maxFp6, maxFp6)));
        Assert.That(maxFp6 * mixed, Is.EqualTo(Schoolbook(maxFp6, mixed)));
        Assert.That(mixed * mixed, Is.EqualTo(Schoolbook(mixed, mixed)));
        Assert.That(maxFp6.Square(), Is.EqualTo(Schoolbook(maxFp6, maxFp6)));
        Assert.That(maxFp6.MulBy01(max, max), Is.EqualTo(Schoolbook(maxFp6, new Fp6(max, max, Fp2.Zero))));
        Assert.That(mixed.MulBy01(max, new Fp2(m, Fp.Zero)), Is.EqualTo(Schoolbook(mixed, new Fp6(max, new Fp2(m, Fp.Zero), Fp2.Zero))));
    }

    [Test]
    public void FieldLaws_RandomValues_Hold()
    {
        Gen.Select(GenFp6, GenFp6, GenFp6).Sample((a, b, c) =>
            (a * b) * c == a * (b * c)
            && a * b == b * a
            && a * (b + c) == a * b + a * c
            && (a - b) + b == a
            && a + (-a) == Fp6.Zero
            && a * Fp6.One == a, iter: 200);
    }

    [Test]
    public void SparseMultiplications_RandomValues_MatchFullProduct()
    {
        Gen.Select(GenFp6, Fp2Tests.GenFp2, Fp2Tests.GenFp2).Sample((a, b0, b1) =>
            a.MulBy01(b0, b1) == a * new Fp6(b0, b1, Fp2.Zero)
            && a.MulBy1(b1) == a * new Fp6(Fp2.Zero, b1, Fp2.Zero)
            && a.MulByNonresidue() == a * new Fp6(Fp2.Zero, Fp2.One, Fp2.Zero), iter: 200);
    }

    [Test]
    public void Invert_NonZero_GivesOne()
    {
        GenFp6.Where(a => !a.IsZero).Sample(a => a * a.Invert() == Fp6.One, iter: 50);
        Assert.That(Fp6.Zero.Invert(), Is.EqualTo(Fp6.Zero));
    }

    [Test]
    public void FrobeniusMap_RandomValues_EqualsPowerOfP()
    {
        BigInteger p = Fp.Modulus;
        GenFp6.Sample(a =>
            a.FrobeniusMap(1) == Pow(a, p)
            && a.FrobeniusMap(2) == Pow(a, p * p)
            && a.FrobeniusMap(3) == Pow(a, p * p * p), iter: 5);
    }

    [Test]
    public void FrobeniusMap_InvalidPower_Throws()
    {
        Assert.That(() => Fp6.One.FrobeniusMap(4), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
