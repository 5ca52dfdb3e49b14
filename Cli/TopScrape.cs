using System.Diagnostics;
using System.Text.Json;
using InternetIdentity.Replica.Metrics;

namespace InternetIdentity.Cli;

/// <summary>One replica's metrics as scraped at one moment, or why they could not be.</summary>
/// <param name="Index">The replica's index.</param>
/// <param name="Url">Its gateway.</param>
/// <param name="At">When the scrape finished (<see cref="Stopwatch.GetTimestamp"/>).</param>
/// <param name="Families">Its metric families, or null when unreachable.</param>
/// <param name="Error">Why it is unreachable.</param>
internal sealed record ReplicaScrape(int Index, Uri Url, long At, IReadOnlyList<MetricFamily>? Families, string? Error)
{
    /// <summary>The value of a counter or gauge summed over its series (a histogram's count), or NaN.</summary>
    public double Value(string name) => Families?.FirstOrDefault(f => f.Name == name)?.Total ?? double.NaN;

    /// <summary>A histogram's first series, or null.</summary>
    public HistogramValue? Histogram(string name) => Families?.FirstOrDefault(f => f.Name == name)?.Samples.FirstOrDefault()?.Histogram;
}

/// <summary>Finds a network's replicas (<c>/_/replicas</c>) and scrapes each one's <c>/_/metrics</c>.</summary>
internal sealed class TopScraper(HttpClient http)
{
    /// <summary>The replicas the gateway at <paramref name="url"/> lists, by index.</summary>
    public async Task<IReadOnlyList<Uri>> ReplicasAsync(Uri url, CancellationToken ct)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri(url, "/_/replicas"), ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliInputException($"--url: {url} answered {(int)response.StatusCode} to /_/replicas: is it an iinet replica?");
        }

        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        return [.. json.RootElement.GetProperty("replicas").EnumerateArray().Select(r => new Uri(r.GetProperty("url").GetString()!))];
    }

    /// <summary>Scrapes every replica at once.</summary>
    public Task<ReplicaScrape[]> ScrapeAsync(IReadOnlyList<Uri> replicas, CancellationToken ct) =>
        Task.WhenAll(replicas.Select((url, i) => ScrapeAsync(i, url, ct)));

    private async Task<ReplicaScrape> ScrapeAsync(int index, Uri url, CancellationToken ct)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri(url, "/_/metrics"), ct).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? new ReplicaScrape(index, url, Stopwatch.GetTimestamp(), PrometheusTextParser.Parse(text), null)
                : new ReplicaScrape(index, url, Stopwatch.GetTimestamp(), null, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or ExpositionFormatException
            || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return new ReplicaScrape(index, url, Stopwatch.GetTimestamp(), null, e.Message);
        }
    }
}
