using CsCheck;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.HashToCurve;
using InternetIdentity.ThresholdSigning.Tests.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.HashToCurve;

public class MapToCurveG2Tests
{
    private static readonly Gen<Fp2> GenFp2 = Fp2Tests.GenFp2;

    private static IEnumerable<Rfc9380Vectors.Case> G2Ro() => Rfc9380Vectors.Cases(Rfc9380Vectors.G2Ro);

    private static Fp2 U(Rfc9380Vectors.Case c, int i) =>
        Rfc9380Vectors.ParseFp2(c.Vector.GetProperty("u")[i].GetString()!);

    private static G2Affine Point(Rfc9380Vectors.Case c, string name) => Rfc9380Vectors.ParseG2(c.Vector.GetProperty(name));

    [TestCaseSource(nameof(G2Ro))]
    public void MapToCurveG2_RoVector_MatchesQ0AndQ1(Rfc9380Vectors.Case c)
    {
        Assert.That(SswuG2.MapToCurveG2(U(c, 0)), Is.EqualTo(Point(c, "Q0")));
        Assert.That(SswuG2.MapToCurveG2(U(c, 1)), Is.EqualTo(Point(c, "Q1")));
    }

    [TestCaseSource(nameof(G2Ro))]
    public void MapToCurveSumG2_RoVector_EqualsQ0PlusQ1(Rfc9380Vectors.Case c)
    {
        var u = new Fp2[2];
        HashToField.HashToFp2(c.Message, c.DstBytes, u);
        G2Affine expected = AffineReference.Add(Point(c, "Q0"), Point(c, "Q1"));

        Assert.That(SswuG2.MapToCurveSumG2(u[0], u[1]), Is.EqualTo(expected));
        Assert.That(SswuG2.MapToCurveSumG2Projective(u[0], u[1]).ToAffine(), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(G2Ro))]
    public void HashToG2_RoVector_ClearedSumMatchesP(Rfc9380Vectors.Case c)
    {
        var u = new Fp2[2];
        HashToField.HashToFp2(c.Message, c.DstBytes, u);
        G2Projective sum = SswuG2.MapToCurveSumG2Projective(u[0], u[1]);

        Assert.That(sum.ClearCofactor().ToAffine(), Is.EqualTo(Point(c, "P")));
    }

    [Test]
    public void MapToCurveG2_RandomU_IsOnE2()
    {
        GenFp2.Sample(u => SswuG2.MapToCurveG2(u) is { IsInfinity: false, IsOnCurve: true }, iter: 30);
    }

    [Test]
    public void MapToIsogenousCurve_RandomU_MatchesStraightLineRfcMap()
    {
        GenFp2.Sample(u => ReferenceSwu(u) == IsogenousAffine(u), iter: 30);
    }

    [Test]
    public void MapToCurveSumG2_RandomPair_EqualsAffineSum()
    {
        Gen.Select(GenFp2, GenFp2).Sample(
            (u0, u1) => SswuG2.MapToCurveSumG2(u0, u1).Equals(
                AffineReference.Add(SswuG2.MapToCurveG2(u0), SswuG2.MapToCurveG2(u1))),
            iter: 20);
    }

    [Test]
    public void MapToCurveSumG2_SameU_Doubles()
    {
        GenFp2.Sample(u =>
        {
            G2Affine q = SswuG2.MapToCurveG2(u);
            return SswuG2.MapToCurveSumG2(u, u).Equals(AffineReference.Add(q, q));
        }, iter: 10);
    }

    [Test]
    public void MapToCurveSumG2_NegatedU_GivesIdentity()
    {
        GenFp2.Where(u => !u.IsZero).Sample(
            u => SswuG2.MapToCurveSumG2(u, -u).IsInfinity && SswuG2.MapToCurveSumG2Projective(u, -u).IsIdentity,
            iter: 10);
    }

    [Test]
    public void MapToCurveG2_ZeroU_FollowsRfcExceptionalCase()
    {
        // -1/Z is not a square in F_p2 (Z is a non-square, -1 a square), so u = 0 is the only exceptional input.
        Assert.That((-E2Prime.Z.Invert()).TrySqrt(out _), Is.False);
        (Fp2 x, Fp2 y) = IsogenousAffine(Fp2.Zero);

        Assert.That(x, Is.EqualTo(E2Prime.B * (E2Prime.Z * E2Prime.A).Invert()));
        Assert.That((x, y), Is.EqualTo(ReferenceSwu(Fp2.Zero)));
        Assert.That(SswuG2.MapToCurveG2(Fp2.Zero).IsOnCurve, Is.True);
    }

    private static (Fp2 X, Fp2 Y) IsogenousAffine(Fp2 u)
    {
        SimplifiedSwu<Fp2, E2Prime>.Map(u, out Fp2 xn, out Fp2 xd, out Fp2 y);
        return (xn * xd.Invert(), y);
    }

    // RFC 9380 §6.6.2 map_to_curve_simple_swu written the plain way (inversion, is_square, sqrt).
    private static (Fp2 X, Fp2 Y) ReferenceSwu(Fp2 u)
    {
        Fp2 a = E2Prime.A, b = E2Prime.B, z = E2Prime.Z;
        Fp2 zu2 = z * u.Square();
        Fp2 denominator = zu2.Square() + zu2;
        Fp2 x1 = denominator.IsZero ? b * (z * a).Invert() : -b * a.Invert() * (Fp2.One + denominator.Invert());
        Fp2 gx1 = x1.Square() * x1 + a * x1 + b;
        Fp2 x2 = zu2 * x1;
        Fp2 gx2 = x2.Square() * x2 + a * x2 + b;
        bool gx1Square = gx1.TrySqrt(out Fp2 y1);
        Fp2 x = x1, y = y1;
        if (!gx1Square)
        {
            Assert.That(gx2.TrySqrt(out y), Is.True);
            x = x2;
        }

        if (u.Sgn0 != y.Sgn0)
        {
            y = -y;
        }

        return (x, y);
    }
}
