namespace InternetIdentity.SubnetLoad;

/// <summary>Latencies and errors of one phase, recorded from many clients at once.</summary>
internal sealed class LatencyRecorder
{
    private readonly Lock _gate = new();
    private readonly List<double> _millis = [];
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

    public void Add(double millis)
    {
        lock (_gate)
        {
            _millis.Add(millis);
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
