using System.Net;
using System.Security.Cryptography;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Genesis.Dkg;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.State;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Replica.Tests.Genesis;

/// <summary>Genesis by joint-Feldman DKG between four participants over real sockets, then a subnet from it.</summary>
[NonParallelizable]
public sealed class NetworkDkgTests
{
    private static DnsEndPoint[] Peers(int n)
    {
        int port = FreePorts.FindConsecutive(n);
        return [.. Enumerable.Range(0, n).Select(i => new DnsEndPoint("127.0.0.1", port + i))];
    }

    [Test]
    public async Task RunAsync_FourParticipantsOverTcp_AgreeOnPublicMaterialAndTheirGenesisCertifiesUnderTheJointKey()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        DnsEndPoint[] peers = Peers(4);
        DkgOutcome[] outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => NetworkDkg.RunAsync(new DkgOptions(i, peers, 0, RandomNumberGenerator.Fill), cts.Token))));
        GenesisConfig[] configs = [.. outcomes.Select(o => o.Config)];
        Assert.That(outcomes.Select(o => o.Qualified), Has.All.EqualTo(new[] { 0, 1, 2, 3 }));

        Assert.That(configs.Select(c => c.NodeIndex), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(configs.Select(c => Convert.ToHexString(c.RootKeyDer)).Distinct().Count(), Is.EqualTo(1), "one subnet key");
        Assert.That(configs.Select(c => Convert.ToHexString(c.Beacon.PublicKey.Coefficients.ToBytes())).Distinct().Count(), Is.EqualTo(1));
        Assert.That(configs.Select(c => string.Join(",", c.Nodes.Select(p => p.NodeId))).Distinct().Count(), Is.EqualTo(1), "one list of node ids");
        Assert.That(configs.Select(c => c.Certification.Share.NodeIndex), Is.EqualTo(new uint[] { 0, 1, 2, 3 }), "each holds only its own share");
        Assert.That(configs.Select(c => Convert.ToHexString(c.Certification.Share.ToBytes())).Distinct().Count(), Is.EqualTo(4));
        Assert.That(configs[0].Certification.PublicKey.Threshold, Is.EqualTo(3));
        Assert.That(configs[0].Beacon.PublicKey.Threshold, Is.EqualTo(2));

        // Through the files `iinet node` reads, then replicas certify with the shares and a certificate verifies under the joint key.
        string dir = Directory.CreateTempSubdirectory("iinet-dkg-").FullName;
        try
        {
            IReadOnlyList<GenesisConfig> loaded = [.. configs.Select(c =>
            {
                string path = Path.Combine(dir, GenesisBuilder.FileName(c.NodeIndex));
                c.Save(path);
                return GenesisConfig.Load(path);
            })];
            await using LocalSubnet subnet = await LocalSubnet.StartAsync(loaded, () => [], new TestClock(), IPAddress.Loopback, 0, cancellationToken: cts.Token);
            CertifiedState state = await subnet.Replicas[2].WaitForCertificationAsync(2, cts.Token);
            Certificate certificate = Certificate.Decode(state.FullCertificate);
            Assert.That(CertificateVerifier.Verify(certificate, new CertificateVerificationOptions { RootKey = configs[0].RootKeyDer }).IsValid, Is.True);
            Assert.That(CertificateVerifier.Verify(certificate, new CertificateVerificationOptions { RootKey = TestSubnets.Create(4)[0].RootKeyDer }).IsValid,
                Is.False, "and under no other key");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task RunAsync_OneDealerSendsABadShare_ItsReceiverComplainsAndEveryoneExcludesItsDealing()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        DnsEndPoint[] peers = Peers(4);
        DkgOutcome[] outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => NetworkDkg.RunAsync(new DkgOptions(i, peers, 0, RandomNumberGenerator.Fill) { CorruptShareFor = j => i == 3 && j == 1 }, cts.Token))));

        Assert.That(outcomes.Select(o => o.Qualified), Has.All.EqualTo(new[] { 0, 1, 2 }), "dealer 3's dealing is left out by everyone");
        Assert.That(outcomes.Select(o => o.Complaints), Has.All.EqualTo(new[] { (1, 3) }));
        Assert.That(outcomes.Select(o => Convert.ToHexString(o.Config.RootKeyDer)).Distinct().Count(), Is.EqualTo(1));

        await using LocalSubnet subnet = await LocalSubnet.StartAsync([.. outcomes.Select(o => o.Config)], () => [], new TestClock(), IPAddress.Loopback, 0,
            cancellationToken: cts.Token);
        CertifiedState state = await subnet.Replicas[0].WaitForCertificationAsync(2, cts.Token);
        Assert.That(CertificateVerifier.Verify(Certificate.Decode(state.FullCertificate),
            new CertificateVerificationOptions { RootKey = outcomes[0].Config.RootKeyDer }).IsValid, Is.True, "the three good dealings make a working key");
    }

    [Test]
    public void RunAsync_IndexNotAPeer_ThrowsArgumentException()
    {
        Assert.That(() => NetworkDkg.RunAsync(new DkgOptions(4, Peers(4), 0, RandomNumberGenerator.Fill), CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("index 4 is not one of 4 peers"));
    }

    [Test]
    public void RunAsync_PeersNeverAnswer_StopsWhenTheWaitEnds()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        Assert.That(async () => await NetworkDkg.RunAsync(new DkgOptions(0, Peers(4), 0, RandomNumberGenerator.Fill), cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }
}
