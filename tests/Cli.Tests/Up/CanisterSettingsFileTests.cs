using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Cli.Tests.Up;

/// <summary>`canisters.json` beside a subnet's genesis: whether the subnet charges cycles is kept from its creation.</summary>
public sealed class CanisterSettingsFileTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("iinet-settings-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    [TestCase(true)]
    [TestCase(false)]
    public void WriteThenRead_ChargeCycles_IsKept(bool charge)
    {
        CanisterSettingsFile.Write(_dir, new SubnetCanisterOptions(IiDummyAuth: true), [], charge);

        CanisterSettingsFile.Created read = CanisterSettingsFile.Read(_dir);

        Assert.That(read.ChargeCycles, Is.EqualTo(charge));
        Assert.That(read.Options.IiDummyAuth, Is.True);
    }

    [Test]
    public void Read_FileWrittenBeforeChargingExisted_DoesNotCharge()
    {
        File.WriteAllText(Path.Combine(_dir, CanisterSettingsFile.FileName), """{"ii_dummy_auth":false,"ii_captcha":false,"assets":[]}""");

        Assert.That(CanisterSettingsFile.Read(_dir).ChargeCycles, Is.False);
    }

    [Test]
    public void Read_ChargeCyclesNotABool_IsRefusedWithReset()
    {
        File.WriteAllText(Path.Combine(_dir, CanisterSettingsFile.FileName), """{"ii_dummy_auth":false,"ii_captcha":false,"charge_cycles":"yes"}""");

        var e = Assert.Throws<CliInputException>(() => CanisterSettingsFile.Read(_dir));
        Assert.That(e!.Message, Does.Contain("--reset"));
    }
}
