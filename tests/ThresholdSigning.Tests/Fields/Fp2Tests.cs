using CsCheck;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.Fields;

public class Fp2Tests
{
    internal static readonly Gen<Fp2> GenFp2 =
        Gen.Select(FpTests.GenValue, FpTests.GenValue).Select((a, b) => Fp2.FromBigIntegers(a, b));

    [Test]
    public void Multiply_MatchesSchoolbook()
    {
        Gen.Select(GenFp2, GenFp2).Sample((a, b) =>
        {
            var expected = new Fp2(a.C0 * b.C0 - a.C1 * b.C1, a.C0 * b.C1 + a.C1 * b.C0);
            return a * b == expected && a.Square() == a * a;
        }, iter: 1000);
    }

    [Test]
    public void Invert_NonZero_GivesOne()
    {
        GenFp2.Where(a => !a.IsZero).Sample(a => a * a.Invert() == Fp2.One, iter: 50);
    }

    [Test]
    public void TrySqrt_Squares_RecoversRoot()
    {
        GenFp2.Sample(a =>
        {
            Fp2 sq = a.Square();
            return sq.TrySqrt(out Fp2 r) && r.Square() == sq;
        }, iter: 50);
    }

    [Test]
    public void TrySqrt_NonSquare_ReturnsFalse()
    {
        // u + 1 is the sextic non-residue, so it is not a square in Fp2.
        Assert.That(new Fp2(Fp.One, Fp.One).TrySqrt(out _), Is.False);
    }

    [Test]
    public void InvertVartime_Random_MatchesInvert()
    {
        GenFp2.Sample(a => a.InvertVartime() == a.Invert(), iter: 200);
    }
}
