using System.Globalization;
using System.Text.RegularExpressions;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests.Genesis;

/// <summary>`iinet genesis --dkg`: four processes deal the subnet's keys jointly over TCP, then `iinet node` runs from their files.</summary>
[TestFixture]
[NonParallelizable]
public sealed class GenesisDkgTests
{
    private static readonly Regex s_rootKey = new("^root_key +([0-9a-f]+)$", RegexOptions.CultureInvariant);
    private static readonly Regex s_ready = new("^ready: replica", RegexOptions.CultureInvariant);
    private static readonly Regex s_certified = new("^certified height (\\d+) after (\\d+) ms$", RegexOptions.CultureInvariant);

    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("iinet-dkg-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task GenesisDkg_FourProcesses_WriteOneFileEachWithTheSameRootKeyAndNodesCertifyFromThem()
    {
        int port = FreePorts.FindConsecutive(12);
        string peers = string.Join(",", Enumerable.Range(0, 4).Select(i => $"127.0.0.1:{port + i}"));
        string basePort = (port + 4).ToString(CultureInfo.InvariantCulture);
        var dealers = new List<IinetProcess>();
        var rootKeys = new List<string>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                dealers.Add(IinetProcess.Start("genesis", "--dkg", "--replicas", "4", "--index", i.ToString(CultureInfo.InvariantCulture),
                    "--peers", peers, "--base-port", basePort, "--out", Path.Combine(_dir, $"machine-{i}"), "--timeout", "120"));
            }

            foreach (IinetProcess dealer in dealers)
            {
                Assert.That(await dealer.WaitForExitAsync(), Is.EqualTo(0), dealer.Transcript);
                rootKeys.Add((await dealer.WaitForLineAsync(s_rootKey)).Groups[1].Value);
            }
        }
        finally
        {
            foreach (IinetProcess dealer in dealers)
            {
                await dealer.DisposeAsync();
            }
        }

        Assert.That(rootKeys.Distinct().Count(), Is.EqualTo(1), "every machine computed the same subnet key");
        for (int i = 0; i < 4; i++)
        {
            Assert.That(Directory.GetFiles(Path.Combine(_dir, $"machine-{i}")).Select(Path.GetFileName), Is.EqualTo(new[] { $"node-{i}.json" }),
                "each machine holds its own configuration (and share) only");
        }

        var nodes = new List<IinetProcess>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                nodes.Add(IinetProcess.Start("node", "--config", Path.Combine(_dir, $"machine-{i}", $"node-{i}.json")));
            }

            foreach (IinetProcess node in nodes)
            {
                await node.WaitForLineAsync(s_ready);
                Assert.That((await node.WaitForLineAsync(s_rootKey)).Groups[1].Value, Is.EqualTo(rootKeys[0]), node.Transcript);
                Assert.That(ulong.Parse((await node.WaitForLineAsync(s_certified)).Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThan(0UL));
            }

            foreach (IinetProcess node in nodes)
            {
                Assert.That(await node.StopAsync(), Is.EqualTo(0), node.Transcript);
            }
        }
        finally
        {
            foreach (IinetProcess node in nodes)
            {
                await node.DisposeAsync();
            }
        }

        Assert.That(GenesisConfig.Load(Path.Combine(_dir, "machine-2", "node-2.json")).Certification.Share.NodeIndex, Is.EqualTo(2u));
    }

    [TestCase("--index", "0", "--replicas", "4", "--dkg", "--peers", "127.0.0.1:1,127.0.0.1:2", "--peers: 2 peers for --replicas 4")]
    [TestCase("--index", "0", "--replicas", "2", "--dkg", "--peers", "127.0.0.1:1,nohost", "--peers: 'nohost' is not host:port")]
    [TestCase("--index", "5", "--replicas", "2", "--dkg", "--peers", "127.0.0.1:1,127.0.0.1:2", "--index: --dkg needs this replica's index between 0 and 1")]
    [TestCase("--index", "0", "--replicas", "2", "--dkg", "--base-port", "1", "--dkg needs every replica's host:port")]
    public void GenesisDkg_BadArguments_ExitTwoWithTheReason(string a, string b, string c, string d, string e, string f, string g, string expected)
    {
        string[] args = ["genesis", a, b, c, d, e, f, g, "--out", _dir];
        CliHarness.Result r = CliHarness.Run([.. args.Where(x => x.Length > 0)]);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Output + r.Error);
        Assert.That(r.Error, Does.Contain(expected));
    }
}
