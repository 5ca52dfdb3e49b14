using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.State;
using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.Replica.Tests.State;

public class StateTreeTests
{
    private static readonly Principal Whoami = Principal.Parse("rwlgt-iiaaa-aaaaa-aaaaa-cai");
    private static readonly Principal Caller = Principal.SelfAuthenticating([1, 2, 3]);
    private const ulong Time = 1_700_000_000_000_000_000;

    private static CanisterStateView View(byte[] data) => new(
        Whoami, data, new byte[32], [Caller],
        new Dictionary<string, CanisterMetadata> { ["candid:service"] = new("service : {}"u8.ToArray(), true) });

    private static RequestId Rid(byte b) => new(Enumerable.Repeat(b, 32).ToArray());

    private static (LabeledTree Tree, SubnetTopology Subnet) Sample(IReadOnlyList<GenesisConfig> configs)
    {
        SubnetTopology subnet = SubnetTopology.From(configs[0]);
        RequestStatus[] statuses =
        [
            RequestStatus.Replied(Rid(1), Caller, Whoami, Time + 1, [0x44, 0x49]),
            RequestStatus.Rejected(Rid(2), Caller, Whoami, Time + 1, 5, "trapped", "IC0503"),
        ];
        return (StateTree.Build(Time, subnet, [View([7, 7])], statuses), subnet);
    }

    private static CertifiedState Certify(IReadOnlyList<GenesisConfig> configs, LabeledTree tree, IEnumerable<int> signers)
    {
        byte[] root = tree.Digest.ToArray();
        List<SignatureShare> shares = [.. signers.Select(i => StateCertification.SignShare(configs[i].Certification.Share, root))];
        Assert.That(StateCertification.TryCombine(configs[0].Certification.PublicKey, root, shares, out Signature? sig, out string? error), Is.True, error);
        return new CertifiedState(1, Time, tree, sig!.ToBytes());
    }

    [Test]
    public void Build_PublishesEveryPathOfTheSpec()
    {
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        (LabeledTree tree, SubnetTopology subnet) = Sample(configs);
        HashTree full = tree.ToHashTree();
        Assert.That(full.LookupPath("time").Value.ToArray(), Is.EqualTo(Leb128.EncodeUnsigned(Time)));
        Assert.That(full.LookupPath("canister", Whoami, "certified_data").Value.ToArray(), Is.EqualTo(new byte[] { 7, 7 }));
        Assert.That(full.LookupPath("canister", Whoami, "module_hash").IsFound, Is.True);
        Assert.That(full.LookupPath("canister", Whoami, "metadata", "candid:service").IsFound, Is.True);
        byte[] controllers = full.LookupPath("canister", Whoami, "controllers").Value.ToArray();
        Assert.That(Convert.ToHexStringLower(controllers), Does.StartWith("d9d9f781"));
        Assert.That(full.LookupPath("request_status", Rid(1).Bytes.ToArray(), "status").Value.ToArray(), Is.EqualTo("replied"u8.ToArray()));
        Assert.That(full.LookupPath("request_status", Rid(1).Bytes.ToArray(), "reply").Value.ToArray(), Is.EqualTo(new byte[] { 0x44, 0x49 }));
        Assert.That(full.LookupPath("request_status", Rid(2).Bytes.ToArray(), "reject_code").Value.ToArray(), Is.EqualTo(new byte[] { 5 }));
        Assert.That(full.LookupPath("request_status", Rid(2).Bytes.ToArray(), "error_code").Value.ToArray(), Is.EqualTo("IC0503"u8.ToArray()));
        Assert.That(full.LookupPath("subnet", subnet.SubnetId, "public_key").Value.ToArray(), Is.EqualTo(configs[0].RootKeyDer));
        CanisterRanges flat = CanisterRanges.Decode(full.LookupPath("subnet", subnet.SubnetId, "canister_ranges").Value);
        Assert.That(flat.Contains(Principal.Parse("rdmx6-jaaaa-aaaaa-aaadq-cai")), Is.True);
        Assert.That(full.LookupPath("canister_ranges", subnet.SubnetId, Principal.CanisterId(0)).IsFound, Is.True);
        foreach (GenesisConfig c in configs)
        {
            Assert.That(full.LookupPath("subnet", subnet.SubnetId, "node", c.Self.NodeId, "public_key").Value.ToArray(), Is.EqualTo(c.Self.PublicKeyDer));
        }
    }

    [Test]
    public void Build_SameInputs_SameRoot_DifferentCertifiedData_DifferentRoot()
    {
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        SubnetTopology subnet = SubnetTopology.From(configs[0]);
        byte[] a = StateTree.Build(Time, subnet, [View([1])], []).Digest.ToArray();
        byte[] b = StateTree.Build(Time, subnet, [View([1])], []).Digest.ToArray();
        byte[] c = StateTree.Build(Time, subnet, [View([2])], []).Digest.ToArray();
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
    }

    [Test]
    public void Certify_ThreeOfFourShares_CertificateVerifiesUnderRootKey()
    {
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        (LabeledTree tree, _) = Sample(configs);
        CertifiedState state = Certify(configs, tree, [0, 2, 3]);
        Certificate cert = state.CertificateFor([new Label[] { "request_status", Rid(1).Bytes.ToArray() }]);
        var result = CertificateVerifier.Verify(Certificate.Decode(cert.Encode()), new CertificateVerificationOptions
        {
            RootKey = configs[0].RootKeyDer, EffectiveCanisterId = Whoami, NowNanos = Time,
        });
        Assert.That(result.IsValid, Is.True, result.Reason);
        Assert.That(cert.Lookup("request_status", Rid(1).Bytes.ToArray(), "status").Value.ToArray(), Is.EqualTo("replied"u8.ToArray()));
        Assert.That(cert.Lookup("request_status", Rid(2).Bytes.ToArray(), "status").Status, Is.EqualTo(LookupStatus.Unknown));
        Assert.That(cert.Time, Is.EqualTo(Time));
    }

    [Test]
    public void TryCombine_OneCorruptShare_StillCertifiesWithTheOthers()
    {
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        (LabeledTree tree, _) = Sample(configs);
        byte[] root = tree.Digest.ToArray();
        List<SignatureShare> shares = [.. configs.Select(c => StateCertification.SignShare(c.Certification.Share, root))];
        shares[0] = new SignatureShare(0, StateCertification.SignShare(configs[0].Certification.Share, new byte[32]).Signature);
        ThresholdPublicKey key = configs[0].Certification.PublicKey;
        Assert.That(StateCertification.TryCombine(key, root, shares, out Signature? sig, out _), Is.True);
        Assert.That(key.VerifyCombined(StateCertification.Message(root), sig!), Is.True);
        Assert.That(StateCertification.TryCombine(key, root, shares.Take(3).ToList(), out _, out string? error), Is.False);
        Assert.That(error, Does.Contain("only 2 of 3"));
    }
}
