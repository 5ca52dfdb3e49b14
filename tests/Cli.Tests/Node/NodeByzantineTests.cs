using System.Globalization;
using System.Text.RegularExpressions;
using InternetIdentity.Replica.Metrics;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests.Node;

/// <summary>`iinet node --byzantine MODE`: a replica that misbehaves on purpose over the real transport, said loudly at start.</summary>
[TestFixture]
[NonParallelizable]
public sealed class NodeByzantineTests
{
    private static readonly Regex s_ready = new("^ready: replica", RegexOptions.CultureInvariant);
    private static readonly Regex s_url = new("^url +(http://\\S+)$", RegexOptions.CultureInvariant);

    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("iinet-byzantine-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Node_ByzantineUnknownMode_ExitsTwoListingTheModes()
    {
        CliHarness.Result genesis = CliHarness.Run("genesis", "--replicas", "4", "--out", _dir);
        Assert.That(genesis.ExitCode, Is.Zero, genesis.Error);

        CliHarness.Result r = CliHarness.Run("node", "--config", Path.Combine(_dir, "node-0.json"), "--byzantine", "lie");

        Assert.That(r.ExitCode, Is.EqualTo(2), r.Output + r.Error);
        Assert.That(r.Error, Does.Contain("--byzantine: 'lie' is none of equivocate, junk-ingress, flood-shares, forge-shares, bad-checkpoint, silent"));
    }

    [Test]
    public async Task Node_OneForgingReplicaOfFour_WarnsAtStartAndTheHonestThreeKeepCertifying()
    {
        int basePort = FreePorts.FindConsecutive(8);
        await using (IinetProcess genesis = IinetProcess.Start("genesis", "--replicas", "4", "--out", _dir,
            "--base-port", basePort.ToString(CultureInfo.InvariantCulture)))
        {
            Assert.That(await genesis.WaitForExitAsync(), Is.EqualTo(0), genesis.Transcript);
        }

        var nodes = new List<IinetProcess>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                nodes.Add(i == 3
                    ? IinetProcess.Start("node", "--config", Path.Combine(_dir, $"node-{i}.json"), "--byzantine", "forge-shares")
                    : IinetProcess.Start("node", "--config", Path.Combine(_dir, $"node-{i}.json")));
            }

            var urls = new List<string>();
            foreach (IinetProcess node in nodes.Take(3))
            {
                await node.WaitForLineAsync(s_ready);
                urls.Add((await node.WaitForLineAsync(s_url)).Groups[1].Value);
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            double[] first = await Task.WhenAll(urls.Select(u => Metric(http, u, "iinet_certified_height")));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            double[] now = first;
            while (now.Zip(first).Any(p => p.Item1 < p.Item2 + 10))
            {
                Assert.That(cts.IsCancellationRequested, Is.False, $"honest certified heights {string.Join(", ", now)} from {string.Join(", ", first)}");
                await Task.Delay(200, cts.Token);
                now = await Task.WhenAll(urls.Select(u => Metric(http, u, "iinet_certified_height")));
            }

            Assert.That(nodes[3].StandardError, Does.Contain("warning: replica 3 runs BYZANTINE on purpose (--byzantine forge-shares)"), nodes[3].Transcript);
            for (int i = 0; i < 3; i++)
            {
                Assert.That(await nodes[i].StopAsync(), Is.EqualTo(0), nodes[i].Transcript);
            }
        }
        finally
        {
            foreach (IinetProcess node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static async Task<double> Metric(HttpClient http, string url, string name)
    {
        string text = await http.GetStringAsync(url + "/_/metrics");
        return PrometheusTextParser.Parse(text).Single(f => f.Name == name).Total;
    }
}
