using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.ThresholdSigning.Tests.Threshold;

public class JointFeldmanTests
{
    private static Dealing Deal(uint dealer, int t, int n)
    {
        var seed = new byte[32];
        seed[0] = (byte)dealer;
        seed[1] = 0x5a;
        return Dealing.Create(dealer, t, n, seed);
    }

    [Test]
    public void Complete_HonestDealers_JointKeyIsSumAndSharesSign()
    {
        const int n = 4, t = 3;
        List<Dealing> dealings = Enumerable.Range(0, n).Select(i => Deal((uint)i, t, n)).ToList();
        DkgResult result = JointFeldman.Complete(dealings, t, n);

        G2Projective sum = G2Projective.Identity;
        foreach (Dealing d in dealings)
        {
            sum += d.Commitments.CombinedPublicKey;
        }

        Assert.That(result.PublicKey.CombinedPublicKey.Point, Is.EqualTo(sum.ToAffine()));
        Assert.That(result.ExcludedDealers, Is.Empty);
        byte[] msg = "\ric-state-root"u8.ToArray();
        SignatureShare[] shares = result.Shares.Select(s => s.Sign(msg)).ToArray();
        Assert.That(shares.All(s => result.PublicKey.VerifyShare(s, msg)), Is.True);
        Assert.That(result.PublicKey.TryCombine(shares[1..], out Signature? sig, out _), Is.True);
        Assert.That(result.PublicKey.VerifyCombined(msg, sig!), Is.True);
    }

    [Test]
    public void Complete_DealerWithBadShare_IsExcludedAndKeyStillWorks()
    {
        const int n = 4, t = 3;
        List<Dealing> dealings = Enumerable.Range(0, n).Select(i => Deal((uint)i, t, n)).ToList();
        dealings[2] = dealings[2].WithCorruptedShare(1, Fr.FromUInt64(42));
        DkgResult result = JointFeldman.Complete(dealings, t, n);

        Assert.That(result.ExcludedDealers, Is.EqualTo(new uint[] { 2 }));
        Assert.That(result.QualifiedDealers, Is.EqualTo(new uint[] { 0, 1, 3 }));
        G2Projective expected = G2Projective.Identity;
        foreach (int i in new[] { 0, 1, 3 })
        {
            expected += dealings[i].Commitments.CombinedPublicKey;
        }

        Assert.That(result.PublicKey.CombinedPublicKey.Point, Is.EqualTo(expected.ToAffine()));
        byte[] msg = "m"u8.ToArray();
        Assert.That(result.PublicKey.TryCombine(result.Shares.Take(3).Select(s => s.Sign(msg)).ToList(), out Signature? sig, out _), Is.True);
        Assert.That(result.PublicKey.VerifyCombined(msg, sig!), Is.True);
    }

    [Test]
    public void Complete_WrongThresholdDealing_IsExcluded()
    {
        List<Dealing> dealings = [Deal(0, 2, 4), Deal(1, 2, 4), Deal(2, 3, 4), Deal(3, 2, 4)];
        Assert.That(JointFeldman.Complete(dealings, 2, 4).ExcludedDealers, Is.EqualTo(new uint[] { 2 }));
    }

    [Test]
    public void Complete_TooFewQualified_Throws()
    {
        List<Dealing> dealings = [Deal(0, 2, 4).WithCorruptedShare(0, Fr.One), Deal(1, 2, 4)];
        Assert.Throws<InvalidOperationException>(() => JointFeldman.Complete(dealings, 2, 4));
    }
}
