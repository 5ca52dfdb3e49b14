using System.CommandLine;
using System.Globalization;

namespace InternetIdentity.Cli;

/// <summary>
/// <c>iinet top --url URL [--interval 1s] [--once]</c>: a live terminal view of a network's replicas, read from each
/// replica's <c>/_/metrics</c> (the replicas are those <c>/_/replicas</c> of URL lists). Redraws with ANSI escapes every
/// interval until Ctrl-C; <c>--once</c> scrapes twice, one interval apart (rates need two scrapes), prints one table and exits.
/// </summary>
internal static class TopCommand
{
    private const string ClearScreen = "\u001b[H\u001b[2J";

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "a replica's URL (every replica of its subnet is shown)", DefaultValueFactory = _ => "http://127.0.0.1:4943" };
        var interval = new Option<string>("--interval") { Description = "time between scrapes: 500ms, 1s, 2.5s ...", DefaultValueFactory = _ => "1s" };
        var once = new Option<bool>("--once") { Description = "print one table (over one interval) and exit" };
        var cmd = new Command("top", "live view of a network: every replica's heights, update and query rates, latency p50/p99, ingress pool")
        {
            url, interval, once,
        };
        cmd.SetAction((r, ct) => RunAsync(ParseUrl(r.GetValue(url)!), ParseInterval(r.GetValue(interval)!), r.GetValue(once),
            r.InvocationConfiguration.Output, ct));
        return cmd;
    }

    internal static async Task<int> RunAsync(Uri url, TimeSpan interval, bool once, TextWriter output, CancellationToken ct)
    {
        using var stop = new StopSignals(ct);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var scraper = new TopScraper(http);
        try
        {
            IReadOnlyList<Uri> replicas;
            try
            {
                replicas = await scraper.ReplicasAsync(url, stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or KeyNotFoundException
                && !stop.Token.IsCancellationRequested)
            {
                throw new CliInputException($"--url: cannot list the replicas at {url}: {e.Message}");
            }

            ReplicaScrape[] before = await scraper.ScrapeAsync(replicas, stop.Token).ConfigureAwait(false);
            while (true)
            {
                await Task.Delay(interval, stop.Token).ConfigureAwait(false);
                ReplicaScrape[] now = await scraper.ScrapeAsync(replicas, stop.Token).ConfigureAwait(false);
                string table = TopView.Render(now, before);
                if (once)
                {
                    output.Write(table);
                    return ExitCodes.Success;
                }

                output.Write($"{ClearScreen}iinet top  {url}  every {interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s  (Ctrl-C to quit)\n\n{table}");
                output.Flush();
                before = now;
            }
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            output.WriteLine();
            return ExitCodes.Success;
        }
    }

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https"
            ? url
            : throw new CliInputException($"--url: '{text}' is not an http(s) URL");

    /// <summary>An interval such as <c>500ms</c>, <c>1s</c> or <c>2.5s</c>, between 100 ms and 1 hour.</summary>
    internal static TimeSpan ParseInterval(string text)
    {
        (string number, double scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0) : (text, 1000.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new CliInputException($"--interval: '{text}' is not a duration such as 500ms, 1s or 2.5s");
        }

        TimeSpan interval = TimeSpan.FromMilliseconds(value * scale);
        return interval >= TimeSpan.FromMilliseconds(100) && interval <= TimeSpan.FromHours(1)
            ? interval
            : throw new CliInputException($"--interval: {text} is not between 100ms and 1 hour");
    }
}
