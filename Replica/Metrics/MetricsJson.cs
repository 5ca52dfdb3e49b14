using System.Text.Json;

namespace InternetIdentity.Replica.Metrics;

/// <summary>
/// Metric families as JSON for the dashboard: <c>{"replica": i, "families": [{"name", "type", "help", "samples":
/// [{"labels": {...}, "value"} or {"labels", "count", "sum", "buckets": [[upper bound, cumulative count], ...]}]}]}</c>,
/// the last bucket's bound written as the string <c>"+Inf"</c>.
/// </summary>
public static class MetricsJson
{
    /// <summary>The families of replica <paramref name="replicaIndex"/> as UTF-8 JSON.</summary>
    public static byte[] Write(int replicaIndex, IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("replica", replicaIndex);
            json.WriteStartArray("families");
            foreach (MetricFamily family in families)
            {
                json.WriteStartObject();
                json.WriteString("name", family.Name);
                json.WriteString("type", family.Type.ToString().ToLowerInvariant());
                json.WriteString("help", family.Help);
                json.WriteStartArray("samples");
                foreach (MetricSample sample in family.Samples)
                {
                    WriteSample(json, sample);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteSample(Utf8JsonWriter json, MetricSample sample)
    {
        json.WriteStartObject();
        json.WriteStartObject("labels");
        foreach (KeyValuePair<string, string> label in sample.Labels)
        {
            json.WriteString(label.Key, label.Value);
        }

        json.WriteEndObject();
        if (sample.Histogram is { } h)
        {
            json.WriteNumber("count", h.Count);
            Number(json, "sum", h.Sum);
            json.WriteStartArray("buckets");
            foreach ((double bound, double count) in h.Buckets)
            {
                json.WriteStartArray();
                if (double.IsPositiveInfinity(bound))
                {
                    json.WriteStringValue("+Inf");
                }
                else
                {
                    json.WriteNumberValue(bound);
                }

                json.WriteNumberValue(count);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }
        else
        {
            Number(json, "value", sample.Value);
        }

        json.WriteEndObject();
    }

    // JSON has no NaN or infinities: those values are written as their exposition text.
    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteString(name, PrometheusTextWriter.Number(value));
        }
    }
}
