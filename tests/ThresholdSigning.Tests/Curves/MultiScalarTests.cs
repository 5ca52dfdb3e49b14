using System.Numerics;
using CsCheck;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.Curves;

public class MultiScalarTests
{
    private static readonly Fr[] s_edgeScalars = [Fr.Zero, Fr.One, -Fr.One, Fr.FromUInt64(2), Fr.FromBigInteger(BigInteger.One << 128)];

    private static G1Projective NaiveSum(ReadOnlySpan<G1Projective> points, ReadOnlySpan<Fr> scalars)
    {
        G1Projective sum = G1Projective.Identity;
        for (int i = 0; i < points.Length; i++)
        {
            sum += points[i].Multiply(scalars[i]);
        }

        return sum;
    }

    private static readonly Gen<(G1Projective[], Fr[])> GenTerms =
        Gen.Int[0, 14].SelectMany(n => Gen.Select(G1Tests.GenScalar.Array[n], G1Tests.GenScalar.Array[n]))
            .Select((ps, ks) => (ps.Select(s => G1Projective.Generator.Multiply(s)).ToArray(), ks));

    [Test]
    public void MultiplySumVartime_RandomTerms_MatchesSumOfProducts()
    {
        GenTerms.Sample((points, scalars) => G1Projective.MultiplySumVartime(points, scalars).Equals(NaiveSum(points, scalars)), iter: 40);
    }

    [Test]
    public void MultiplySumVartime_EdgeScalarsAndIdentity_MatchesSumOfProducts()
    {
        G1Projective g = G1Projective.Generator;
        G1Projective h = g.Multiply(Fr.FromUInt64(12345));
        foreach (Fr a in s_edgeScalars)
        {
            foreach (Fr b in s_edgeScalars)
            {
                G1Projective[] points = [g, G1Projective.Identity, h, g];
                Fr[] scalars = [a, b, b, a];
                Assert.That(G1Projective.MultiplySumVartime(points, scalars), Is.EqualTo(NaiveSum(points, scalars)), $"{a}, {b}");
            }
        }
    }

    [Test]
    public void MultiplySumVartime_CancellingTerms_GivesIdentity()
    {
        G1Projective p = G1Projective.Generator.Multiply(Fr.FromUInt64(7));
        Fr k = Fr.FromUInt64(987654321);
        Assert.That(G1Projective.MultiplySumVartime([p, -p], [k, k]).IsIdentity, Is.True);
        Assert.That(G1Projective.MultiplySumVartime([p, p], [k, -k]).IsIdentity, Is.True);
        Assert.That(G1Projective.MultiplySumVartime([], []).IsIdentity, Is.True);
    }

    [Test]
    public void MultiplySumVartime_LengthMismatch_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => G1Projective.MultiplySumVartime([G1Projective.Generator], []));
        Assert.That(ex!.Message, Does.Contain("1 points but 0 scalars"));
    }

    [Test]
    public void MultiplySumVartime_ShortWordScalars_MatchesSumOfProducts()
    {
        G1Projective[] points = [G1Projective.Generator, G1Projective.Generator.Multiply(Fr.FromUInt64(99)), G1Projective.Identity];
        ulong[] words = [ulong.MaxValue, ulong.MaxValue, 1, 0, 0, 5];
        Fr[] asFr = [Fr.FromBigInteger((BigInteger.One << 128) - 1), Fr.One, Fr.FromBigInteger(new BigInteger(5) << 64)];
        Assert.That(G1Projective.MultiplySumVartime(points, words, 2), Is.EqualTo(NaiveSum(points, asFr)));
        Assert.Throws<ArgumentException>(() => G1Projective.MultiplySumVartime(points, words.AsSpan(1), 2));
    }
}
