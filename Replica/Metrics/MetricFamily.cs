namespace InternetIdentity.Replica.Metrics;

/// <summary>The Prometheus type of a metric family.</summary>
public enum MetricType
{
    /// <summary>A value that only goes up (its name ends in <c>_total</c>).</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Observations counted into cumulative buckets, with their count and sum.</summary>
    Histogram,
}

/// <summary>One metric family as the text exposition format carries it: a name, a type, a help line and its series.</summary>
/// <param name="Name">The family's name (for a histogram, without <c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</param>
/// <param name="Type">Its type.</param>
/// <param name="Help">Its help text.</param>
/// <param name="Samples">One sample per label set.</param>
public sealed record MetricFamily(string Name, MetricType Type, string Help, IReadOnlyList<MetricSample> Samples)
{
    /// <summary>The sample without labels, or null.</summary>
    public MetricSample? Unlabeled => Samples.FirstOrDefault(s => s.Labels.Count == 0);

    /// <summary>The sum of every series' value (or histogram count).</summary>
    public double Total => Samples.Sum(s => s.Histogram?.Count ?? s.Value);
}

/// <summary>One series of a family: its labels and its value (or, in a histogram, its buckets).</summary>
/// <param name="Labels">Label names and values, in the order written.</param>
/// <param name="Value">The value (a histogram's count).</param>
/// <param name="Histogram">The buckets, for a histogram.</param>
public sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, HistogramValue? Histogram = null)
{
    /// <summary>The value of a label, or null.</summary>
    public string? Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value;
}

/// <summary>A histogram series: cumulative bucket counts by upper bound (the last one +Inf), count and sum.</summary>
/// <param name="Buckets">Upper bounds with the number of observations at or below them, ascending, ending with +Inf.</param>
/// <param name="Count">The number of observations.</param>
/// <param name="Sum">Their sum.</param>
public sealed record HistogramValue(IReadOnlyList<(double UpperBound, double Count)> Buckets, double Count, double Sum)
{
    /// <summary>The observations made since <paramref name="earlier"/> (the same histogram scraped before).</summary>
    public HistogramValue Since(HistogramValue? earlier)
    {
        if (earlier is null || earlier.Buckets.Count != Buckets.Count || earlier.Count > Count)
        {
            return this; // no earlier scrape, or the replica restarted: everything is new
        }

        return new HistogramValue([.. Buckets.Select((b, i) => (b.UpperBound, b.Count - earlier.Buckets[i].Count))], Count - earlier.Count, Sum - earlier.Sum);
    }

    /// <summary>
    /// The q-quantile (0..1) estimated as Prometheus's <c>histogram_quantile</c> does: linear within the bucket that holds
    /// it; the largest finite bound when it falls in the +Inf bucket; NaN without observations.
    /// </summary>
    public double Quantile(double q)
    {
        if (q is < 0 or > 1 || double.IsNaN(q))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "a quantile is between 0 and 1");
        }

        if (Count <= 0 || Buckets.Count == 0)
        {
            return double.NaN;
        }

        double rank = q * Count;
        double lowerBound = 0, lowerCount = 0;
        foreach ((double bound, double count) in Buckets)
        {
            if (count >= rank && count > lowerCount)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    return lowerBound;
                }

                return lowerBound + ((bound - lowerBound) * (rank - lowerCount) / (count - lowerCount));
            }

            if (!double.IsPositiveInfinity(bound))
            {
                lowerBound = bound;
            }

            lowerCount = count;
        }

        return lowerBound;
    }
}
