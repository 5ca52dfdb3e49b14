using System.Globalization;
using System.Text;
using System.Text.Json;

namespace InternetIdentity.SubnetLoad;

/// <summary>
/// Writes a run's figures beside the printed table: <c>figures.json</c> (every row and, per phase, its count, rate,
/// percentiles and completions per second) and <c>throughput.svg</c> (completions per second over each phase, so a rate
/// that decays as request statuses accumulate shows as a falling line).
/// </summary>
internal static class FigureExport
{
    private static readonly string[] s_colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    public static void Write(string directory, string command, string loadBefore, string loadAfter,
        IReadOnlyList<(string Measure, string Value, string Target)> rows, IReadOnlyList<PhaseResult> phases)
    {
        Directory.CreateDirectory(directory);
        var figures = new
        {
            command,
            utc = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            cores = Environment.ProcessorCount,
            load_average_before = loadBefore,
            load_average_after = loadAfter,
            rows = rows.Select(r => new { measure = r.Measure, value = r.Value, target = r.Target }),
            phases = phases.Select(p => new
            {
                name = p.Name,
                clients = p.Clients,
                seconds = Math.Round(p.Seconds, 3),
                completed = p.Latencies.Count,
                errors = p.Latencies.Errors,
                per_second = Math.Round(p.PerSecond, 1),
                p50_ms = Round(p.Latencies.Percentile(50)),
                p99_ms = Round(p.Latencies.Percentile(99)),
                completed_each_second = p.Latencies.PerSecond(),
            }),
        };
        File.WriteAllText(Path.Combine(directory, "figures.json"), JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        File.WriteAllText(Path.Combine(directory, "throughput.svg"), Chart(phases));
    }

    private static double? Round(double v) => double.IsNaN(v) ? null : Math.Round(v, 2);

    // One panel per phase (updates and queries differ by an order of magnitude): completions in each second of it.
    private static string Chart(IReadOnlyList<PhaseResult> phases)
    {
        const int width = 720, panel = 150, left = 64, right = 12, top = 24, bottom = 22;
        int height = 24 + (phases.Count * panel);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"operations completed per second in each phase\">\n");
        svg.Append("<style>text{font:12px sans-serif;fill:#333}</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        svg.Append("<text x=\"8\" y=\"16\">Operations completed per second, per phase (bench/subnet/run.sh)</text>\n");
        for (int p = 0; p < phases.Count; p++)
        {
            int[] series = phases[p].Latencies.PerSecond();
            int seconds = Math.Max(1, series.Length);
            int max = Math.Max(1, series.DefaultIfEmpty(1).Max());
            int y0 = 24 + (p * panel);
            double X(int i) => left + ((width - left - right) * (i + 0.5) / seconds);
            double Y(int v) => y0 + top + ((panel - top - bottom) * (1 - ((double)v / max)));
            string color = s_colors[p % s_colors.Length];
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{y0 + 16}\">{Escape(phases[p].Name)}: {phases[p].PerSecond:0.0}/s over {phases[p].Seconds:0.0} s</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Y(0):0.0}\" x2=\"{width - right}\" y2=\"{Y(0):0.0}\" stroke=\"#999\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Y(max):0.0}\" x2=\"{left}\" y2=\"{Y(0):0.0}\" stroke=\"#999\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{Y(max) + 4:0.0}\">{max}/s</text><text x=\"4\" y=\"{Y(0):0.0}\">0</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{Y(0) + 14:0.0}\">0 s</text><text x=\"{width - right - 40}\" y=\"{Y(0) + 14:0.0}\">{seconds} s</text>\n");
            string points = string.Join(' ', series.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{X(i):0.0},{Y(v):0.0}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\"/>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
