using InternetIdentity.Replica.Metrics;

namespace InternetIdentity.Replica.Tests.Metrics;

public class PrometheusTextTests
{
    private static readonly MetricFamily[] Families =
    [
        new("iinet_things_total", MetricType.Counter, "Things \\ counted\nacross lines", [new([new("kind", "a \"quoted\" \\ value\n")], 3)]),
        new("iinet_height", MetricType.Gauge, "A height", [new([], 12)]),
        new("iinet_wait_seconds", MetricType.Histogram, "Waits", [new([], 3, new HistogramValue([(0.1, 1), (1, 2), (double.PositiveInfinity, 3)], 3, 2.5))]),
    ];

    [Test]
    public void Write_ThenParse_RoundTripsEveryFamily()
    {
        string text = PrometheusTextWriter.Write(Families);
        IReadOnlyList<MetricFamily> parsed = PrometheusTextParser.Parse(text);

        Assert.That(parsed.Select(f => (f.Name, f.Type, f.Help)), Is.EqualTo(Families.Select(f => (f.Name, f.Type, f.Help))));
        Assert.That(parsed[0].Samples[0].Label("kind"), Is.EqualTo("a \"quoted\" \\ value\n"));
        Assert.That(parsed[0].Samples[0].Value, Is.EqualTo(3));
        Assert.That(parsed[1].Unlabeled!.Value, Is.EqualTo(12));
        HistogramValue h = parsed[2].Samples[0].Histogram!;
        Assert.That(h.Buckets, Is.EqualTo(new[] { (0.1, 1.0), (1.0, 2.0), (double.PositiveInfinity, 3.0) }));
        Assert.That((h.Count, h.Sum), Is.EqualTo((3.0, 2.5)));
    }

    [Test]
    public void Write_Histogram_BucketsSumAndCountLines()
    {
        string text = PrometheusTextWriter.Write([Families[2]]);
        Assert.That(text, Does.Contain("# TYPE iinet_wait_seconds histogram\n"));
        Assert.That(text, Does.Contain("iinet_wait_seconds_bucket{le=\"0.1\"} 1\n"));
        Assert.That(text, Does.Contain("iinet_wait_seconds_bucket{le=\"+Inf\"} 3\n"));
        Assert.That(text, Does.Contain("iinet_wait_seconds_sum 2.5\n"));
        Assert.That(text, Does.Contain("iinet_wait_seconds_count 3\n"));
    }

    [Test]
    public void Parse_TimestampAndUntypedSamples_Accepted()
    {
        IReadOnlyList<MetricFamily> parsed = PrometheusTextParser.Parse("# a comment\nup{job=\"x\"} 1 1700000000000\nother NaN\n");
        Assert.That(parsed.Select(f => f.Name), Is.EqualTo(new[] { "up", "other" }));
        Assert.That(parsed[0].Type, Is.EqualTo(MetricType.Gauge));
        Assert.That(double.IsNaN(parsed[1].Samples[0].Value), Is.True);
    }

    [TestCase("iinet_x abc\n", "line 1: 'abc' is not a number")]
    [TestCase("# TYPE x counter\n9x 1\n", "line 2: '9x' is not a metric or label name")]
    [TestCase("x{a=1} 1\n", "label a has no quoted value")]
    [TestCase("x{a=\"1} 1\n", "the value of label a is not closed")]
    [TestCase("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n", "histogram h has no +Inf bucket")]
    [TestCase("# TYPE s summary\n", "unsupported type 'summary' of s")]
    public void Parse_Malformed_ThrowsNamingTheLine(string text, string reason)
    {
        var e = Assert.Throws<ExpositionFormatException>(() => PrometheusTextParser.Parse(text));
        Assert.That(e!.Message, Does.Contain(reason));
    }

    [Test]
    public void Quantile_InterpolatesWithinTheBucket()
    {
        var h = new HistogramValue([(0.01, 50), (0.1, 90), (1, 100), (double.PositiveInfinity, 100)], 100, 5);
        Assert.That(h.Quantile(0.5), Is.EqualTo(0.01).Within(1e-12));
        Assert.That(h.Quantile(0.7), Is.EqualTo(0.01 + (0.09 * 20 / 40)).Within(1e-12));
        Assert.That(h.Quantile(0.99), Is.EqualTo(0.1 + (0.9 * 9 / 10)).Within(1e-12));
    }

    [Test]
    public void Quantile_InTheInfBucket_IsTheLargestFiniteBound()
    {
        var h = new HistogramValue([(1, 1), (double.PositiveInfinity, 10)], 10, 50);
        Assert.That(h.Quantile(0.99), Is.EqualTo(1));
    }

    [Test]
    public void Quantile_NoObservations_NaN_AndOutOfRange_Throws()
    {
        var h = new HistogramValue([(1, 0), (double.PositiveInfinity, 0)], 0, 0);
        Assert.That(double.IsNaN(h.Quantile(0.5)), Is.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Quantile(1.5));
    }

    [Test]
    public void Since_SubtractsTheEarlierScrape_OrKeepsAllAfterARestart()
    {
        var earlier = new HistogramValue([(1, 4), (double.PositiveInfinity, 5)], 5, 3);
        var now = new HistogramValue([(1, 6), (double.PositiveInfinity, 9)], 9, 10);
        HistogramValue delta = now.Since(earlier);
        Assert.That(delta.Buckets, Is.EqualTo(new[] { (1.0, 2.0), (double.PositiveInfinity, 4.0) }));
        Assert.That((delta.Count, delta.Sum), Is.EqualTo((4.0, 7.0)));
        Assert.That(earlier.Since(now), Is.SameAs(earlier));
    }
}
