using System.Numerics;
using CsCheck;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.Curves;

public class GlvTests
{
    private static readonly BigInteger Z = BigInteger.Parse("0ac45a4010001a4020000000100000000", System.Globalization.NumberStyles.HexNumber);

    private static BigInteger FromWords(ReadOnlySpan<ulong> w)
    {
        BigInteger v = 0;
        for (int i = w.Length - 1; i >= 0; i--)
        {
            v = (v << 64) | w[i];
        }

        return v;
    }

    private static bool SplitRecombines(Fr k)
    {
        Span<ulong> words = stackalloc ulong[4];
        Span<ulong> k1 = stackalloc ulong[2];
        Span<ulong> q = stackalloc ulong[2];
        k.GetCanonicalWords(words);
        Glv.Split(words, k1, q);
        BigInteger a = FromWords(k1), b = FromWords(q);
        return a < Z && b < Z && a + b * Z == k.ToBigInteger();
    }

    [Test]
    public void Split_RandomScalars_RecombinesWithHalvesBelowZ()
    {
        G1Tests.GenScalar.Sample(SplitRecombines, iter: 2000);
    }

    [Test]
    public void Split_EdgeScalars_Recombine()
    {
        foreach (Fr k in new[] { Fr.Zero, Fr.One, -Fr.One, Fr.FromBigInteger(Z), Fr.FromBigInteger(Z - 1), Fr.FromBigInteger(Z * Z) })
        {
            Assert.That(SplitRecombines(k), Is.True, k.ToString());
        }
    }

    [Test]
    public void Z_IsXSquaredAndRIsZSquaredMinusZPlusOne()
    {
        BigInteger x = 0xd201000000010000;
        Assert.That(Z, Is.EqualTo(x * x));
        Assert.That(Fr.Modulus, Is.EqualTo(Z * Z - Z + 1));
    }
}
