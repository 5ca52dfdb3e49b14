using System.Numerics;
using CsCheck;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.Fields;

public class FrTests
{
    private static readonly BigInteger R = Fr.Modulus;

    private static readonly Gen<BigInteger> GenValue =
        Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true, isBigEndian: true) % R);

    [Test]
    public void Arithmetic_RandomValues_MatchesBigInteger()
    {
        Gen.Select(GenValue, GenValue).Sample((a, b) =>
        {
            Fr fa = Fr.FromBigInteger(a), fb = Fr.FromBigInteger(b);
            return (fa * fb).ToBigInteger() == a * b % R && (fa + fb).ToBigInteger() == (a + b) % R
                && (fa - fb).ToBigInteger() == ((a - b) % R + R) % R && (-fa).ToBigInteger() == (R - a) % R;
        }, iter: 3000);
    }

    [Test]
    public void Invert_NonZero_GivesOne()
    {
        GenValue.Where(v => !v.IsZero).Sample(a => Fr.FromBigInteger(a) * Fr.FromBigInteger(a).Invert() == Fr.One, iter: 100);
    }

    [Test]
    public void BatchInvert_MixedValues_MatchesSingleInversions()
    {
        Fr[] values = [Fr.FromUInt64(3), Fr.Zero, Fr.FromUInt64(7), -Fr.One];
        Fr[] expected = values.Select(v => v.Invert()).ToArray();
        Fr.BatchInvert(values);
        Assert.That(values, Is.EqualTo(expected));
    }

    [Test]
    public void TryReadBigEndian_NonCanonical_ReturnsFalse()
    {
        Assert.That(Fr.TryReadBigEndian(R.ToByteArray(isUnsigned: true, isBigEndian: true), out _), Is.False);
        byte[] rMinus1 = (R - 1).ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.That(Fr.TryReadBigEndian(rMinus1, out Fr v), Is.True);
        Assert.That(v.ToBigEndian(), Is.EqualTo(rMinus1));
        Assert.Throws<ArgumentException>(() => Fr.TryReadBigEndian(new byte[31], out _));
    }
}
