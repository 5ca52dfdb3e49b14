using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests;

public class CertCommandTests
{
    private static string Cert(string name) => RepoPaths.Vector("ic", "certificates", name);

    private const string Ivg37 = "ivg37-qiaaa-aaaab-aaaga-cai";

    [TestCase("ivg37_time.bin", Ivg37)]
    [TestCase("ivg37_delegated_v2.bin", Ivg37)]
    [TestCase("224od_subnet.bin", "224od-giaaa-aaaao-ae5vq-cai")]
    [TestCase("o3ow2_subnet_key.bin", null)]
    [TestCase("uzr34_node_keys.bin", null)]
    [TestCase("agentjs_golden_mainnetSystem.cert.hex", null)]
    [TestCase("agentjs_golden_localSystem.cert.hex", null)]
    [TestCase("agentjs_golden_localApplication.cert.hex", null)]
    [TestCase("agentjs_golden_mainnetApplication.cert.hex", null)]
    public void Verify_MainnetCertificates_Valid(string file, string? canister)
    {
        string[] args = canister is null
            ? ["cert", "verify", Cert(file), "--mainnet", "--no-time-check"]
            : ["cert", "verify", Cert(file), "--mainnet", "--canister", canister, "--no-time-check"];
        var r = CliHarness.Run(args);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Output + r.Error);
        Assert.That(r.Line, Does.StartWith("valid: time "));
    }

    [Test]
    public void Verify_RootKeyHex_SameAsMainnet()
    {
        string rootHex = "814c0e6ec71fab583b08bd81373c255c3c371b2e84863c98a4f1e08b74235d14fb5d9c0cd546d9685f913a0c0b2cc5341583bf4b4392e467db96d65b9bb4cb717112f8472e0d5a4d14505ffd7484b01291091c5f87b98883463f98091a0baaae";
        var r = CliHarness.Run("cert", "verify", Cert("ivg37_time.bin"), "--root-key", rootHex, "--canister", Ivg37, "--no-time-check");
        Assert.That(r.Line, Does.Contain("subnet qxesv-zoxpm-vc64m-zxguk-5sj74-35vrb-tbgwg-pcird-5gr26-62oxl-cae"));
        var wrong = CliHarness.Run("cert", "verify", Cert("ivg37_time.bin"), "--root-key", "a" + rootHex[1..], "--no-time-check");
        Assert.That(wrong.ExitCode, Is.EqualTo(1));
        Assert.That(wrong.Line, Does.StartWith("invalid: "));
    }

    [TestCase("ivg37_time_pruned_ranges.bin")]
    [TestCase("ivg37_delegated_v2_pruned_subnet.bin")]
    public void Verify_PrunedRanges_Invalid(string file)
    {
        var r = CliHarness.Run("cert", "verify", Cert(file), "--mainnet", "--canister", Ivg37, "--no-time-check");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Line, Does.StartWith("invalid: canister ranges"));
    }

    [Test]
    public void Verify_CanisterOutsideRanges_Invalid()
    {
        var r = CliHarness.Run("cert", "verify", Cert("ivg37_time.bin"), "--mainnet", "--canister", "ryjl3-tyaaa-aaaaa-aaaba-cai", "--no-time-check");
        Assert.That((r.ExitCode, r.Line), Is.EqualTo((1, "invalid: canister ryjl3-tyaaa-aaaaa-aaaba-cai is not in the canister ranges of subnet qxesv-zoxpm-vc64m-zxguk-5sj74-35vrb-tbgwg-pcird-5gr26-62oxl-cae: certificate not authorized")));
    }

    [Test]
    public void Verify_OldCertificateWithClock_Outdated()
    {
        var r = CliHarness.Run("cert", "verify", Cert("ivg37_time.bin"), "--mainnet", "--max-age", "7d");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Line, Does.StartWith("invalid: certificate is outdated"));
    }

    [TestCase("--mainnet", "--root-key", "00")]
    [TestCase("--max-age", "5x", "--mainnet")]
    [TestCase("--mainnet", "--canister", "not-a-principal")]
    [TestCase("--mainnet", "--no-time-check", "--max-age", "5m")]
    public void Verify_BadArguments_Exit2WithOneLine(params string[] extra)
    {
        var r = CliHarness.Run(["cert", "verify", Cert("ivg37_time.bin"), .. extra]);
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void Verify_MalformedOrMissingFile_Exit2()
    {
        string path = Path.Combine(Path.GetTempPath(), "protocol-cert-bad-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, File.ReadAllBytes(Cert("ivg37_time.bin")).AsSpan(0, 100).ToArray());
        try
        {
            var r = CliHarness.Run("cert", "verify", path, "--mainnet");
            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.Error, Does.StartWith("error: "));
            Assert.That(r.Error, Does.Not.Contain("   at "));
        }
        finally
        {
            File.Delete(path);
        }

        Assert.That(CliHarness.Run("cert", "show", path + ".missing").ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void Show_DelegatedCertificate_DecodesTimeRangesKeysAndPruned()
    {
        var r = CliHarness.Run("cert", "show", Cert("ivg37_time.bin"));
        Assert.That(r.ExitCode, Is.EqualTo(0));
        Assert.That(r.Output, Does.Contain("time = 2025-11-22T07:34:56.688Z (1763796896688941908 ns)"));
        Assert.That(r.Output, Does.Contain("[pruned 682015f0adf7b9fef63377f3226d327cb51a041da950a4dbfb8cc4eafd692489]"));
        Assert.That(r.Output, Does.Contain("delegation to subnet qxesv-zoxpm-vc64m-zxguk-5sj74-35vrb-tbgwg-pcird-5gr26-62oxl-cae"));
        Assert.That(r.Output, Does.Contain("jrlun-jiaaa-aaaab-aaaaa-cai = [jrlun-jiaaa-aaaab-aaaaa-cai, v2nog-2aaaa-aaaab-p777q-cai]"));
        Assert.That(r.Output, Does.Contain("public_key = Bls12381 key 308182301d"));
    }

    [Test]
    public void Show_RequestStatusAndControllers_Decoded()
    {
        var rejected = CliHarness.Run("cert", "show", Cert("ivg37_delegated_v2.bin"));
        Assert.That(rejected.Output, Does.Contain("reject_code = 3"));
        Assert.That(rejected.Output, Does.Contain("status = \"rejected\""));
        var status = CliHarness.Run("cert", "show", Cert("agentjs_canisterStatus_local.cert.hex"));
        Assert.That(status.Output, Does.Contain("rrkah-fqaaa-aaaaa-aaaaq-cai"));
        Assert.That(status.Output, Does.Contain("controllers = [2vxsx-fae, rwlgt-iiaaa-aaaaa-aaaaa-cai]"));
    }

    [Test]
    public void Lookup_FoundAbsentUnknownError()
    {
        string rid = "0xedad510eaaa08ed2acd4781324e6446269da6753ec17760f206bbe81c465ff52";
        var msg = CliHarness.Run("cert", "lookup", Cert("ivg37_delegated_v2.bin"), $"request_status/{rid}/reject_message");
        Assert.That((msg.ExitCode, msg.Line), Is.EqualTo((0, "\"Canister ivg37-qiaaa-aaaab-aaaga-cai has no update method 'register'\"")));
        var absent = CliHarness.Run("cert", "lookup", Cert("ivg37_delegated_v2.bin"), $"request_status/{rid}/reply");
        Assert.That((absent.ExitCode, absent.Line), Is.EqualTo((1, "absent")));
        var unknown = CliHarness.Run("cert", "lookup", Cert("ivg37_time.bin"), "canister");
        Assert.That((unknown.ExitCode, unknown.Line), Is.EqualTo((1, "unknown")));
        var error = CliHarness.Run("cert", "lookup", Cert("ivg37_delegated_v2.bin"), $"request_status/{rid}");
        Assert.That(error.ExitCode, Is.EqualTo(1));
        Assert.That(error.Line, Does.StartWith("error:"));
        var time = CliHarness.Run("cert", "lookup", Cert("ivg37_time.bin"), "/time");
        Assert.That(time.Line, Is.EqualTo("2025-11-22T07:34:56.688Z (1763796896688941908 ns)"));
    }

    [Test]
    public void Lookup_PrincipalLabel_ReadsNodeKey()
    {
        var r = CliHarness.Run("cert", "lookup", Cert("224od_subnet.bin"),
            "subnet/o3ow2-2ipam-6fcjo-3j5vt-fzbge-2g7my-5fz2m-p4o2t-dwlc4-gt2q7-5ae/node/5jbfj-wygyf-jzcjw-s6ali-nlazr-nbejd-sfw6h-v44fg-hh34c-khde2-lqe/public_key");
        Assert.That(r.Line, Is.EqualTo("Ed25519 key 302a300506032b657003210022c00bada00abbf8837d94ad9716558059d532472028d31a0670a3251ec923a8"));
    }
}
