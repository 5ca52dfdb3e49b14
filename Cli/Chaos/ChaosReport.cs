using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InternetIdentity.Cli.Reports;

namespace InternetIdentity.Cli.Chaos;

/// <summary>
/// The outputs of a chaos run: the JSON summary (printed and <c>summary.json</c>), <c>heights.svg</c> (every replica's
/// certified height over time, fault windows shaded) and <c>report.md</c> (the summary in words, with the plot).
/// </summary>
internal static class ChaosReport
{
    /// <summary>The JSON summary.</summary>
    public static JsonObject Json(ChaosSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var recovery = new JsonObject();
        foreach ((string kind, (int count, double? mean, double? max)) in s.RecoveryByKind)
        {
            recovery[kind] = new JsonObject { ["faults"] = count, ["mean_s"] = mean, ["max_s"] = max };
        }

        return new JsonObject
        {
            ["seed"] = s.Settings.Seed,
            ["replicas"] = s.Settings.Replicas,
            ["byzantine"] = s.Settings.Byzantine,
            ["duration_s"] = s.Settings.Duration.TotalSeconds,
            ["load_per_s"] = s.Settings.LoadPerSecond,
            ["storage"] = s.Settings.Postgres is null ? "sqlite" : "postgresql",
            ["acknowledged"] = s.AcknowledgedTotal,
            ["acknowledged_by_kind"] = Counts(s.Acknowledged),
            ["unacknowledged_by_kind"] = Counts(s.Unacknowledged),
            ["checked_statuses"] = s.Check.Checked,
            ["expired_statuses_not_checked"] = s.Check.Expired,
            ["lost"] = s.Check.Lost.Count,
            ["lost_examples"] = new JsonArray([.. s.Check.Lost.Take(10).Select(l => JsonValue.Create(l.ToString()))]),
            ["unreachable_checks"] = s.Check.Unreachable.Count,
            ["divergences"] = s.Divergences.Count,
            ["roots_compared"] = s.RootsCompared,
            ["stalls"] = new JsonArray([.. s.Stalls.Select(x => JsonValue.Create(x))]),
            ["unexpected_exits"] = new JsonArray([.. s.UnexpectedExits.Select(x => JsonValue.Create(x))]),
            ["recovery_by_kind"] = recovery,
            ["faults"] = new JsonArray([.. s.Faults.Select(f => new JsonObject
            {
                ["kind"] = Fault.Name(f.Fault.Kind),
                ["targets"] = new JsonArray([.. f.Fault.Targets.Select(t => JsonValue.Create(t))]),
                ["injected_at_s"] = Math.Round(f.InjectedAt, 2),
                ["healed_at_s"] = Math.Round(f.HealedAt, 2),
                ["clock_offset_ms"] = f.Fault.Kind == FaultKind.Clock ? f.Fault.ClockOffsetMs : null,
                ["height_at_heal"] = f.HeightAtHeal,
                ["recovery_s"] = f.RecoverySeconds,
            })]),
            ["proxy_refused_connections"] = s.Proxies.Refused,
            ["proxy_unidentified_connections"] = s.Proxies.Unidentified,
            ["ok"] = s.Failures.Count == 0,
            ["failures"] = new JsonArray([.. s.Failures.Select(x => JsonValue.Create(x))]),
        };
    }

    /// <summary>Writes summary.json, heights.svg and report.md into the run's directory; returns the report's path.</summary>
    public static string Write(ChaosSummary s, string commandLine)
    {
        ArgumentNullException.ThrowIfNull(s);
        string dir = s.Settings.OutDir;
        JsonObject json = Json(s);
        File.WriteAllText(Path.Combine(dir, "summary.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(dir, "heights.svg"), Plot(s));
        var md = new StringBuilder();
        md.AppendLine("# iinet chaos run").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`{commandLine}` ({DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()})").AppendLine();
        md.AppendLine(s.Failures.Count == 0 ? "**Passed**: nothing acknowledged was lost, no certified roots diverged, every fault recovered within the bound." : "**Failed**:");
        foreach (string f in s.Failures)
        {
            md.AppendLine("- " + f);
        }

        md.AppendLine().AppendLine(CultureInfo.InvariantCulture,
            $"Acknowledged {s.AcknowledgedTotal} ({string.Join(", ", s.Acknowledged.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}); lost {s.Check.Lost.Count}; "
            + $"request statuses checked {s.Check.Checked}; certified roots compared {s.RootsCompared}, divergent {s.Divergences.Count}.").AppendLine();
        md.AppendLine("| fault | replicas | injected (s) | healed (s) | height at heal | recovery (s) |").AppendLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (FaultOutcome f in s.Faults)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Fault.Name(f.Fault.Kind)}{(f.Fault.Kind == FaultKind.Clock ? $" ({f.Fault.ClockOffsetMs:+0;-0} ms)" : "")} | {string.Join(",", f.Fault.Targets)} | {f.InjectedAt:0.0} | {f.HealedAt:0.0} | {f.HeightAtHeal} | {(f.RecoverySeconds is double r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "stalled")} |");
        }

        md.AppendLine().AppendLine("![certified heights](heights.svg)");
        string path = Path.Combine(dir, "report.md");
        File.WriteAllText(path, md.ToString());
        return path;
    }

    /// <summary>Every replica's certified height over time (gaps where it did not answer), fault windows shaded.</summary>
    public static string Plot(ChaosSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var series = new List<SvgChart.Series>();
        for (int r = 0; r < s.Settings.Replicas; r++)
        {
            int replica = r;
            series.Add(new SvgChart.Series($"replica {r}", SvgChart.Colors[r % SvgChart.Colors.Length],
                [.. s.Samples.Where(x => x.Replica == replica).Select(x => (x.Seconds, x.Height is ulong h ? (double)h : double.NaN))]));
        }

        SvgChart.Band[] bands = [.. s.Faults.Select(f => new SvgChart.Band(f.InjectedAt, f.HealedAt, $"{Fault.Name(f.Fault.Kind)} {string.Join(",", f.Fault.Targets)}"))];
        return SvgChart.Render($"iinet chaos, seed {s.Settings.Seed}: certified height per replica, fault windows shaded",
            [new SvgChart.Panel("certified height (gaps: no answer)", series, bands)], width: 960, panelHeight: 320);
    }

    private static JsonObject Counts(IReadOnlyDictionary<string, int> counts)
    {
        var o = new JsonObject();
        foreach ((string k, int v) in counts.OrderBy(k => k.Key))
        {
            o[k] = v;
        }

        return o;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
