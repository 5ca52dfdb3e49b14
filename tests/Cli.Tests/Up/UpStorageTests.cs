namespace InternetIdentity.Cli.Tests.Up;

/// <summary>`iinet up` refuses an unusable --data-dir with a reason naming it, before any replica starts.</summary>
[TestFixture]
public sealed class UpStorageTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("iinet-up-storage-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Up_DataDirIsAFile_ExitsTwoNamingTheDataDir()
    {
        string file = Path.Combine(_dir, "not-a-directory");
        File.WriteAllText(file, "");
        CliHarness.Result r = CliHarness.Run("up", "--data-dir", file);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Output + r.Error);
        Assert.That(r.Error, Does.Contain("--data-dir: cannot use " + file), r.Output + r.Error);
    }

    [Test]
    public void Up_StateDirectoryIsAFile_ExitsTwoNamingTheDataDir()
    {
        // The genesis directory can be made, the replicas' SQLite directory cannot.
        File.WriteAllText(Path.Combine(_dir, "state"), "");
        CliHarness.Result r = CliHarness.Run("up", "--data-dir", _dir, "--replicas", "1");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Output + r.Error);
        Assert.That(r.Error, Does.Contain("--data-dir: cannot use SQLite files in " + Path.Combine(_dir, "state")), r.Output + r.Error);
    }
}
