using CsCheck;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Tests;

public class StandInCryptoTests
{
    private static readonly IReadOnlyList<IConsensusCrypto> s_subnet = StandInCrypto.CreateSubnet(4, new byte[32]);

    [Test]
    public void NodeSignature_OwnKey_VerifiesOnlyAsSigner()
    {
        Gen.Byte.Array[0, 100].Sample(message =>
        {
            byte[] sig = s_subnet[2].Node.Sign(message);
            Assert.That(s_subnet[0].Node.Verify(2, message, sig), Is.True);
            Assert.That(s_subnet[0].Node.Verify(1, message, sig), Is.False, "a replica cannot sign for another");
            Assert.That(s_subnet[0].Node.Verify(2, [.. message, 1], sig), Is.False);
        });
    }

    [Test]
    public void NodeSignature_TamperedOrMalformed_Rejected()
    {
        byte[] sig = s_subnet[1].Node.Sign([1, 2, 3]);
        sig[0] ^= 1;
        Assert.That(s_subnet[0].Node.Verify(1, [1, 2, 3], sig), Is.False);
        Assert.That(s_subnet[0].Node.Verify(1, [1, 2, 3], []), Is.False);
        Assert.That(s_subnet[0].Node.Verify(7, [1, 2, 3], s_subnet[1].Node.Sign([1, 2, 3])), Is.False);
    }

    [Test]
    public void ThresholdShare_Relabelled_Rejected()
    {
        SignatureShare share = s_subnet[3].RandomBeacon.SignShare([5]);
        Assert.That(s_subnet[0].RandomBeacon.VerifyShare(share, [5]), Is.True);
        Assert.That(s_subnet[0].RandomBeacon.VerifyShare(share with { NodeIndex = 1 }, [5]), Is.False);
        Assert.That(s_subnet[0].Certification.VerifyShare(share, [5]), Is.False, "beacon and certification keys differ");
    }

    [Test]
    public void TryCombine_AnyThresholdSubset_SameUniqueSignature()
    {
        byte[] m = [9, 9];
        SignatureShare[] shares = [.. s_subnet.Select(c => c.Certification.SignShare(m))];
        Assert.That(s_subnet[0].Certification.TryCombine([shares[0], shares[1], shares[2]], m, out byte[]? a), Is.True);
        Assert.That(s_subnet[0].Certification.TryCombine([shares[3], shares[1], shares[2]], m, out byte[]? b), Is.True);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(s_subnet[1].Certification.Verify(a!, m), Is.True);
        Assert.That(s_subnet[1].Certification.Verify(a!, [9]), Is.False);
    }

    [Test]
    public void TryCombine_TooFewDistinctShares_False()
    {
        byte[] m = [1];
        SignatureShare s0 = s_subnet[0].Certification.SignShare(m);
        Assert.That(s_subnet[0].Certification.TryCombine([s0, s0, s_subnet[1].Certification.SignShare(m)], m, out _), Is.False);
        Assert.That(s_subnet[0].Certification.TryCombine([s0, s_subnet[1].Certification.SignShare(m)], m, out _), Is.False);
        Assert.That(s_subnet[0].RandomBeacon.Threshold, Is.EqualTo(2));
        Assert.That(s_subnet[0].Certification.Threshold, Is.EqualTo(3));
    }

    [Test]
    public void TryCombine_InvalidShare_ResultFailsVerify()
    {
        byte[] m = [7];
        SignatureShare[] shares = [.. s_subnet.Take(3).Select(c => c.Certification.SignShare(m))];
        SignatureShare forged = shares[2] with { Bytes = s_subnet[2].Certification.SignShare([8]).Bytes };
        Assert.That(s_subnet[0].Certification.TryCombine([shares[0], shares[1], forged], m, out byte[]? combined), Is.True);
        Assert.That(s_subnet[0].Certification.Verify(combined!, m), Is.False);
    }

