using CsCheck;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.Fields;

public class FpWideTests
{
    private static readonly Gen<Fp> GenFp = FpTests.GenValue.Select(Fp.FromBigInteger);

    // Values at the top of the range stress the carries and the p·2^384 corrections.
    private static readonly Fp[] s_edges = [Fp.Zero, Fp.One, -Fp.One, -Fp.One - Fp.One, Fp.FromUInt64(ulong.MaxValue)];

    [Test]
    public void Reduce_Products_MatchesMontgomeryMultiply()
    {
        Gen.Select(GenFp, GenFp).Sample((a, b) => FpWide.Multiply(a, b).Reduce() == a * b, iter: 2000);
        foreach (Fp a in s_edges)
        {
            foreach (Fp b in s_edges)
            {
                Assert.That(FpWide.Multiply(a, b).Reduce(), Is.EqualTo(a * b), $"{a} * {b}");
            }
        }
    }

    [Test]
    public void Square_RandomAndEdgeValues_MatchesMultiply()
    {
        GenFp.Sample(a => FpWide.Square(a).Reduce() == a * a && a.Square() == a * a, iter: 2000);
        foreach (Fp a in s_edges)
        {
            Assert.That(a.Square(), Is.EqualTo(a * a), $"{a}^2");
            Assert.That(a.Square().ToBigInteger(), Is.EqualTo(a.ToBigInteger() * a.ToBigInteger() % Fp.Modulus), $"{a}^2");
        }

        // All-ones limbs (an unreduced value below 2^384, as products of unreduced sums see) square exactly.
        var allOnes = new Fp(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, 0x3fffffffffffffff);
        Assert.That(FpWide.Square(allOnes), Is.EqualTo(FpWide.Multiply(allOnes, allOnes)));
        Assert.That(FpWide.Square(Fp.Zero), Is.EqualTo(FpWide.Multiply(Fp.Zero, Fp.Zero)));
    }

    [Test]
    public void AddAndSubtract_ProductSums_MatchFieldArithmetic()
    {
        Gen.Select(GenFp, GenFp, GenFp, GenFp).Sample((a, b, c, d) =>
        {
            FpWide x = FpWide.Multiply(a, b), y = FpWide.Multiply(c, d);
            return (x + y).Reduce() == a * b + c * d
                && (x - y).Reduce() == a * b - c * d
                && (y - x).Reduce() == c * d - a * b
                && (x + y + x + y - x).Reduce() == a * b + c * d + c * d;
        }, iter: 2000);
        FpWide max = FpWide.Multiply(-Fp.One, -Fp.One);
        Assert.That((max + max + max).Reduce(), Is.EqualTo(Fp.FromUInt64(3)));
        Assert.That((FpWide.Multiply(Fp.Zero, Fp.Zero) - max).Reduce(), Is.EqualTo(-Fp.One));
    }

    [Test]
    public void Fp2Wide_MultiplyAndSquare_MatchFp2()
    {
        Gen.Select(Fp2Tests.GenFp2, Fp2Tests.GenFp2).Sample((a, b) =>
            Fp2Wide.Multiply(a, b).Reduce() == a * b
            && Fp2Wide.Square(a).Reduce() == a.Square()
            && Fp2Wide.Multiply(a, b).MulByNonresidue().Reduce() == (a * b).MulByNonresidue()
            && Fp2Wide.MultiplyReduced(a, b) == a * b
            && Fp2Wide.SquareReduced(a) == a.Square()
            && Fp2Wide.MultiplyReduced(a, b.C1) == a * b.C1, iter: 1000);
        foreach (Fp x in s_edges)
        {
            foreach (Fp y in s_edges)
            {
                var a = new Fp2(x, y);
                var b = new Fp2(y, -Fp.One);
                Assert.That(Fp2Wide.Multiply(a, b).Reduce(), Is.EqualTo(a * b), $"{a} * {b}");
                Assert.That(Fp2Wide.Multiply(a, a).Reduce(), Is.EqualTo(a.Square()), $"{a}^2");
            }
        }
    }

    [Test]
    public void AddUnreduced_MaximalValues_MultipliesLikeTheReducedSum()
    {
        Gen.Select(GenFp, GenFp, GenFp).Sample((a, b, c) =>
            FpWide.Multiply(FpWide.AddUnreduced(a, b), c).Reduce() == (a + b) * c, iter: 1000);
        Fp max = -Fp.One;
        Fp twoMax = FpWide.AddUnreduced(max, max);
        Assert.That(FpWide.Multiply(twoMax, twoMax).Reduce(), Is.EqualTo((max + max) * (max + max)));
    }
}
