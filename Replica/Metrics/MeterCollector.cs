using System.Diagnostics.Metrics;

namespace InternetIdentity.Replica.Metrics;

/// <summary>
/// Aggregates the instruments of one <see cref="Meter"/> instance (not every meter of that name: the replicas of
/// <c>iinet up</c> and of the tests share a process) into metric families: counters summed, gauges last value,
/// histograms into the bucket bounds of their <see cref="InstrumentAdvice{T}"/>. Instrument names are the Prometheus
/// names. Observable instruments are read when <see cref="Collect"/> runs.
/// </summary>
internal sealed class MeterCollector : IDisposable
{
    private static readonly double[] s_defaultBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly MeterListener _listener = new();
    private readonly Lock _families = new();
    private readonly List<Family> _published = [];

    public MeterCollector(Meter meter)
    {
        _meter = meter ?? throw new ArgumentNullException(nameof(meter));
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter != _meter)
            {
                return;
            }

            var family = new Family(instrument);
            lock (_families)
            {
                _published.Add(family);
            }

            listener.EnableMeasurementEvents(instrument, family);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and returns every family, in the order the instruments were created.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_families)
        {
            _listener.RecordObservableInstruments();
            return [.. _published.Select(f => f.Snapshot())];
        }
    }

    public void Dispose() => _listener.Dispose();

    // One instrument's series by label set.
    private sealed class Family(Instrument instrument)
    {
        private readonly Dictionary<string, Series> _series = [];
        private readonly Lock _lock = new();
        private readonly MetricType _type = instrument switch
        {
            Counter<long> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => MetricType.Counter,
            Histogram<double> or Histogram<long> => MetricType.Histogram,
            _ => MetricType.Gauge,
        };

        private readonly bool _cumulative = instrument is Counter<long> or Counter<double> or UpDownCounter<long> or UpDownCounter<double>;

        private readonly double[] _bounds = instrument switch
        {
            Histogram<double> h => [.. h.Advice?.HistogramBucketBoundaries ?? s_defaultBounds],
            Histogram<long> h => [.. h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b) ?? s_defaultBounds],
            _ => [],
        };

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string key = Key(tags);
            lock (_lock)
            {
                if (!_series.TryGetValue(key, out Series? series))
                {
                    series = new Series([.. tags.ToArray().Select(t => new KeyValuePair<string, string>(t.Key, t.Value?.ToString() ?? ""))], _bounds.Length);
                    _series[key] = series;
                }

                if (_type == MetricType.Histogram)
                {
                    int bucket = Array.BinarySearch(_bounds, value);
                    series.Buckets[bucket >= 0 ? bucket : ~bucket]++; // le: a value equal to a bound counts in its bucket
                    series.Count++;
                    series.Value += value;
                }
                else if (_cumulative)
                {
                    series.Value += value;
                }
                else
                {
                    series.Value = value;
                }
            }
        }

        public MetricFamily Snapshot()
        {
            lock (_lock)
            {
                // A counter or histogram that saw nothing yet is a zero, not missing (rates start from it).
                IEnumerable<Series> series = _series.Count == 0 && _type != MetricType.Gauge ? [new Series([], _bounds.Length)] : _series.Values;
                return new MetricFamily(instrument.Name, _type, instrument.Description ?? "", [.. series.Select(Sample)]);
            }
        }

        private MetricSample Sample(Series s)
        {
            if (_type != MetricType.Histogram)
            {
                return new MetricSample(s.Labels, s.Value);
            }

            var buckets = new (double, double)[_bounds.Length + 1];
            long cumulative = 0;
            for (int i = 0; i < buckets.Length; i++)
            {
                cumulative += s.Buckets[i];
                buckets[i] = (i < _bounds.Length ? _bounds[i] : double.PositiveInfinity, cumulative);
            }

            return new MetricSample(s.Labels, s.Count, new HistogramValue(buckets, s.Count, s.Value));
        }

        private static string Key(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return "";
            }

            var parts = new string[tags.Length];
            for (int i = 0; i < tags.Length; i++)
            {
                parts[i] = tags[i].Key + "\0" + tags[i].Value;
            }

            Array.Sort(parts, StringComparer.Ordinal);
            return string.Join('\u0001', parts);
        }
    }

    private sealed class Series(IReadOnlyList<KeyValuePair<string, string>> labels, int bounds)
    {
        public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;

        public long[] Buckets { get; } = new long[bounds + 1];

        public long Count { get; set; }

        public double Value { get; set; }
    }
}
