using System.Globalization;
using System.Text;

namespace InternetIdentity.Replica.Metrics;

/// <summary>
/// Reads Prometheus's text exposition format (0.0.4) into metric families: <c># TYPE</c> and <c># HELP</c> lines,
/// samples with labels (escaped <c>\\</c>, <c>\"</c>, <c>\n</c>) and an optional timestamp; the <c>_bucket</c>,
/// <c>_sum</c> and <c>_count</c> series of a histogram become one <see cref="HistogramValue"/> per label set. Samples
/// of an untyped family count as gauges. Malformed text throws <see cref="ExpositionFormatException"/> naming the line.
/// </summary>
public static class PrometheusTextParser
{
    /// <summary>Parses exposition text.</summary>
    public static IReadOnlyList<MetricFamily> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var order = new List<string>();
        var types = new Dictionary<string, MetricType>();
        var helps = new Dictionary<string, string>();
        var samples = new Dictionary<string, List<(string Suffix, List<KeyValuePair<string, string>> Labels, double Value)>>();
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                if (line.StartsWith('#'))
                {
                    string[] parts = line.Split(' ', 4);
                    if (parts.Length >= 3 && parts[1] is "TYPE" or "HELP")
                    {
                        string name = CheckName(parts[2]);
                        Touch(order, samples, name);
                        if (parts[1] == "TYPE")
                        {
                            types[name] = (parts.Length == 4 ? parts[3] : "") switch
                            {
                                "counter" => MetricType.Counter,
                                "gauge" or "untyped" => MetricType.Gauge,
                                "histogram" => MetricType.Histogram,
                                string other => throw new ExpositionFormatException($"unsupported type '{other}' of {name}"),
                            };
                        }
                        else
                        {
                            helps[name] = parts.Length == 4 ? parts[3].Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : "";
                        }
                    }

                    continue;
                }

                (string sampleName, List<KeyValuePair<string, string>> labels, double value) = Sample(line);
                (string family, string suffix) = FamilyOf(sampleName, types);
                Touch(order, samples, family);
                samples[family].Add((suffix, labels, value));
            }
            catch (ExpositionFormatException e)
            {
                throw new ExpositionFormatException($"line {n + 1}: {e.Message}: {line}");
            }
        }

        return [.. order.Where(name => samples[name].Count > 0 || types.ContainsKey(name))
            .Select(name => Family(name, types.GetValueOrDefault(name, MetricType.Gauge), helps.GetValueOrDefault(name, ""), samples[name]))];
    }

    private static void Touch(List<string> order, Dictionary<string, List<(string, List<KeyValuePair<string, string>>, double)>> samples, string name)
    {
        if (!samples.ContainsKey(name))
        {
            samples[name] = [];
            order.Add(name);
        }
    }

    // A histogram's _bucket/_sum/_count series belong to the family declared without the suffix.
    private static (string Family, string Suffix) FamilyOf(string name, Dictionary<string, MetricType> types)
    {
        foreach (string suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.GetValueOrDefault(name[..^suffix.Length], MetricType.Gauge) == MetricType.Histogram
                && types.ContainsKey(name[..^suffix.Length]))
            {
                return (name[..^suffix.Length], suffix);
            }
        }

        return (name, "");
    }

    private static MetricFamily Family(string name, MetricType type, string help, List<(string Suffix, List<KeyValuePair<string, string>> Labels, double Value)> samples)
    {
        if (type != MetricType.Histogram)
        {
            return new MetricFamily(name, type, help, [.. samples.Select(s => new MetricSample(s.Labels, s.Value))]);
        }

        var series = new Dictionary<string, (List<KeyValuePair<string, string>> Labels, List<(double, double)> Buckets, double Count, double Sum)>();
        foreach ((string suffix, List<KeyValuePair<string, string>> written, double value) in samples)
        {
            List<KeyValuePair<string, string>> labels = written;
            double? bound = null;
            if (suffix == "_bucket")
            {
                string le = labels.FirstOrDefault(l => l.Key == "le").Value
                    ?? throw new ExpositionFormatException($"a bucket of {name} has no le label");
                bound = ParseNumber(le);
                labels = [.. labels.Where(l => l.Key != "le")];
            }

            string key = string.Join('\u0001', labels.Select(l => l.Key + "\0" + l.Value).Order(StringComparer.Ordinal));
            if (!series.TryGetValue(key, out var s))
            {
                s = (labels, [], 0, 0);
            }

            switch (suffix)
            {
                case "_bucket": s.Buckets.Add((bound!.Value, value)); break;
                case "_count": s.Count = value; break;
                case "_sum": s.Sum = value; break;
                default: throw new ExpositionFormatException($"histogram {name} has a sample without _bucket, _sum or _count");
            }

            series[key] = s;
        }

        return new MetricFamily(name, type, help, [.. series.Values.Select(s =>
        {
            List<(double, double)> buckets = [.. s.Buckets.OrderBy(b => b.Item1)];
            if (buckets.Count == 0 || !double.IsPositiveInfinity(buckets[^1].Item1))
            {
                throw new ExpositionFormatException($"histogram {name} has no +Inf bucket");
            }

            return new MetricSample(s.Labels, s.Count, new HistogramValue(buckets, s.Count, s.Sum));
        })]);
    }

    private static (string Name, List<KeyValuePair<string, string>> Labels, double Value) Sample(string line)
    {
        int i = 0;
        while (i < line.Length && line[i] is not ('{' or ' ' or '\t'))
        {
            i++;
        }

        string name = CheckName(line[..i]);
        var labels = new List<KeyValuePair<string, string>>();
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                SkipSpaces(line, ref i);
                if (i < line.Length && line[i] == '}')
                {
                    i++;
                    break;
                }

                int start = i;
                while (i < line.Length && line[i] != '=')
                {
                    i++;
                }

                string label = CheckName(line[start..i].Trim());
                if (i + 1 >= line.Length || line[i + 1] != '"')
                {
                    throw new ExpositionFormatException($"label {label} has no quoted value");
                }

                i += 2;
                var value = new StringBuilder();
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new ExpositionFormatException($"the value of label {label} is not closed");
                    }

                    char c = line[i++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\' && i < line.Length)
                    {
                        char e = line[i++];
                        value.Append(e switch { 'n' => '\n', '\\' => '\\', '"' => '"', _ => throw new ExpositionFormatException($"unknown escape \\{e}") });
                        continue;
                    }

                    value.Append(c);
                }

                labels.Add(new(label, value.ToString()));
                SkipSpaces(line, ref i);
                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
            }
        }

        string[] rest = line[i..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is < 1 or > 2)
        {
            throw new ExpositionFormatException("a sample is a name, optional labels, a value and an optional timestamp");
        }

        return (name, labels, ParseNumber(rest[0]));
    }

    private static void SkipSpaces(string line, ref int i)
    {
        while (i < line.Length && line[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static double ParseNumber(string text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new ExpositionFormatException($"'{text}' is not a number"),
    };

    private static string CheckName(string name)
    {
        bool valid = name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');
        return valid ? name : throw new ExpositionFormatException($"'{name}' is not a metric or label name");
    }
}

/// <summary>Text that is not Prometheus's exposition format.</summary>
public sealed class ExpositionFormatException : FormatException
{
    /// <summary>An exception with the reason.</summary>
    public ExpositionFormatException(string message)
        : base(message)
    {
    }

    /// <summary>An exception without a reason.</summary>
    public ExpositionFormatException()
    {
    }

    /// <summary>An exception with a reason and its cause.</summary>
    public ExpositionFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
