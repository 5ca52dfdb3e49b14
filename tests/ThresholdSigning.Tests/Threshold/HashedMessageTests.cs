using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.ThresholdSigning.Tests.Threshold;

public class HashedMessageTests
{
    private static readonly byte[] s_message = "\ric-state-root hashed once"u8.ToArray();

    private static DkgResult Subnet()
    {
        List<Dealing> dealings = [];
        for (uint dealer = 0; dealer < 4; dealer++)
        {
            var seed = new byte[32];
            seed[0] = (byte)dealer;
            seed[1] = 0x42;
            dealings.Add(Dealing.Create(dealer, 3, 4, seed));
        }

        return JointFeldman.Complete(dealings, 3, 4);
    }

    [Test]
    public void Sign_HashedMessage_SameShareAsFromTheBytes()
    {
        DkgResult subnet = Subnet();
        HashedMessage hashed = HashedMessage.Create(s_message);
        foreach (SecretKeyShare share in subnet.Shares)
        {
            Assert.That(share.Sign(hashed).Signature, Is.EqualTo(share.Sign(s_message).Signature));
        }
    }

    [Test]
    public void Verify_HashedMessage_AgreesWithTheBytesForValidAndInvalidSignatures()
    {
        DkgResult subnet = Subnet();
        HashedMessage hashed = HashedMessage.Create(s_message);
        HashedMessage other = HashedMessage.Create("another message"u8);
        SignatureShare[] shares = [.. subnet.Shares.Select(s => s.Sign(hashed))];
        Assert.That(subnet.PublicKey.VerifyShare(shares[2], hashed), Is.True);
        Assert.That(subnet.PublicKey.VerifyShare(shares[2], other), Is.False);
        Assert.That(subnet.PublicKey.VerifyShare(new SignatureShare(1, shares[2].Signature), hashed), Is.False);
        Assert.That(subnet.PublicKey.TryCombine(shares[..3], out Signature? combined, out _), Is.True);
        Assert.That(subnet.PublicKey.VerifyCombined(hashed, combined!), Is.True);
        Assert.That(subnet.PublicKey.VerifyCombined(s_message, combined!), Is.True);
        Assert.That(subnet.PublicKey.VerifyCombined(other, combined!), Is.False);
    }

    [Test]
    public void Create_DifferentDomainSeparationTags_DifferentPoints()
    {
        DkgResult subnet = Subnet();
        SignatureShare withIcTag = subnet.Shares[0].Sign(HashedMessage.Create(s_message));
        SignatureShare withOtherTag = subnet.Shares[0].Sign(HashedMessage.Create(s_message, "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_POP_"));
        Assert.That(withOtherTag.Signature, Is.Not.EqualTo(withIcTag.Signature));
        Assert.That(subnet.PublicKey.VerifyShare(withOtherTag, s_message), Is.False);
    }
}
