using CsCheck;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.ThresholdSigning.Tests.Threshold;

public class ThresholdPropertyTests
{
    private static byte[] Seed(int i)
    {
        var seed = new byte[32];
        BitConverter.TryWriteBytes(seed, i);
        return seed;
    }

    [Test]
    public void Combine_RandomSubsetsOfT_GiveTheSameValidSignature()
    {
        Dealing dealing = Dealing.Create(0, threshold: 3, receivers: 4, Seed(1));
        var key = new ThresholdPublicKey(dealing.Commitments);
        byte[] msg = "certify me"u8.ToArray();
        SignatureShare[] shares = Enumerable.Range(0, 4).Select(i => dealing.ShareFor((uint)i).Sign(msg)).ToArray();
        Signature? reference = null;
        Gen.Shuffle(Enumerable.Range(0, 4).ToArray(), 3).Sample(subset =>
        {
            if (!key.TryCombine(subset.Select(i => shares[i]).ToList(), out Signature? combined, out _))
            {
                return false;
            }

            reference ??= combined;
            return combined.Equals(reference) && key.VerifyCombined(msg, combined);
        }, iter: 12);
    }

    [Test]
    public void Combine_FewerThanThreshold_FailsWithReason()
    {
        Dealing dealing = Dealing.Create(0, threshold: 3, receivers: 4, Seed(2));
        var key = new ThresholdPublicKey(dealing.Commitments);
        byte[] msg = "x"u8.ToArray();
        var two = new[] { dealing.ShareFor(0).Sign(msg), dealing.ShareFor(1).Sign(msg) };
        Assert.That(key.TryCombine(two, out _, out string? error), Is.False);
        Assert.That(error, Does.Contain("threshold is 3"));
        // Interpolating t-1 shares as if the threshold were t-1 yields a signature the key rejects.
        Assert.That(ThresholdCombiner.TryCombine(two, 2, out Signature? wrong, out _), Is.True);
        Assert.That(key.VerifyCombined(msg, wrong!), Is.False);
    }

    [Test]
    public void Combine_DuplicateNode_FailsWithReason()
    {
        Dealing dealing = Dealing.Create(0, threshold: 2, receivers: 4, Seed(3));
        var key = new ThresholdPublicKey(dealing.Commitments);
        SignatureShare s = dealing.ShareFor(1).Sign("x"u8);
        Assert.That(key.TryCombine([s, s], out _, out string? error), Is.False);
        Assert.That(error, Does.Contain("same node"));
    }

    [Test]
    public void VerifyShare_ShareFromAnotherPolynomial_IsRejected()
    {
        Gen.Int[1, 1000].Sample(i =>
        {
            Dealing honest = Dealing.Create(0, 2, 4, Seed(i));
            Dealing other = Dealing.Create(0, 2, 4, Seed(i + 5000));
            var key = new ThresholdPublicKey(honest.Commitments);
            SignatureShare foreign = other.ShareFor(2).Sign("m"u8);
            return !key.VerifyShare(foreign, "m"u8) && !honest.Commitments.IsShareConsistent(2, other.ShareFor(2).Value)
                && honest.Commitments.IsShareConsistent(2, honest.ShareFor(2).Value);
        }, iter: 5);
    }

    [Test]
    public void VerifyShare_WrongNodeIndex_IsRejected()
    {
        Dealing dealing = Dealing.Create(0, 2, 4, Seed(7));
        var key = new ThresholdPublicKey(dealing.Commitments);
        SignatureShare s = dealing.ShareFor(1).Sign("m"u8);
        Assert.That(key.VerifyShare(s, "m"u8), Is.True);
        Assert.That(key.VerifyShare(s with { NodeIndex = 2 }, "m"u8), Is.False);
    }

    [Test]
    public void Thresholds_SubnetSizes_MatchTheIc()
    {
        Assert.That((Thresholds.High(4), Thresholds.Low(4)), Is.EqualTo((3, 2)));
        Assert.That((Thresholds.High(7), Thresholds.Low(7)), Is.EqualTo((5, 3)));
        Assert.That((Thresholds.High(13), Thresholds.Low(13)), Is.EqualTo((9, 5)));
        Assert.That((Thresholds.High(1), Thresholds.Low(1)), Is.EqualTo((1, 1)));
    }

    [Test]
    public void PublicCoefficients_Bytes_RoundTripAndRejectGarbage()
    {
        Dealing dealing = Dealing.Create(0, 3, 4, Seed(8));
        byte[] bytes = dealing.Commitments.ToBytes();
        Assert.That(PublicCoefficients.TryFromBytes(bytes, out PublicCoefficients? back, out _), Is.True);
        Assert.That(back, Is.EqualTo(dealing.Commitments));
        bytes[100] ^= 0xff;
        Assert.That(PublicCoefficients.TryFromBytes(bytes, out _, out string? error), Is.False);
        Assert.That(error, Does.StartWith("coefficient 1"));
        Assert.That(PublicCoefficients.TryFromBytes(bytes[..95], out _, out _), Is.False);
    }

    [Test]
    public void Lagrange_DuplicateIndices_Throw()
    {
        Assert.Throws<ArgumentException>(() => Lagrange.CoefficientsAtZero([1, 1]));
    }
}
