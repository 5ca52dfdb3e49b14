using CsCheck;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.HashToCurve;
using InternetIdentity.ThresholdSigning.Tests.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.HashToCurve;

public class SqrtRatioTests
{
    private static readonly Gen<Fp> GenFp = FpTests.GenValue.Select(Fp.FromBigInteger);
    private static readonly Gen<Fp> GenNonZeroFp = GenFp.Where(v => !v.IsZero);
    private static readonly Gen<Fp2> GenFp2 = Fp2Tests.GenFp2;
    private static readonly Gen<Fp2> GenNonZeroFp2 = GenFp2.Where(v => !v.IsZero);

    private static readonly Fp Z1 = E1Prime.Z;
    private static readonly Fp2 Z2 = E2Prime.Z;

    // RFC 9380 sqrt_ratio contract: (true, sqrt(u/v)) if u/v is square, else (false, sqrt(Z·u/v)).
    private static bool FpContractHolds(Fp u, Fp v)
    {
        bool isQr = SqrtRatio.OverFp(u, v, out Fp y);
        return isQr == (u * v.Invert()).IsSquare() && y.Square() * v == (isQr ? u : Z1 * u);
    }

    private static bool Fp2ContractHolds(Fp2 u, Fp2 v)
    {
        bool isQr = SqrtRatio.OverFp2(u, v, out Fp2 y);
        return isQr == (u * v.Invert()).TrySqrt(out _) && y.Square() * v == (isQr ? u : Z2 * u);
    }

    [Test]
    public void PowPMinus3Over4_RandomX_MatchesBinaryPow()
    {
        GenFp.Sample(x => SqrtRatio.PowPMinus3Over4(x) == x.Pow(Fp.PMinus3Over4), iter: 30);
    }

    [Test]
    public void OverFp_RandomInputs_FollowsContract()
    {
        Gen.Select(GenFp, GenNonZeroFp).Sample(FpContractHolds, iter: 100);
    }

    [Test]
    public void OverFp_SquareRatioAndZero_ReturnTrue()
    {
        Gen.Select(GenFp, GenNonZeroFp).Sample((w, v) => FpContractHolds(w.Square() * v, v), iter: 30);
        Assert.That(SqrtRatio.OverFp(Fp.Zero, Fp.One, out Fp y), Is.True);
        Assert.That(y.IsZero, Is.True);
    }

    [Test]
    public void OverFp2_RandomInputs_FollowsContract()
    {
        Gen.Select(GenFp2, GenNonZeroFp2).Sample(Fp2ContractHolds, iter: 100);
    }

    [Test]
    public void OverFp2_SquareRatio_ReturnsTrue()
    {
        Gen.Select(GenFp2, GenNonZeroFp2).Sample((w, v) => Fp2ContractHolds(w.Square() * v, v), iter: 30);
    }

    [Test]
    public void OverFp2_RatioInBaseField_FollowsContract()
    {
        // u·conj(v) in F_p takes the separate branch (the complex method would divide by zero there); both
        // squares and non-squares of F_p are squares in F_p2.
        Gen.Select(GenFp, GenNonZeroFp2).Sample((r, v) => Fp2ContractHolds(new Fp2(r, Fp.Zero) * v, v), iter: 30);
        Assert.That(Fp2ContractHolds(new Fp2(-Fp.One, Fp.Zero), Fp2.One), Is.True);
        Assert.That(Fp2ContractHolds(new Fp2(Fp.FromUInt64(4), Fp.Zero), Fp2.One), Is.True);
    }

    [Test]
    public void OverFp2_PureImaginaryAndZero_FollowContract()
    {
        Gen.Select(GenFp, GenNonZeroFp2).Sample((r, v) => Fp2ContractHolds(new Fp2(Fp.Zero, r), v), iter: 30);
        Assert.That(SqrtRatio.OverFp2(Fp2.Zero, Fp2.One, out Fp2 y), Is.True);
        Assert.That(y.IsZero, Is.True);
    }
}
