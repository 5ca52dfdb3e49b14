using System.Globalization;
using System.Text;

namespace InternetIdentity.Replica.Metrics;

/// <summary>Writes metric families in Prometheus's text exposition format, version 0.0.4.</summary>
public static class PrometheusTextWriter
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The families as exposition text.</summary>
    public static string Write(IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var text = new StringBuilder();
        foreach (MetricFamily family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type.ToString().ToLowerInvariant()).Append('\n');
            foreach (MetricSample sample in family.Samples)
            {
                if (sample.Histogram is { } h)
                {
                    foreach ((double bound, double count) in h.Buckets)
                    {
                        Line(text, family.Name + "_bucket", [.. sample.Labels, new("le", Number(bound))], count);
                    }

                    Line(text, family.Name + "_sum", sample.Labels, h.Sum);
                    Line(text, family.Name + "_count", sample.Labels, h.Count);
                }
                else
                {
                    Line(text, family.Name, sample.Labels, sample.Value);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>A value as the format writes it: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void Line(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, double value)
    {
        text.Append(name);
        if (labels.Count > 0)
        {
            text.Append('{');
            for (int i = 0; i < labels.Count; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(labels[i].Key).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string value) => EscapeHelp(value).Replace("\"", "\\\"", StringComparison.Ordinal);
}
