using System.Globalization;
using System.Text.Json;
using InternetIdentity.Cli.Reports;

namespace InternetIdentity.SubnetLoad;

/// <summary>
/// Writes a run's figures beside the printed table: <c>figures.json</c> (every row and, per phase, its count, rate,
/// percentiles and completions per second) and <c>throughput.svg</c> (completions per second over each phase, so a rate
/// that decays as request statuses accumulate shows as a falling line).
/// </summary>
internal static class FigureExport
{
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
                subnet_cpu_seconds = Round(p.Cpu.SubnetSeconds),
                load_cpu_seconds = Round(p.Cpu.LoadSeconds),
                subnet_cpu_us_per_op = Round(p.SubnetMicros),
                load_cpu_us_per_op = Round(p.LoadMicros),
                completed_each_second = p.Latencies.PerSecond(),
            }),
        };
        File.WriteAllText(Path.Combine(directory, "figures.json"), JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        File.WriteAllText(Path.Combine(directory, "throughput.svg"), Chart(phases));
    }

    private static double? Round(double v) => double.IsNaN(v) ? null : Math.Round(v, 2);

    // One panel per phase (updates and queries differ by an order of magnitude): completions in each second of it.
    private static string Chart(IReadOnlyList<PhaseResult> phases) =>
        SvgChart.Render("Operations completed per second, per phase (bench/subnet/run.sh)", [.. phases.Select((p, i) => new SvgChart.Panel(
            string.Create(CultureInfo.InvariantCulture, $"{p.Name}: {p.PerSecond:0.0}/s over {p.Seconds:0.0} s"),
            [new SvgChart.Series(p.Name, SvgChart.Colors[i % 4], [.. p.Latencies.PerSecond().Select((v, s) => (s + 0.5, (double)v))])],
            YUnit: "/s"))]);
}