    [Test]
    public void CreateSubnet_DifferentSeeds_DifferentKeys()
    {
        IReadOnlyList<IConsensusCrypto> other = StandInCrypto.CreateSubnet(4, [.. new byte[31], 1]);
        Assert.That(s_subnet[0].Node.Verify(1, [1], other[1].Node.Sign([1])), Is.False);
    }
}

public class EncodingTests
{
    [Test]
    public void Block_AnyFieldChanged_HashChanges()
    {
        Gen.Select(Gen.Long[1, 1_000_000], Gen.Int[0, 12], Gen.Long[0, long.MaxValue / 4]).Sample((h, maker, time) =>
        {
            byte[] parent = new byte[32];
            var b = new Block(h, parent, maker, 0, time, []);
            Assert.That(new Block(h, parent, maker, 0, time, []).Hash, Is.EqualTo(b.Hash));
            Assert.That(new Block(h + 1, parent, maker, 0, time, []).Hash, Is.Not.EqualTo(b.Hash));
            Assert.That(new Block(h, parent, maker + 1, 0, time, []).Hash, Is.Not.EqualTo(b.Hash));
            Assert.That(new Block(h, parent, maker, 1, time, []).Hash, Is.Not.EqualTo(b.Hash));
            Assert.That(new Block(h, parent, maker, 0, time + 1, []).Hash, Is.Not.EqualTo(b.Hash));
            Assert.That(new Block(h, [.. new byte[31], 1], maker, 0, time, []).Hash, Is.Not.EqualTo(b.Hash));
            Assert.That(new Block(h, parent, maker, 0, time, [new IngressMessage([1], 5)]).Hash, Is.Not.EqualTo(b.Hash));
        });
    }

    [Test]
    public void Encode_Messages_DeterministicAndSizedExactly()
    {
        var b = new Block(3, new byte[32], 1, 0, 77, [new IngressMessage([1, 2], 99)]);
        ConsensusMessage[] messages =
        [
            new BlockProposal(b, [1, 2]),
            new NotarizationShare(3, b.Hash.ToBytes(), 2, [4]),
            new FinalizationShare(3, b.Hash.ToBytes(), 2, [4]),
            new RandomBeaconShare(3, new SignatureShare(1, [8])),
            new Certification(3, new byte[32], [1]),
            new StatusRequest(1, 2, 0),
            new SyncBundle([new RandomBeacon(3, [1])], 3),
        ];
        foreach (ConsensusMessage m in messages)
        {
            byte[] first = m.Encode();
            Assert.That(m.Encode(), Is.EqualTo(first));
            Assert.That(m.EncodedSize(), Is.EqualTo(m.Encode().Length), m.GetType().Name);
        }
        Assert.That(messages[1].Encode(), Is.Not.EqualTo(messages[2].Encode()), "notarization and finalization shares are tagged apart");
    }

    [Test]
    public void SigningDomains_DistinctPerPurpose()
    {
        byte[] hash = new byte[32];
        Assert.That(SigningDomains.Notarization(1, hash), Is.Not.EqualTo(SigningDomains.Finalization(1, hash)));
        Assert.That(SigningDomains.Notarization(1, hash), Is.Not.EqualTo(SigningDomains.Notarization(2, hash)));
        Assert.That(SigningDomains.StateRoot(hash)[..14], Is.EqualTo("\x0Dic-state-root"u8.ToArray()));
    }

    [Test]
    public void DeterministicRandom_SameSeed_SameSequence()
    {
        Gen.ULong.Sample(seed =>
        {
            var a = new DeterministicRandom(seed);
            var b = new DeterministicRandom(seed);
            for (int i = 0; i < 10; i++)
            {
                Assert.That(b.NextUInt64(), Is.EqualTo(a.NextUInt64()));
            }
        });
        Assert.That(new DeterministicRandom(1).NextUInt64(), Is.Not.EqualTo(new DeterministicRandom(2).NextUInt64()));
    }
}
