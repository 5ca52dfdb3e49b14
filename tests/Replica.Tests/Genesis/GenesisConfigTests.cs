using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.Replica.Tests.Genesis;

public class GenesisConfigTests
{
    [Test]
    public void Create_FourReplicas_ThresholdsIdsAndRootKeyAgree()
    {
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        Assert.That(configs, Has.Count.EqualTo(4));
        foreach (GenesisConfig c in configs)
        {
            Assert.That(c.Certification.Threshold, Is.EqualTo(3));
            Assert.That(c.Beacon.Threshold, Is.EqualTo(2));
            Assert.That(c.SubnetId, Is.EqualTo(configs[0].SubnetId));
            Assert.That(c.RootKeyDer, Is.EqualTo(configs[0].RootKeyDer));
            Assert.That(c.Self.NodeId, Is.EqualTo(Principal.SelfAuthenticating(c.NodeKey.PublicKeyDer)));
        }

        Assert.That(configs[0].SubnetId, Is.EqualTo(Principal.SelfAuthenticating(configs[0].RootKeyDer)));
        Assert.That(configs[0].RootKeyDer, Has.Length.EqualTo(133));
        Assert.That(configs.Select(c => c.Self.NodeId).Distinct().Count(), Is.EqualTo(4));
    }

    [Test]
    public void Shares_AnyThreeOfFour_CombineToSignatureUnderRootKey()
    {
        IReadOnlyList<GenesisConfig> configs = TestSubnets.Create(4);
        byte[] message = "\x0Dic-state-rootxyz"u8.ToArray();
        SignatureShare[] shares = [.. configs.Skip(1).Select(c => c.Certification.Share.Sign(message))];
        Assert.That(configs[0].Certification.PublicKey.TryCombine(shares, out Signature? sig, out _), Is.True);
        byte[] raw = DerPublicKey.Parse(configs[0].RootKeyDer).Key;
        Assert.That(ThresholdSigning.Bls.Verify(raw, message, sig!.ToBytes()), Is.True);
        Assert.That(configs[0].Certification.PublicKey.TryCombine(shares.Take(2).ToList(), out _, out string? error), Is.False);
        Assert.That(error, Does.Contain("threshold is 3"));
    }

    [Test]
    public void Parse_RoundTrip_KeepsEverything()
    {
        GenesisConfig c = TestSubnets.Create(4)[2];
        GenesisConfig back = GenesisConfig.Parse(c.ToJson());
        Assert.That(back.NodeIndex, Is.EqualTo(2));
        Assert.That(back.SubnetId, Is.EqualTo(c.SubnetId));
        Assert.That(back.NodeKey.PublicKeyDer, Is.EqualTo(c.NodeKey.PublicKeyDer));
        Assert.That(back.Certification.Share.ToBytes(), Is.EqualTo(c.Certification.Share.ToBytes()));
        Assert.That(back.Beacon.PublicKey.Coefficients, Is.EqualTo(c.Beacon.PublicKey.Coefficients));
        Assert.That(back.Nodes.Select(n => n.NodeId), Is.EqualTo(c.Nodes.Select(n => n.NodeId)));
    }

    [Test]
    public void Write_ThenLoad_EveryReplicaLoads()
    {
        string dir = Path.Combine(Path.GetTempPath(), "iinet-genesis-" + Guid.NewGuid().ToString("N"));
        try
        {
            IReadOnlyList<string> paths = GenesisBuilder.Write(TestSubnets.Create(4), dir);
            Assert.That(paths.Select(p => GenesisConfig.Load(p).NodeIndex), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Tamper(Action<JsonObject> edit)
    {
        JsonObject json = JsonNode.Parse(TestSubnets.Create(4)[1].ToJson())!.AsObject();
        edit(json);
        return json.ToJsonString();
    }

    [Test]
    public void Parse_ShareOfAnotherNode_FailsFeldmanCheck()
    {
        string other = TestSubnets.Create(4)[2].ToJson();
        string share = JsonNode.Parse(other)!["certification"]!["share"]!.GetValue<string>();
        var e = Assert.Throws<GenesisConfigException>(() => GenesisConfig.Parse(Tamper(j => j["certification"]!["share"] = share)));
        Assert.That(e!.Message, Does.Contain("Feldman"));
    }

    [Test]
    public void Parse_WrongSubnetId_Rejected()
    {
        var e = Assert.Throws<GenesisConfigException>(() => GenesisConfig.Parse(Tamper(j => j["subnetId"] = "aaaaa-aa")));
        Assert.That(e!.Message, Does.Contain("subnetId"));
    }

    [Test]
    public void Parse_NodeIdNotOfItsKey_Rejected()
    {
        var e = Assert.Throws<GenesisConfigException>(() => GenesisConfig.Parse(Tamper(j => j["nodes"]![0]!["nodeId"] = "2vxsx-fae")));
        Assert.That(e!.Message, Does.Contain("nodes[0].nodeId"));
    }

    [Test]
    public void Parse_SeedOfAnotherNode_Rejected()
    {
        string seed = JsonNode.Parse(TestSubnets.Create(4)[3].ToJson())!["nodeKeySeed"]!.GetValue<string>();
        var e = Assert.Throws<GenesisConfigException>(() => GenesisConfig.Parse(Tamper(j => j["nodeKeySeed"] = seed)));
        Assert.That(e!.Message, Does.Contain("nodeKey"));
    }

    [Test]
    public void Parse_WrongThreshold_Rejected()
    {
        // The beacon dealing (t = 2) offered as the certification key (t = 3 for n = 4).
        var e = Assert.Throws<GenesisConfigException>(() => GenesisConfig.Parse(Tamper(j => j["certification"] = j["beacon"]!.DeepClone())));
        Assert.That(e!.Message, Does.Contain("threshold is 2"));
    }

    [TestCase("{")]
    [TestCase("null")]
    [TestCase("{\"format\":\"other\"}")]
    [TestCase("{\"format\":\"iinet-genesis/1\",\"nodes\":[]}")]
    public void Parse_Malformed_ClearError(string json)
    {
        var e = Assert.Throws<GenesisConfigException>(() => GenesisConfig.Parse(json));
        Assert.That(e!.Message, Is.Not.Empty);
    }

    [Test]
    public void Load_MissingFile_NamesThePath()
    {
        var e = Assert.Throws<GenesisConfigException>(() => GenesisConfig.Load("/nonexistent/node-0.json"));
        Assert.That(e!.Message, Does.Contain("/nonexistent/node-0.json"));
    }

    [Test]
    public void Create_SingleReplica_ThresholdOne()
    {
        GenesisConfig c = TestSubnets.Create(1)[0];
        Assert.That(c.Certification.Threshold, Is.EqualTo(1));
        Assert.That(c.Beacon.Threshold, Is.EqualTo(1));
        Assert.That(Thresholds.High(1), Is.EqualTo(1));
    }
}
