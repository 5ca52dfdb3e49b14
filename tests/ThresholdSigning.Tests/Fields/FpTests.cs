using System.Numerics;
using CsCheck;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.Fields;

public class FpTests
{
    private static readonly BigInteger P = Fp.Modulus;

    internal static readonly Gen<BigInteger> GenValue =
        Gen.Byte.Array[48].Select(b => new BigInteger(b, isUnsigned: true, isBigEndian: true) % P);

    [Test]
    public void Arithmetic_RandomValues_MatchesBigInteger()
    {
        Gen.Select(GenValue, GenValue).Sample((a, b) =>
        {
            Fp fa = Fp.FromBigInteger(a), fb = Fp.FromBigInteger(b);
            return (fa * fb).ToBigInteger() == a * b % P
                && (fa + fb).ToBigInteger() == (a + b) % P
                && (fa - fb).ToBigInteger() == ((a - b) % P + P) % P
                && (-fa).ToBigInteger() == (P - a) % P
                && fa.Square().ToBigInteger() == a * a % P;
        }, iter: 3000);
    }

    [Test]
    public void Multiply_EdgeValues_MatchesBigInteger()
    {
        BigInteger[] edges = [0, 1, 2, P - 1, P - 2, (P - 1) / 2, BigInteger.One << 380, (BigInteger.One << 64) - 1];
        foreach (BigInteger a in edges)
        {
            foreach (BigInteger b in edges)
            {
                Assert.That((Fp.FromBigInteger(a) * Fp.FromBigInteger(b)).ToBigInteger(), Is.EqualTo(a * b % P));
            }
        }
    }

    [Test]
    public void Invert_RandomNonZero_GivesOne()
    {
        GenValue.Where(v => !v.IsZero).Sample(a =>
        {
            Fp fa = Fp.FromBigInteger(a);
            return (fa * fa.Invert()).IsOne;
        }, iter: 50);
    }

    [Test]
    public void TrySqrt_Squares_RecoversRoot()
    {
        GenValue.Sample(a =>
        {
            Fp sq = Fp.FromBigInteger(a).Square();
            return sq.TrySqrt(out Fp r) && r.Square() == sq;
        }, iter: 50);
    }

    [Test]
    public void TryReadBigEndian_ModulusOrAbove_ReturnsFalse()
    {
        byte[] p = P.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.That(Fp.TryReadBigEndian(p, out _), Is.False);
        byte[] pMinus1 = (P - 1).ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.That(Fp.TryReadBigEndian(pMinus1, out Fp v), Is.True);
        Assert.That(v.ToBigEndian(), Is.EqualTo(pMinus1));
    }

    [Test]
    public void FromBigEndianReduced_SixtyFourBytes_MatchesBigInteger()
    {
        Gen.Byte.Array[64].Sample(b =>
            Fp.FromBigEndianReduced(b).ToBigInteger() == new BigInteger(b, isUnsigned: true, isBigEndian: true) % P, iter: 200);
    }

    [Test]
    public void InvertVartime_RandomAndEdgeValues_MatchesConstantTimeInvert()
    {
        GenValue.Sample(a => Fp.FromBigInteger(a).InvertVartime() == Fp.FromBigInteger(a).Invert(), iter: 500);
        foreach (BigInteger v in new[] { BigInteger.Zero, BigInteger.One, P - 1, (P - 1) / 2, BigInteger.One << 380 })
        {
            Assert.That(Fp.FromBigInteger(v).InvertVartime(), Is.EqualTo(Fp.FromBigInteger(v).Invert()), v.ToString("x"));
        }
    }

    [Test]
    public void InvertVartime_RepresentativesWithLongZeroRuns_GivesInverse()
    {
        // The inversion works on the Montgomery representative; whole zero words exercise its capped shifts.
        foreach (BigInteger raw in new[] { BigInteger.One << 64, BigInteger.One << 128, BigInteger.One << 320, 2, (BigInteger.One << 256) + 8 })
        {
            Fp a = Fp.RawLimbs(raw);
            Assert.That(a * a.InvertVartime(), Is.EqualTo(Fp.One), raw.ToString("x"));
        }
    }
}
