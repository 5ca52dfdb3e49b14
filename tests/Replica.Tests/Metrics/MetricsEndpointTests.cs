using System.Net;
using System.Text.Json;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Metrics;
using InternetIdentity.Replica.Tests.Gateway;

namespace InternetIdentity.Replica.Tests.Metrics;

/// <summary>A known run on a 4-replica subnet (test API off): N update calls and N queries at replica 0, then its metrics.</summary>
[NonParallelizable]
public class MetricsEndpointTests
{
    private const int N = 5;
    private static readonly Principal Counter = CounterCanister.Id;
    private readonly TestIdentity _alice = new(1);
    private GatewayFixture _f = null!;
    private IReadOnlyList<MetricFamily> _replica0 = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _f = await GatewayFixture.StartAsync();
        for (int i = 0; i < N; i++)
        {
            await _f.SyncCall(_alice.Envelope(_f.Call(_alice.Principal, Counter, "inc", nonce: [(byte)i])), Counter);
            HttpResponseMessage q = await _f.Post($"/api/v3/canister/{Counter}/query", _alice.Envelope(_f.Call(_alice.Principal, Counter, "get", RequestType.Query)));
            Assert.That(q.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        _replica0 = await Scrape(_f.Subnet.Url);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _f.DisposeAsync();

    private async Task<IReadOnlyList<MetricFamily>> Scrape(Uri gateway)
    {
        HttpResponseMessage r = await _f.Http.GetAsync(new Uri(gateway, "/_/metrics"));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(r.Content.Headers.ContentType!.ToString(), Does.StartWith("text/plain; version=0.0.4"));
        return PrometheusTextParser.Parse(await r.Content.ReadAsStringAsync());
    }

    private double Value(string name) => _replica0.Single(f => f.Name == name).Total;

    private double Labeled(string name, string label, string value) =>
        _replica0.Single(f => f.Name == name).Samples.Where(s => s.Label(label) == value).Sum(s => s.Value);

    [Test]
    public void Metrics_KnownRun_CountsTheCallsAndQueries()
    {
        Assert.That(Value("iinet_updates_submitted_total"), Is.EqualTo(N));
        Assert.That(Value("iinet_update_latency_seconds"), Is.EqualTo(N), "every call's submit-to-certified latency");
        Assert.That(Value("iinet_messages_executed_total"), Is.EqualTo(N));
        Assert.That(Value("iinet_query_latency_seconds"), Is.EqualTo(N));
        Assert.That(Labeled("iinet_signature_checks_total", "where", "gateway"), Is.EqualTo(2 * N));
        HistogramValue blockMessages = _replica0.Single(f => f.Name == "iinet_block_messages").Samples.Single().Histogram!;
        Assert.That(blockMessages.Sum, Is.EqualTo(N), "the ingress messages of the executed blocks");
        Assert.That(blockMessages.Count, Is.EqualTo(Value("iinet_blocks_executed_total")));
        Assert.That(_replica0.Single(f => f.Name == "iinet_block_size_bytes").Samples.Single().Histogram!.Sum, Is.GreaterThan(N * 100));
    }

    [Test]
    public void Metrics_KnownRun_HeightsConsistentAndCryptoCounted()
    {
        double certified = Value("iinet_certified_height");
        Assert.That(certified, Is.GreaterThanOrEqualTo(N), "each sync call was certified at a height of its own or a later one");
        Assert.That(Value("iinet_executed_height"), Is.GreaterThanOrEqualTo(certified));
        Assert.That(Value("iinet_finalized_height"), Is.GreaterThanOrEqualTo(Value("iinet_executed_height")));
        Assert.That(Value("iinet_notarized_height"), Is.GreaterThanOrEqualTo(Value("iinet_finalized_height")));
        Assert.That(Value("iinet_blocks_executed_total"), Is.EqualTo(Value("iinet_executed_height")), "one block per height from genesis");
        Assert.That(Labeled("iinet_bls_operations_total", "scheme", "certification"), Is.GreaterThan(0));
        Assert.That(Labeled("iinet_bls_operations_total", "scheme", "beacon"), Is.GreaterThan(0));
        Assert.That(Labeled("iinet_signature_checks_total", "where", "consensus"), Is.GreaterThan(0));
        Assert.That(Labeled("iinet_protocol_events_total", "kind", "Notarized"), Is.GreaterThan(0));
        Assert.That(Value("iinet_ingress_pool_messages"), Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public void Metrics_Names_FollowPrometheusConventions()
    {
        Assert.That(_replica0.Select(f => f.Name), Is.Unique);
        foreach (MetricFamily f in _replica0)
        {
            Assert.That(f.Name, Does.Match("^iinet_[a-z0-9_]+$"), f.Name);
            Assert.That(f.Help, Is.Not.Empty, f.Name);
            if (f.Type == MetricType.Counter)
            {
                Assert.That(f.Name, Does.EndWith("_total"), f.Name);
            }
            else
            {
                Assert.That(f.Name, Does.Not.EndWith("_total"), f.Name);
            }

            if (f.Name.Contains("seconds", StringComparison.Ordinal) || f.Name.Contains("bytes", StringComparison.Ordinal))
            {
                Assert.That(f.Name, Does.Match("_(seconds|bytes)(_total)?$"), "the unit is the last word before _total: " + f.Name);
            }
        }

        string[] expected =
        [
            "iinet_notarized_height", "iinet_finalized_height", "iinet_certified_height", "iinet_executed_height",
            "iinet_block_messages", "iinet_block_size_bytes", "iinet_ingress_pool_messages", "iinet_update_latency_seconds",
            "iinet_query_latency_seconds", "iinet_bls_operations_total", "iinet_bls_seconds_total", "iinet_signature_checks_total",
            "iinet_signature_check_seconds_total", "iinet_checkpoint_size_bytes", "iinet_checkpoint_duration_seconds", "iinet_peers_connected",
        ];
        Assert.That(_replica0.Select(f => f.Name), Is.SupersetOf(expected));
    }

    [Test]
    public async Task Metrics_PeersConnected_ReachesTheOtherReplicas()
    {
        // Cluster membership converges in the background (readiness never waits for it): bounded wait, then say what for.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        double peers;
        do
        {
            peers = (await Scrape(_f.Subnet.Gateways[1].Url)).Single(f => f.Name == "iinet_peers_connected").Total;
        }
        while (peers < 3 && DateTime.UtcNow < deadline && await Task.Delay(200).ContinueWith(_ => true));

        Assert.That(peers, Is.EqualTo(3), "replica 1 did not see its 3 peers up within 30 s");
    }

    [Test]
    public async Task Replicas_ListsEveryGateway_AndEachServesItsOwnJson()
    {
        using JsonDocument list = JsonDocument.Parse(await _f.Http.GetStringAsync(new Uri(_f.Subnet.Gateways[2].Url, "/_/replicas")));
        Assert.That(list.RootElement.GetProperty("self").GetInt32(), Is.EqualTo(2));
        string[] urls = [.. list.RootElement.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("url").GetString()!)];
        Assert.That(urls, Is.EqualTo(_f.Subnet.Gateways.Select(g => g.Url.ToString())));

        for (int i = 0; i < urls.Length; i++)
        {
            using JsonDocument json = JsonDocument.Parse(await _f.Http.GetStringAsync(new Uri(new Uri(urls[i]), "/_/metrics.json")));
            Assert.That(json.RootElement.GetProperty("replica").GetInt32(), Is.EqualTo(i));
            JsonElement finalized = json.RootElement.GetProperty("families").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "iinet_finalized_height");
            Assert.That(finalized.GetProperty("samples")[0].GetProperty("value").GetDouble(), Is.GreaterThan(0));
            JsonElement latency = json.RootElement.GetProperty("families").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "iinet_update_latency_seconds");
            Assert.That(latency.GetProperty("samples")[0].GetProperty("buckets").EnumerateArray().Last()[0].GetString(), Is.EqualTo("+Inf"));
        }
    }

    [Test]
    public async Task Dashboard_ServesThePageThatPollsTheReplicas()
    {
        HttpResponseMessage r = await _f.Http.GetAsync(new Uri(_f.Subnet.Gateways[3].Url, "/_/dashboard"));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(r.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        string html = await r.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("<html lang=\"en\">").And.Contain("/_/replicas").And.Contain("/_/metrics.json").And.Contain("role=\"img\""));
        Assert.That(html, Does.Not.Contain("<script src"), "no external scripts");
    }

    [Test]
    public async Task UnknownUnderscorePath_Still404()
    {
        HttpResponseMessage r = await _f.Http.GetAsync("/_/metricsx");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
