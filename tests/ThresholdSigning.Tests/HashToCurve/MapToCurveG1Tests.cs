using System.Text.Json;
using CsCheck;
using InternetIdentity.TestSupport;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.HashToCurve;
using InternetIdentity.ThresholdSigning.Tests.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.HashToCurve;

public class MapToCurveG1Tests
{
    private static readonly Gen<Fp> GenFp = FpTests.GenValue.Select(Fp.FromBigInteger);

    private static IEnumerable<Rfc9380Vectors.Case> G1Ro() => Rfc9380Vectors.Cases(Rfc9380Vectors.G1Ro);

    private static IEnumerable<Rfc9380Vectors.Case> G1Nu() => Rfc9380Vectors.Cases(Rfc9380Vectors.G1Nu);

    private static Fp U(Rfc9380Vectors.Case c, int i) =>
        Rfc9380Vectors.ParseFp(c.Vector.GetProperty("u")[i].GetString()!);

    private static G1Affine Point(Rfc9380Vectors.Case c, string name) => Rfc9380Vectors.ParseG1(c.Vector.GetProperty(name));

    [TestCaseSource(nameof(G1Ro))]
    public void MapToCurveG1_RoVector_MatchesQ0AndQ1(Rfc9380Vectors.Case c)
    {
        Assert.That(SswuG1.MapToCurveG1(U(c, 0)), Is.EqualTo(Point(c, "Q0")));
        Assert.That(SswuG1.MapToCurveG1(U(c, 1)), Is.EqualTo(Point(c, "Q1")));
    }

    [TestCaseSource(nameof(G1Ro))]
    public void MapToCurveSumG1_RoVector_EqualsQ0PlusQ1(Rfc9380Vectors.Case c)
    {
        G1Affine expected = AffineReference.Add(Point(c, "Q0"), Point(c, "Q1"));

        Assert.That(SswuG1.MapToCurveSumG1(U(c, 0), U(c, 1)), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(G1Ro))]
    public void MapToCurveSumG1Projective_RoVector_EqualsQ0PlusQ1(Rfc9380Vectors.Case c)
    {
        G1Affine expected = AffineReference.Add(Point(c, "Q0"), Point(c, "Q1"));
        G1Projective sum = SswuG1.MapToCurveSumG1Projective(U(c, 0), U(c, 1));

        Assert.That(sum.IsOnCurve, Is.True);
        Assert.That(sum.ToAffine(), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(G1Ro))]
    public void HashToG1_RoVector_ClearedSumMatchesP(Rfc9380Vectors.Case c)
    {
        var u = new Fp[2];
        HashToField.HashToFp(c.Message, c.DstBytes, u);
        G1Affine p = AffineReference.ClearCofactor(SswuG1.MapToCurveSumG1(u[0], u[1]));

        Assert.That(p, Is.EqualTo(Point(c, "P")));
        // The inversion-free path with the library's own cofactor clearing gives the same point.
        Assert.That(SswuG1.MapToCurveSumG1Projective(u[0], u[1]).ClearCofactor().ToAffine(), Is.EqualTo(Point(c, "P")));
    }

    [TestCaseSource(nameof(G1Nu))]
    public void MapToCurveG1_NuVector_MatchesQAndClearsToP(Rfc9380Vectors.Case c)
    {
        G1Affine q = SswuG1.MapToCurveG1(U(c, 0));

        Assert.That(q, Is.EqualTo(Point(c, "Q")));
        Assert.That(AffineReference.ClearCofactor(q), Is.EqualTo(Point(c, "P")));
    }

    private static IEnumerable<TestCaseData> IcDstVectors()
    {
        string text = File.ReadAllText(RepoPaths.Vector("bls", "min_sig_vectors.json"));
        JsonElement block = JsonDocument.Parse(text).RootElement.GetProperty("hash_to_g1_ic_dst").Clone();
        string dst = block.GetProperty("dst").GetString()!;
        foreach (JsonElement v in block.GetProperty("vectors").EnumerateArray())
        {
            string msg = v.GetProperty("msg_hex").GetString()!;
            yield return new TestCaseData(dst, msg, v.GetProperty("P_compressed").GetString()!)
                .SetArgDisplayNames(msg.Length > 16 ? msg[..16] + "…" : "\"" + msg + "\"");
        }
    }

