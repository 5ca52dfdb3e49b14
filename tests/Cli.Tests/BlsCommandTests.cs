namespace InternetIdentity.Cli.Tests;

public class BlsCommandTests
{
    private const string Seed = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    private static string SecretKey() =>
        CliHarness.Run("bls", "keygen", "--seed", Seed).Output.Split('\n')[0].Split(' ')[1].Trim();

    [Test]
    public void KeyGen_Seed_PrintsSecretAndMatchingPublicKey()
    {
        var r = CliHarness.Run("bls", "keygen", "--seed", Seed);
        Assert.That(r.ExitCode, Is.EqualTo(0));
        string[] lines = r.Output.Trim().Split('\n');
        Assert.That(lines[0], Does.Match("^secret_key [0-9a-f]{64}$"));
        Assert.That(lines[1], Does.Match("^public_key [0-9a-f]{192}$"));
        Assert.That(CliHarness.Run("bls", "public-key", "--secret", lines[0][11..]).Line, Is.EqualTo(lines[1][11..]));
    }

    [Test]
    public void SignThenVerify_RoundTrip_ValidAndTamperedInvalid()
    {
        string sk = SecretKey();
        string pk = CliHarness.Run("bls", "public-key", "--secret", sk).Line;
        var sign = CliHarness.Run("bls", "sign", "--secret", sk, "--msg", "616263");
        Assert.That(sign.Line, Does.Match("^[0-9a-f]{96}$"));

        var valid = CliHarness.Run("bls", "verify", "--public-key", pk, "--msg", "616263", "--signature", sign.Line);
        Assert.That((valid.ExitCode, valid.Line), Is.EqualTo((0, "valid")));
        var invalid = CliHarness.Run("bls", "verify", "--public-key", pk, "--msg", "616264", "--signature", sign.Line);
        Assert.That((invalid.ExitCode, invalid.Line), Is.EqualTo((1, "invalid")));
    }

    [Test]
    public void Verify_IcMainnetSignature_IsValid()
    {
        var r = CliHarness.Run("bls", "verify",
            "--public-key", "814c0e6ec71fab583b08bd81373c255c3c371b2e84863c98a4f1e08b74235d14fb5d9c0cd546d9685f913a0c0b2cc5341583bf4b4392e467db96d65b9bb4cb717112f8472e0d5a4d14505ffd7484b01291091c5f87b98883463f98091a0baaae",
            "--msg", "0d69632d73746174652d726f6f74e6c01e909b4923345ce5970962bcfe3004bfd8474a21dae28f50692502f46d90",
            "--signature", "ace9fcdd9bc977e05d6328f889dc4e7c99114c737a494653cb27a1f55c06f4555e0f160980af5ead098acc195010b2f7");
        Assert.That((r.ExitCode, r.Line), Is.EqualTo((0, "valid")));
    }

    [Test]
    public void HashToG1_EmptyMessage_MatchesIcDstVector()
    {
        var r = CliHarness.Run("bls", "hash-to-g1", "--msg", "");
        Assert.That(r.Line, Is.EqualTo("b2e0e662181bd9f8cd8ef246071357cd07a23c4391e879b49e32084dcc1a2aede123c8e8bfcde92edac229e28b719142"));
        var rfc = CliHarness.Run("bls", "hash-to-g1", "--msg", "", "--dst", "QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_");
        Assert.That(rfc.Line, Is.EqualTo("852926add2207b76ca4fa57a8734416c8dc95e24501772c814278700eed6d1e4e8cf62d9c09db0fac349612b759e79a1"));
    }

    [TestCase("bls", "sign", "--secret", "zz", "--msg", "00", TestName = "Sign_NonHexSecret_ExitsTwo")]
    [TestCase("bls", "sign", "--secret", "0x01", "--msg", "00", TestName = "Sign_HexPrefix_ExitsTwo")]
    [TestCase("bls", "sign", "--secret", "0000000000000000000000000000000000000000000000000000000000000000", "--msg", "00", TestName = "Sign_ZeroSecret_ExitsTwo")]
    [TestCase("bls", "sign", "--msg", "00", TestName = "Sign_MissingSecret_ExitsTwo")]
    [TestCase("bls", "keygen", "--seed", "00", TestName = "KeyGen_ShortSeed_ExitsTwo")]
    [TestCase("bls", "verify", "--public-key", "00", "--msg", "00", "--signature", "00", TestName = "Verify_ShortKey_ExitsTwo")]
    [TestCase("bls", "hash-to-g1", "--msg", "abc", TestName = "HashToG1_OddHex_ExitsTwo")]
    [TestCase("bls", "frobnicate", TestName = "Bls_UnknownVerb_ExitsTwo")]
    public void MalformedInput_ExitsTwoWithOneLine(params string[] args)
    {
        var r = CliHarness.Run(args);
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(r.Error, Does.StartWith("error: "));
        Assert.That(r.Error, Does.Not.Contain("   at "));
    }

    [Test]
    public void Verify_NonSubgroupSignature_ExitsTwoWithReason()
    {
        string sk = SecretKey();
        string pk = CliHarness.Run("bls", "public-key", "--secret", sk).Line;
        // x = 0 is on the curve, but (0, 2) has order 3.
        string notInG1 = "80" + new string('0', 94);
        var r = CliHarness.Run("bls", "verify", "--public-key", pk, "--msg", "00", "--signature", notInG1);
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error, Does.Contain("subgroup"));
    }
}
