using System.Diagnostics;
using System.Globalization;
using System.Text;
using InternetIdentity.Replica.Metrics;

namespace InternetIdentity.Cli;

/// <summary>
/// The table <c>iinet top</c> shows: one row per replica with its heights, the update and query rates since the
/// previous scrape, update and query latency p50/p99 over that interval, the ingress pool and connected peers.
/// </summary>
internal static class TopView
{
    /// <summary>The column headers, in order.</summary>
    public static readonly string[] Columns =
        ["replica", "notarized", "finalized", "certified", "executed", "upd/s", "qry/s", "upd-p50", "upd-p99", "qry-p50", "qry-p99", "pool", "peers"];

    /// <summary>Renders the table for <paramref name="now"/>, with rates against <paramref name="before"/> (by index).</summary>
    public static string Render(IReadOnlyList<ReplicaScrape> now, IReadOnlyList<ReplicaScrape>? before)
    {
        ArgumentNullException.ThrowIfNull(now);
        var rows = new List<string[]> { Columns };
        foreach (ReplicaScrape s in now)
        {
            ReplicaScrape? b = before?.FirstOrDefault(x => x.Index == s.Index && x.Families is not null);
            if (s.Families is null)
            {
                rows.Add([s.Index.ToString(CultureInfo.InvariantCulture), "unreachable: " + s.Error]);
                continue;
            }

            double seconds = b is null ? double.NaN : Stopwatch.GetElapsedTime(b.At, s.At).TotalSeconds;
            double Rate(string name) => b is null ? double.NaN : (s.Value(name) - b.Value(name)) / seconds;
            HistogramValue? updates = s.Histogram("iinet_update_latency_seconds")?.Since(b?.Histogram("iinet_update_latency_seconds"));
            HistogramValue? queries = s.Histogram("iinet_query_latency_seconds")?.Since(b?.Histogram("iinet_query_latency_seconds"));
            rows.Add([
                s.Index.ToString(CultureInfo.InvariantCulture),
                Whole(s.Value("iinet_notarized_height")), Whole(s.Value("iinet_finalized_height")),
                Whole(s.Value("iinet_certified_height")), Whole(s.Value("iinet_executed_height")),
                Rate1(Rate("iinet_messages_executed_total")), Rate1(Rate("iinet_query_latency_seconds")),
                Ms(updates, 0.5), Ms(updates, 0.99), Ms(queries, 0.5), Ms(queries, 0.99),
                Whole(s.Value("iinet_ingress_pool_messages")), Whole(s.Value("iinet_peers_connected")),
            ]);
        }

        int[] widths = [.. Columns.Select((_, i) => rows.Where(r => r.Length == Columns.Length).Max(r => r[i].Length))];
        var text = new StringBuilder();
        foreach (string[] row in rows)
        {
            if (row.Length != Columns.Length)
            {
                text.Append(row[0].PadLeft(widths[0])).Append("  ").Append(row[1]).Append('\n');
                continue;
            }

            text.Append(string.Join("  ", row.Select((cell, i) => cell.PadLeft(widths[i])))).Append('\n');
        }

        return text.ToString();
    }

    private static string Whole(double v) => double.IsFinite(v) ? v.ToString("0", CultureInfo.InvariantCulture) : "-";

    private static string Rate1(double v) => double.IsFinite(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    // Latency in milliseconds over the interval; "-" without observations in it.
    private static string Ms(HistogramValue? h, double q)
    {
        double v = h is null ? double.NaN : h.Quantile(q) * 1000;
        return double.IsFinite(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) + "ms" : "-";
    }
}
