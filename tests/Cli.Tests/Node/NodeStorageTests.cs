namespace InternetIdentity.Cli.Tests.Node;

/// <summary>`iinet node`'s persistence flags: a bad or unreachable PostgreSQL database is refused with a reason.</summary>
[TestFixture]
public sealed class NodeStorageTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("iinet-node-storage-").FullName;
        CliHarness.Result genesis = CliHarness.Run("genesis", "--replicas", "4", "--out", _dir);
        Assert.That(genesis.ExitCode, Is.Zero, genesis.Error);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Config => Directory.GetFiles(_dir, "*.json").Order().First();

    [Test]
    public void Node_PostgresNotAConnectionString_ExitsTwo()
    {
        CliHarness.Result r = CliHarness.Run("node", "--config", Config, "--postgres", "Host=127.0.0.1;NoSuchKeyword=1");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Output + r.Error);
        Assert.That(r.Error, Does.Contain("--postgres").And.Contain("connection string"));
    }

    [Test]
    public void Node_PostgresUnreachable_ExitsTwoWithTheDatabasesReason()
    {
        CliHarness.Result r = CliHarness.Run("node", "--config", Config, "--postgres", "Host=127.0.0.1;Port=1;Database=x;Username=x;Password=x;Timeout=5");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Output + r.Error);
        Assert.That(r.Error, Does.Contain("--postgres: cannot use the database"));
    }
}