    [TestCaseSource(nameof(IcDstVectors))]
    public void HashToG1_IcDst_MatchesCompressedVector(string dst, string msgHex, string expected)
    {
        var u = new Fp[2];
        HashToField.HashToFp(Convert.FromHexString(msgHex), System.Text.Encoding.UTF8.GetBytes(dst), u);
        G1Affine p = AffineReference.ClearCofactor(SswuG1.MapToCurveSumG1(u[0], u[1]));

        Assert.That(Convert.ToHexStringLower(AffineReference.Compress(p)), Is.EqualTo(expected));
    }

    [Test]
    public void MapToCurveG1_RandomU_IsOnE1()
    {
        GenFp.Sample(u => SswuG1.MapToCurveG1(u) is { IsInfinity: false, IsOnCurve: true }, iter: 100);
    }

    [Test]
    public void MapToIsogenousCurve_RandomU_MatchesStraightLineRfcMap()
    {
        GenFp.Sample(u => ReferenceSwu(u) == IsogenousAffine(u), iter: 100);
    }

    [Test]
    public void MapToCurveSumG1_RandomPair_EqualsAffineSum()
    {
        Gen.Select(GenFp, GenFp).Sample(
            (u0, u1) =>
            {
                G1Affine expected = AffineReference.Add(SswuG1.MapToCurveG1(u0), SswuG1.MapToCurveG1(u1));
                return SswuG1.MapToCurveSumG1(u0, u1).Equals(expected) &&
                       SswuG1.MapToCurveSumG1Projective(u0, u1).ToAffine().Equals(expected);
            },
            iter: 50);
    }

    [Test]
    public void MapToCurveSumG1_SameU_Doubles()
    {
        GenFp.Sample(u =>
        {
            G1Affine q = SswuG1.MapToCurveG1(u);
            return SswuG1.MapToCurveSumG1(u, u).Equals(AffineReference.Add(q, q));
        }, iter: 20);
    }

    [Test]
    public void MapToCurveSumG1_NegatedU_GivesIdentity()
    {
        // map_to_curve(-u) = -map_to_curve(u): same x, and sgn0 flips the sign of y.
        GenFp.Where(u => !u.IsZero).Sample(
            u => SswuG1.MapToCurveSumG1(u, -u).IsInfinity && SswuG1.MapToCurveSumG1Projective(u, -u).IsIdentity,
            iter: 20);
    }

    [Test]
    public void MapToCurveG1_ExceptionalInputs_FollowRfc()
    {
        // tv2 = Z^2 u^4 + Z u^2 vanishes for u = 0 and u^2 = -1/Z; the RFC then uses x = B' / (Z·A').
        Assert.That((-E1Prime.Z.Invert()).TrySqrt(out Fp root), Is.True);
        foreach (Fp u in new[] { Fp.Zero, root, -root })
        {
            (Fp x, Fp y) = IsogenousAffine(u);
            Assert.That(x, Is.EqualTo(E1Prime.B * (E1Prime.Z * E1Prime.A).Invert()));
            Assert.That((x, y), Is.EqualTo(ReferenceSwu(u)));
            Assert.That(SswuG1.MapToCurveG1(u).IsOnCurve, Is.True);
        }

        Assert.That(SswuG1.MapToCurveSumG1(root, -root).IsInfinity, Is.True);
        Assert.That(SswuG1.MapToCurveSumG1Projective(root, -root).IsIdentity, Is.True);
    }

    private static (Fp X, Fp Y) IsogenousAffine(Fp u)
    {
        SimplifiedSwu<Fp, E1Prime>.Map(u, out Fp xn, out Fp xd, out Fp y);
        return (xn * xd.Invert(), y);
    }

    // RFC 9380 §6.6.2 map_to_curve_simple_swu written the plain way (inversion, is_square, sqrt).
    private static (Fp X, Fp Y) ReferenceSwu(Fp u)
    {
        Fp a = E1Prime.A, b = E1Prime.B, z = E1Prime.Z;
        Fp zu2 = z * u.Square();
        Fp denominator = zu2.Square() + zu2;
        Fp x1 = denominator.IsZero ? b * (z * a).Invert() : -b * a.Invert() * (Fp.One + denominator.Invert());
        Fp gx1 = x1.Square() * x1 + a * x1 + b;
        Fp x2 = zu2 * x1;
        Fp gx2 = x2.Square() * x2 + a * x2 + b;
        (Fp x, Fp gx) = gx1.IsSquare() ? (x1, gx1) : (x2, gx2);
        Assert.That(gx.TrySqrt(out Fp y), Is.True);
        if (u.Sgn0 != y.Sgn0)
        {
            y = -y;
        }

        return (x, y);
    }
}
