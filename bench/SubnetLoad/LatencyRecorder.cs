namespace InternetIdentity.SubnetLoad;

/// <summary>Latencies and errors of one phase, recorded from many clients at once.</summary>
internal sealed class LatencyRecorder
{
    private readonly Lock _gate = new();
    private readonly List<double> _millis = [];
    private readonly List<int> _perSecond = []; // completions in each second of the phase
    private int _errors;

    /// <summary>The first error seen, to print.</summary>
    public string? FirstError { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _millis.Count;
            }
        }
    }

    public int Errors => Volatile.Read(ref _errors);

    /// <summary>Records one completed operation of <paramref name="millis"/>, finished <paramref name="atSeconds"/> into the phase.</summary>
    public void Add(double millis, double atSeconds)
    {
        lock (_gate)
        {
            _millis.Add(millis);
            int second = Math.Max(0, (int)atSeconds);
            while (_perSecond.Count <= second)
            {
                _perSecond.Add(0);
            }

            _perSecond[second]++;
        }
    }

    /// <summary>How many operations completed in each whole second of the phase (the last one may be partial).</summary>
    public int[] PerSecond()
    {
        lock (_gate)
        {
            return [.. _perSecond];
        }
    }

    public void Error(string message)
    {
        if (Interlocked.Increment(ref _errors) == 1)
        {
            FirstError = message;
        }
    }

    /// <summary>The nearest-rank percentile (0 &lt; p &lt;= 100) in milliseconds, or NaN without samples.</summary>
    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_millis.Count == 0)
            {
                return double.NaN;
            }

            double[] sorted = [.. _millis];
            Array.Sort(sorted);
            int rank = (int)Math.Ceiling(p / 100 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }
}
