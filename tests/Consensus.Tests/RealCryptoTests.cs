using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Simulation;

namespace InternetIdentity.Consensus.Tests;

/// <summary>A few seeds with the real cryptography: threshold BLS12-381 beacon and certification, Ed25519 shares.</summary>
public class RealCryptoTests
{
    private static SimulationOptions Options(ulong seed, FaultClass faults) => new()
    {
        Replicas = 4,
        Faulty = 1,
        Faults = faults,
        Seed = seed,
        Heights = 6,
        CryptoFactory = (n, seedBytes) => RealCrypto.CreateSubnet(n, seedBytes),
    };

    [TestCase(1UL, FaultClass.Crash)]
    [TestCase(2UL, FaultClass.Byzantine)]
    public void Simulate_RealCrypto_FinalizesWithoutViolation(ulong seed, FaultClass faults)
    {
        SimulationResult r = Simulator.Run(Options(seed, faults));
        Assert.That(r.Violation, Is.Null, $"seed {seed}");
        Assert.That(r.HeightsFinalized, Is.GreaterThanOrEqualTo(6), $"seed {seed}");
    }

    [Test]
    public void Simulate_RealCryptoSameSeed_SameFinalizedHashes()
    {
        SimulationResult a = Simulator.Run(Options(3, FaultClass.None));
        SimulationResult b = Simulator.Run(Options(3, FaultClass.None));
        Assert.That(b.FinalizedHashes, Is.EqualTo(a.FinalizedHashes), "seed 3");
    }

    [Test]
    public void RealCrypto_ForgedAndMisattributedShares_AreRejected()
    {
        IReadOnlyList<IConsensusCrypto> subnet = RealCrypto.CreateSubnet(4, new byte[32]);
        byte[] msg = "\ric-state-root"u8.ToArray();
        SignatureShare share = subnet[1].Certification.SignShare(msg);
        Assert.That(subnet[0].Certification.VerifyShare(share, msg), Is.True);
        Assert.That(subnet[0].Certification.VerifyShare(share with { NodeIndex = 2 }, msg), Is.False);
        Assert.That(subnet[0].Certification.VerifyShare(share with { Bytes = new byte[48] }, msg), Is.False);
        SignatureShare[] shares = [.. subnet.Take(3).Select(c => c.Certification.SignShare(msg))];
        Assert.That(subnet[3].Certification.TryCombine(shares, msg, out byte[]? combined), Is.True);
        Assert.That(subnet[2].Certification.Verify(combined!, msg), Is.True);
        Assert.That(subnet[3].Certification.TryCombine(shares[..2], msg, out _), Is.False);
        Assert.That(subnet[3].Certification.TryCombine([shares[0], shares[1], share with { Bytes = new byte[48] }], msg, out _), Is.False, "not a point");
        SignatureShare wrongMessage = subnet[2].Certification.SignShare("other"u8.ToArray());
        Assert.That(subnet[3].Certification.TryCombine([shares[0], shares[1], wrongMessage], msg, out byte[]? spoiled), Is.True);
        Assert.That(subnet[2].Certification.Verify(spoiled!, msg), Is.False, "a combination with an invalid share does not verify");
        byte[] nodeSig = subnet[2].Node.Sign(msg);
        Assert.That(subnet[0].Node.Verify(2, msg, nodeSig), Is.True);
        Assert.That(subnet[0].Node.Verify(1, msg, nodeSig), Is.False);
    }

    [Test]
    public void NodeVerify_TripleCheckedByAnotherReplica_AnsweredAlikeAndNothingElseAccepted()
    {
        byte[] subnetSeed = Enumerable.Repeat((byte)7, 32).ToArray();
        IReadOnlyList<IConsensusCrypto> subnet = RealCrypto.CreateSubnet(4, subnetSeed);
        byte[] msg = "notarization share"u8.ToArray();
        byte[] sig = subnet[3].Node.Sign(msg);
        Assert.That(sig, Is.EqualTo(Protocol.Signatures.Ed25519Signatures.Sign(NodeSeed(subnetSeed, 3), msg)), "a held key signs as the seed does");

        Assert.That(subnet[0].Node.Verify(3, msg, sig), Is.True, "first check");
        for (int replica = 1; replica < 3; replica++)
        {
            Assert.That(subnet[replica].Node.Verify(3, msg, sig), Is.True, $"replica {replica}, the same triple");
            Assert.That(subnet[replica].Node.Verify(2, msg, sig), Is.False, $"replica {replica}, another signer");
            Assert.That(subnet[replica].Node.Verify(3, [.. msg, 0], sig), Is.False, $"replica {replica}, another message");
            byte[] flipped = [.. sig];
            flipped[replica] ^= 1;
            Assert.That(subnet[replica].Node.Verify(3, msg, flipped), Is.False, $"replica {replica}, an altered signature");
            Assert.That(subnet[replica].Node.Verify(3, msg, flipped), Is.False, $"replica {replica}, the altered signature again");
            Assert.That(subnet[replica].Node.Verify(3, msg, sig[..63]), Is.False, $"replica {replica}, a short signature");
            Assert.That(subnet[replica].Node.Verify(4, msg, sig), Is.False, $"replica {replica}, no such signer");
        }
    }

    // CreateSubnet derives node seeds as HMAC-SHA256(key: "node-key-i", message: seed).
    private static byte[] NodeSeed(byte[] subnetSeed, int index) =>
        System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.ASCII.GetBytes("node-key-" + index), subnetSeed);
}
