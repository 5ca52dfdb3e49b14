using CsCheck;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.Curves;

public class G2Tests
{
    [Test]
    public void SmallMultiples_AllMethods_MatchIcVectors()
    {
        var block = BlsVectors.Block("generators");
        G2Projective acc = G2Projective.Identity;
        for (int k = 1; k <= 4; k++)
        {
            acc += G2Projective.Generator;
            string expected = block.GetProperty("g2_times_1_to_4")[k - 1].GetString()!;
            Fr s = Fr.FromUInt64((ulong)k);
            Assert.That(BlsVectors.ToHex(acc.ToAffine().ToCompressed()), Is.EqualTo(expected), $"sum k={k}");
            Assert.That(BlsVectors.ToHex(G2Projective.Generator.Multiply(s).ToAffine().ToCompressed()), Is.EqualTo(expected), $"ct k={k}");
            Assert.That(BlsVectors.ToHex(G2Projective.Generator.MultiplyVartime(s).ToAffine().ToCompressed()), Is.EqualTo(expected), $"vt k={k}");
        }
    }

    [Test]
    public void Multiply_GroupOrder_GivesIdentity()
    {
        Assert.That((G2Projective.Generator.Multiply(-Fr.One) + G2Projective.Generator).IsIdentity, Is.True);
    }

    [Test]
    public void Multiply_ConstantTimeAndVartime_Agree()
    {
        Gen.Select(G1Tests.GenScalar, G1Tests.GenScalar).Sample((a, b) =>
        {
            G2Projective p = G2Projective.Generator.MultiplyVartime(a);
            return p.Multiply(b).Equals(p.MultiplyVartime(b)) && p.Multiply(b).Equals(G2Projective.Generator.MultiplyVartime(a * b));
        }, iter: 15);
    }

    [Test]
    public void Compression_RandomPoints_RoundTrips()
    {
        G1Tests.GenScalar.Sample(a =>
        {
            G2Affine p = G2Projective.Generator.MultiplyVartime(a).ToAffine();
            return G2Affine.TryFromCompressed(p.ToCompressed(), out G2Affine q, out _) && q.Equals(p)
                && G2Affine.TryFromUncompressed(p.ToUncompressed(), out G2Affine u, out _) && u.Equals(p);
        }, iter: 15);
    }

    [Test]
    public void DeserializationEdgeCases_G2_MatchExpectedValidity()
    {
        int count = 0;
        foreach (var v in BlsVectors.Block("deserialization_edge_cases").GetProperty("vectors").EnumerateArray())
        {
            if (v.GetProperty("group").GetString() != "g2")
            {
                continue;
            }

            count++;
            bool ok = G2Affine.TryFromCompressed(BlsVectors.Hex(v.GetProperty("bytes").GetString()!), out _, out string? error);
            Assert.That(ok, Is.EqualTo(v.GetProperty("valid").GetBoolean()), v.GetProperty("note").GetString() + " / " + error);
        }

        Assert.That(count, Is.GreaterThan(0));
    }

    [Test]
    public void IsTorsionFree_RandomCurvePoint_IsFalseUntilCofactorCleared()
    {
        Gen.Byte.Array[48].Sample(seed =>
        {
            G2Projective p = RandomCurvePoint(seed);
            G2Projective cleared = p.ClearCofactor();
            return p.IsOnCurve && !p.IsTorsionFree && cleared.IsOnCurve && cleared.IsTorsionFree && !cleared.IsIdentity;
        }, iter: 5);
    }

    [Test]
    public void Psi_OnG2_ActsAsMultiplicationByX()
    {
        G2Projective q = G2Projective.Generator.MultiplyVartime(Fr.FromUInt64(12345));
        // x = -0xd201000000010000
        Fr x = -Fr.FromUInt64(0xd201000000010000);
        Assert.That(q.Psi(), Is.EqualTo(q.MultiplyVartime(x)));
    }

    [Test]
    public void TryFromCompressed_NonSubgroupPoint_IsRejected()
    {
        G2Affine p = RandomCurvePoint([1, 2, 3]).ToAffine();
        Assert.That(G2Affine.TryFromCompressed(p.ToCompressed(), out _, out string? error), Is.False);
        Assert.That(error, Does.Contain("subgroup"));
    }

    internal static G2Projective RandomCurvePoint(byte[] seed)
    {
        var x = new Fp2(Fp.FromBigEndianReduced(seed), Fp.One);
        while (true)
        {
            if ((x.Square() * x + G2Affine.B).TrySqrt(out Fp2 y))
            {
                return G2Projective.FromAffine(new G2Affine(x, y));
            }

            x += Fp2.One;
        }
    }
}
