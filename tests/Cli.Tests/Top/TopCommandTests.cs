using System.Diagnostics;
using System.Net;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Metrics;

namespace InternetIdentity.Cli.Tests.Top;

[NonParallelizable]
public class TopCommandTests
{
    private LocalSubnet _subnet = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var random = new Random(7);
        IReadOnlyList<GenesisConfig> configs = GenesisBuilder.Create(4, "127.0.0.1", 0, random.NextBytes);
        _subnet = await LocalSubnet.StartAsync(configs, () => SubnetCanisters.Create(), TimeProvider.System, IPAddress.Loopback, 0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _subnet.WaitUntilCertifiedAsync(cts.Token);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _subnet.DisposeAsync();

    [Test]
    public void Top_Once_OneRowPerReplicaWithItsHeights()
    {
        CliHarness.Result r = CliHarness.Run("top", "--url", _subnet.Gateways[1].Url.ToString(), "--once", "--interval", "300ms");

        Assert.That(r.ExitCode, Is.Zero, r.Error);
        string[] lines = r.Output.TrimEnd('\n').Split('\n');
        Assert.That(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(TopView.Columns));
        Assert.That(lines, Has.Length.EqualTo(5));
        for (int i = 0; i < 4; i++)
        {
            string[] cells = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(cells, Has.Length.EqualTo(TopView.Columns.Length), lines[i + 1]);
            Assert.That(cells[0], Is.EqualTo(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(long.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "finalized height of replica " + i);
            Assert.That(cells[5], Does.Match(@"^\d+\.\d$"), "an update rate over the interval");
        }

        Assert.That(r.Output, Does.Not.Contain("\u001b["), "--once prints no escape sequences");
    }

    [Test]
    public void Top_NotAReplica_Exit2WithTheReason()
    {
        CliHarness.Result r = CliHarness.Run("top", "--url", "http://127.0.0.1:9/", "--once");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Malformed));
        Assert.That(r.Error, Does.StartWith("error: --url: cannot list the replicas at http://127.0.0.1:9/"));
    }

    [TestCase("fast", "--interval: 'fast' is not a duration such as 500ms, 1s or 2.5s")]
    [TestCase("10ms", "--interval: 10ms is not between 100ms and 1 hour")]
    public void Top_BadInterval_Exit2(string interval, string message)
    {
        CliHarness.Result r = CliHarness.Run("top", "--url", _subnet.Url.ToString(), "--once", "--interval", interval);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Malformed));
        Assert.That(r.Error.Trim(), Is.EqualTo("error: " + message));
    }

    [Test]
    public void Render_UnreachableReplica_SaysSo_AndRatesComeFromTwoScrapes()
    {
        long t0 = Stopwatch.GetTimestamp();
        long t1 = t0 + Stopwatch.Frequency * 2; // two seconds later
        MetricFamily Executed(double v) => new("iinet_messages_executed_total", MetricType.Counter, "", [new([], v)]);
        MetricFamily Latency(double fast, double all) => new("iinet_update_latency_seconds", MetricType.Histogram, "",
            [new([], all, new HistogramValue([(0.01, fast), (0.1, all), (double.PositiveInfinity, all)], all, 0))]);
        var url = new Uri("http://127.0.0.1:1/");
        ReplicaScrape[] before = [new(0, url, t0, [Executed(10), Latency(0, 0)], null), new(1, url, t0, null, "refused")];
        ReplicaScrape[] now = [new(0, url, t1, [Executed(30), Latency(10, 10)], null), new(1, url, t1, null, "Connection refused")];

        string[] lines = TopView.Render(now, before).TrimEnd('\n').Split('\n');

        string[] row = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(row[5], Is.EqualTo("10.0"), "20 messages in 2 s");
        Assert.That(row[7], Is.EqualTo("5.0ms"), "p50 of 10 observations all at or below 10 ms");
        Assert.That(lines[2].Trim(), Is.EqualTo("1  unreachable: Connection refused"));
    }
}
