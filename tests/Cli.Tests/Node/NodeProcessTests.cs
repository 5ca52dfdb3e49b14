using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests.Node;

/// <summary>A subnet across processes: `iinet genesis`, then one `iinet node` per replica on loopback.</summary>
[TestFixture]
[NonParallelizable]
public sealed class NodeProcessTests
{
    private static readonly Regex s_ready = new("^ready: replica", RegexOptions.CultureInvariant);
    private static readonly Regex s_url = new("^url +(http://\\S+)$", RegexOptions.CultureInvariant);
    private static readonly Regex s_rootKey = new("^root_key +([0-9a-f]+)$", RegexOptions.CultureInvariant);
    private static readonly Regex s_certified = new("^certified height (\\d+) after (\\d+) ms$", RegexOptions.CultureInvariant);

    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("iinet-node-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Node_FourProcessesFromGenesis_CertifyAndServeTheSameRootKeyAndTheTestApiOnlyWhenAsked()
    {
        int basePort = FreePorts.FindConsecutive(8);
        await using (IinetProcess genesis = IinetProcess.Start("genesis", "--replicas", "4", "--out", _dir,
            "--base-port", basePort.ToString(CultureInfo.InvariantCulture)))
        {
            Assert.That(await genesis.WaitForExitAsync(), Is.EqualTo(0), genesis.Transcript);
        }

        string expectedKey = Convert.ToHexStringLower(GenesisConfig.Load(Path.Combine(_dir, "node-0.json")).RootKeyDer);
        var started = Stopwatch.StartNew();
        var nodes = new List<IinetProcess>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                nodes.Add(i == 0
                    ? IinetProcess.Start("node", "--config", Path.Combine(_dir, $"node-{i}.json"), "--test-api")
                    : IinetProcess.Start("node", "--config", Path.Combine(_dir, $"node-{i}.json")));
            }

            var urls = new List<string>();
            foreach (IinetProcess node in nodes)
            {
                await node.WaitForLineAsync(s_ready);
                Assert.That((await node.WaitForLineAsync(s_rootKey)).Groups[1].Value, Is.EqualTo(expectedKey), node.Transcript);
                Assert.That(ulong.Parse((await node.WaitForLineAsync(s_certified)).Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThan(0UL));
                urls.Add((await node.WaitForLineAsync(s_url)).Groups[1].Value);
            }

            TestContext.Out.WriteLine($"4 processes ready after {started.ElapsedMilliseconds} ms (base port {basePort})");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            for (int i = 0; i < 4; i++)
            {
                Assert.That(urls[i], Is.EqualTo($"http://127.0.0.1:{basePort + i}"), nodes[i].Transcript);
                using HttpResponseMessage status = await http.GetAsync(urls[i] + "/api/v2/status");
                Assert.That((int)status.StatusCode, Is.EqualTo(200), nodes[i].Transcript);
                StatusResponse body = StatusResponse.Decode(await status.Content.ReadAsByteArrayAsync());
                Assert.That(Convert.ToHexStringLower(body.RootKey ?? []), Is.EqualTo(expectedKey), "the status carries the subnet's root key");
                Assert.That(body.ReplicaHealthStatus, Is.EqualTo("healthy"), nodes[i].Transcript);
            }

            // Node 0 serves the test API (it reads the time; its peers run their own clocks, so it refuses to move it).
            using HttpResponseMessage time = await http.GetAsync(urls[0] + "/_/time");
            string timeBody = await time.Content.ReadAsStringAsync();
            Assert.That((int)time.StatusCode, Is.EqualTo(200), timeBody);
            Assert.That(timeBody, Does.Contain("\"nanos_since_epoch\":").And.Contain("\"height\":"));
            using HttpResponseMessage advance = await http.PostAsync(urls[0] + "/_/time/advance", new StringContent("{\"nanos\": 1000}"));
            Assert.That((int)advance.StatusCode, Is.EqualTo(409), await advance.Content.ReadAsStringAsync());
            using HttpResponseMessage off = await http.GetAsync(urls[1] + "/_/time");
            Assert.That((int)off.StatusCode, Is.EqualTo(404));
            Assert.That(await off.Content.ReadAsStringAsync(), Does.Contain("the test API is off"));

            foreach (IinetProcess node in nodes)
            {
                Assert.That(await node.StopAsync(), Is.EqualTo(0), node.Transcript);
                Assert.That(node.StandardError, Is.Empty, node.Transcript);
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

    [Test]
    public async Task Node_MissingConfig_ExitsTwoWithReason()
    {
        await using IinetProcess node = IinetProcess.Start("node", "--config", Path.Combine(_dir, "absent.json"));
        Assert.That(await node.WaitForExitAsync(), Is.EqualTo(2), node.Transcript);
        Assert.That(node.StandardError, Does.Contain("--config").And.Contain("absent.json"), node.Transcript);
    }
}
