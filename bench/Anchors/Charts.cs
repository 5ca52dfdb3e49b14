using System.Globalization;
using System.Text.Json;
using InternetIdentity.Cli.Reports;

namespace InternetIdentity.Anchors;

/// <summary>The curve of a results file: a markdown table on stdout and anchors.svg (checkpoint size, times, peak RSS).</summary>
internal static class Charts
{
    public static int Write(string resultsFile, string outDir)
    {
        var rows = File.ReadAllLines(resultsFile).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l)!)
            .OrderBy(r => r["anchors"].GetInt64()).ToList();
        double D(Dictionary<string, JsonElement> r, string key) => r.TryGetValue(key, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
        const double Mib = 1024 * 1024;
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine("| anchors | fill s | state B/anchor | checkpoint MiB | take s | load s | subnet ready s | restart: ready s | restart: serving s | checkpoint in subnet s | peak RSS MiB | load avg |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(c,
                $"| {r["anchors"].GetInt64():N0} | {D(r, "fill_seconds"):0.0} | {D(r, "state_bytes_per_anchor"):0} | {D(r, "checkpoint_bytes") / Mib:0.0} | {D(r, "checkpoint_write_seconds"):0.00} | {D(r, "checkpoint_load_seconds"):0.00} | {D(r, "genesis_ready_seconds"):0.00} | {D(r, "restart_ready_seconds"):0.00} | {D(r, "restart_serving_seconds"):0.00} | {MaxOf(D(r, "genesis_checkpoint_seconds"), D(r, "restart_checkpoint_seconds")):0.00} | {D(r, "peak_rss_bytes") / Mib:0} | {r["load_average"].GetString()} |"));
        }

        static double MaxOf(double a, double b) => double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Max(a, b);
        List<(double X, double Y)> Points(string key, double scale = 1) =>
            [.. rows.Select(r => (r["anchors"].GetInt64() / 1000.0, D(r, key) / scale)).Where(p => !double.IsNaN(p.Item2))];
        string svg = SvgChart.Render("II anchors: checkpoint size and time, peak RSS (4 replicas in one process)",
        [
            new SvgChart.Panel("checkpoint size (MiB)", [new SvgChart.Series("checkpoint", SvgChart.Colors[0], Points("checkpoint_bytes", Mib))], XUnit: "k anchors", YUnit: " MiB"),
            new SvgChart.Panel("checkpoint take / load (s)",
            [
                new SvgChart.Series("take", SvgChart.Colors[1], Points("checkpoint_write_seconds")),
                new SvgChart.Series("load", SvgChart.Colors[2], Points("checkpoint_load_seconds")),
                new SvgChart.Series("take+store in subnet", SvgChart.Colors[3], Points("restart_checkpoint_seconds")),
            ], XUnit: "k anchors", YUnit: " s"),
            new SvgChart.Panel("peak RSS (MiB)", [new SvgChart.Series("VmHWM", SvgChart.Colors[4], Points("peak_rss_bytes", Mib))], XUnit: "k anchors", YUnit: " MiB"),
        ]);
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "anchors.svg"), svg);
        return 0;
    }
}
