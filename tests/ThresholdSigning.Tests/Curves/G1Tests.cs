using System.Numerics;
using CsCheck;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.Curves;

public class G1Tests
{
    internal static readonly Gen<Fr> GenScalar = Gen.Byte.Array[32].Select(b => Fr.FromBigEndianReduced(b));

    [Test]
    public void Generator_Compressed_MatchesIcVector()
    {
        string expected = BlsVectors.Block("generators").GetProperty("g1_times_1_to_5")[0].GetString()!;
        Assert.That(BlsVectors.ToHex(G1Projective.Generator.ToAffine().ToCompressed()), Is.EqualTo(expected));
    }

    [Test]
    public void SmallMultiples_AllMethods_MatchIcVectors()
    {
        var block = BlsVectors.Block("generators");
        G1Projective acc = G1Projective.Identity;
        for (int k = 1; k <= 5; k++)
        {
            acc += G1Projective.Generator;
            string plus = block.GetProperty("g1_times_1_to_5")[k - 1].GetString()!;
            string minus = block.GetProperty("g1_times_minus_1_to_minus_5")[k - 1].GetString()!;
            Fr s = Fr.FromUInt64((ulong)k);
            Assert.That(BlsVectors.ToHex(acc.ToAffine().ToCompressed()), Is.EqualTo(plus), $"sum k={k}");
            Assert.That(BlsVectors.ToHex(G1Projective.Generator.Multiply(s).ToAffine().ToCompressed()), Is.EqualTo(plus), $"ct k={k}");
            Assert.That(BlsVectors.ToHex(G1Projective.Generator.MultiplyVartime(s).ToAffine().ToCompressed()), Is.EqualTo(plus), $"vt k={k}");
            Assert.That(BlsVectors.ToHex(G1Projective.Generator.Multiply(-s).ToAffine().ToCompressed()), Is.EqualTo(minus), $"neg k={k}");
        }
    }

    [Test]
    public void Multiply_GroupOrder_GivesIdentity()
    {
        Fr rMinus1 = -Fr.One;
        Assert.That((G1Projective.Generator.Multiply(rMinus1) + G1Projective.Generator).IsIdentity, Is.True);
        Assert.That(G1Projective.Generator.MultiplyVartime(rMinus1), Is.EqualTo(-G1Projective.Generator));
    }

    [Test]
    public void Multiply_ConstantTimeAndVartime_Agree()
    {
        Gen.Select(GenScalar, GenScalar).Sample((a, b) =>
        {
            G1Projective p = G1Projective.Generator.MultiplyVartime(a);
            return p.Multiply(b).Equals(p.MultiplyVartime(b)) && p.Multiply(b).Equals(G1Projective.Generator.MultiplyVartime(a * b));
        }, iter: 30);
    }

    [Test]
    public void GroupLaws_RandomPoints_Hold()
    {
        Gen.Select(GenScalar, GenScalar, GenScalar).Sample((a, b, c) =>
        {
            G1Projective p = G1Projective.Generator.MultiplyVartime(a), q = G1Projective.Generator.MultiplyVartime(b),
                r = G1Projective.Generator.MultiplyVartime(c);
            return (p + q).Equals(q + p) && ((p + q) + r).Equals(p + (q + r)) && (p + p).Equals(p.Double())
                && (p - p).IsIdentity && (p + q.ToAffine()).Equals(p + q) && (p + G1Projective.Identity).Equals(p);
        }, iter: 30);
    }

    [Test]
    public void Compression_RandomPoints_RoundTrips()
    {
        GenScalar.Sample(a =>
        {
            G1Affine p = G1Projective.Generator.MultiplyVartime(a).ToAffine();
            return G1Affine.TryFromCompressed(p.ToCompressed(), out G1Affine q, out _) && q.Equals(p)
                && G1Affine.TryFromUncompressed(p.ToUncompressed(), out G1Affine u, out _) && u.Equals(p);
        }, iter: 30);
    }

    [Test]
    public void DeserializationEdgeCases_G1_MatchExpectedValidity()
    {
        foreach (var v in BlsVectors.Block("deserialization_edge_cases").GetProperty("vectors").EnumerateArray())
        {
            if (v.GetProperty("group").GetString() != "g1")
            {
                continue;
            }

            bool ok = G1Affine.TryFromCompressed(BlsVectors.Hex(v.GetProperty("bytes").GetString()!), out _, out string? error);
            Assert.That(ok, Is.EqualTo(v.GetProperty("valid").GetBoolean()), v.GetProperty("note").GetString() + " / " + error);
        }
    }

    [Test]
    public void TryFromCompressed_WrongLength_ReportsLength()
    {
        Assert.That(G1Affine.TryFromCompressed(new byte[47], out _, out string? error), Is.False);
        Assert.That(error, Does.Contain("48 bytes"));
        Assert.Throws<PointFormatException>(() => G1Affine.FromCompressed(new byte[48]));
    }

    [Test]
    public void TryFromUncompressed_FlagRules_AreEnforced()
    {
        byte[] good = G1Projective.Generator.ToAffine().ToUncompressed();
        byte[] withCompression = (byte[])good.Clone();
        withCompression[0] |= 0x80;
        byte[] withSort = (byte[])good.Clone();
        withSort[0] |= 0x20;
        byte[] offCurve = (byte[])good.Clone();
        offCurve[95] ^= 1;
        Assert.That(G1Affine.TryFromUncompressed(good, out _, out _), Is.True);
        Assert.That(G1Affine.TryFromUncompressed(withCompression, out _, out _), Is.False);
        Assert.That(G1Affine.TryFromUncompressed(withSort, out _, out _), Is.False);
        Assert.That(G1Affine.TryFromUncompressed(offCurve, out _, out string? error), Is.False);
        Assert.That(error, Does.Contain("not on the curve"));
    }

    [Test]
    public void IsTorsionFree_PointOfOrderThree_IsFalse()
    {
        var p = G1Projective.FromAffine(new G1Affine(Fp.Zero, Fp.FromUInt64(2)));
        Assert.That(p.IsOnCurve, Is.True);
        Assert.That(p.IsTorsionFree, Is.False);
        // 8 = -1 mod 3, so for a point of order three 8P == -P.
        Assert.That(p.Double().Double().Double().Equals(-p), Is.True);
    }

    [Test]
    public void ClearCofactor_RandomCurvePoints_LandInG1()
    {
        Gen.Byte.Array[48].Sample(seed =>
        {
            G1Projective p = RandomCurvePoint(seed);
            G1Projective cleared = p.ClearCofactor();
            // [h_eff]P computed independently with the integer 1 - x.
            BigInteger hEff = 0xd201000000010001;
            return cleared.IsTorsionFree && cleared.Equals(p.MultiplyVartime(Fr.FromBigInteger(hEff)));
        }, iter: 10);
    }

    /// <summary>A point on E1 found by trying x values from a seed (almost never in G1).</summary>
    internal static G1Projective RandomCurvePoint(byte[] seed)
    {
        Fp x = Fp.FromBigEndianReduced(seed);
        while (true)
        {
            if ((x.Square() * x + G1Affine.B).TrySqrt(out Fp y))
            {
                return G1Projective.FromAffine(new G1Affine(x, y));
            }

            x += Fp.One;
        }
    }
}
