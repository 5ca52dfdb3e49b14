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
}
