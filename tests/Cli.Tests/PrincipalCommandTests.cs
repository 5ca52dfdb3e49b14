namespace InternetIdentity.Cli.Tests;

public class PrincipalCommandTests
{
    [TestCase("rdmx6-jaaaa-aaaaa-aaadq-cai", "00000000000000070101")]
    [TestCase("aaaaa-aa", "")]
    [TestCase("2vxsx-fae", "04")]
    public void Principal_TextToHex(string text, string hex)
    {
        var r = CliHarness.Run("principal", text);
        Assert.That((r.ExitCode, r.Line), Is.EqualTo((0, hex)));
    }

    [TestCase("04", "2vxsx-fae")]
    [TestCase("0xabcd01", "em77e-bvlzu-aq")]
    [TestCase("efcdab000000000001", "2chl6-4hpzw-vqaaa-aaaaa-c")]
    public void Principal_HexToText(string hex, string text)
    {
        var r = CliHarness.Run("principal", hex);
        Assert.That((r.ExitCode, r.Line), Is.EqualTo((0, text)));
    }

    [Test]
    public void Principal_SelfAuthenticatingAndCanister()
    {
        var self = CliHarness.Run("principal", "--self-authenticating", "302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        Assert.That(self.Line, Is.EqualTo("e73il-iz5tp-nkgt7-idxyw-ngkah-47bpv-qdase-pzde6-g6vwc-a3eql-jae 3d9bdaa34fe81df16699403f3e17d6030488fc8c9e37ab61036482d202"));
        Assert.That(CliHarness.Run("principal", "--canister", "2097164").Line, Is.EqualTo("ivg37-qiaaa-aaaab-aaaga-cai 000000000020000c0101"));
    }

    [TestCase("rdmx7-jaaaa-aaaaa-aaadq-cai")]
    [TestCase("zz")]
    [TestCase("000000000000000000000000000000000000000000000000000000000000")]
    public void Principal_Malformed_Exit2(string input)
    {
        var r = CliHarness.Run("principal", input);
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error, Does.StartWith("error: "));
    }

    [Test]
    public void Principal_NoOrSeveralInputs_Exit2()
    {
        Assert.That(CliHarness.Run("principal").ExitCode, Is.EqualTo(2));
        Assert.That(CliHarness.Run("principal", "04", "--canister", "1").ExitCode, Is.EqualTo(2));
        Assert.That(CliHarness.Run("principal", "--canister", "-1").ExitCode, Is.EqualTo(2));
    }
}
