using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Testing;

/// <summary>
/// The log lines of a <see cref="LocalNetwork"/>'s replicas, kept in memory (the newest <see cref="Capacity"/>) so that a
/// failed test can print what the network did.
/// </summary>
public sealed class NetworkLog : ILoggerProvider
{
    private readonly ConcurrentQueue<(long Number, string Line)> _lines = new();
    private long _written;
    private readonly LogLevel _minimum;
    private readonly TimeProvider _time;

    /// <summary>Keeps lines at <paramref name="minimum"/> and above, stamped with <paramref name="time"/>.</summary>
    public NetworkLog(LogLevel minimum = LogLevel.Information, TimeProvider? time = null, int capacity = 5000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _minimum = minimum;
        _time = time ?? TimeProvider.System;
        Capacity = capacity;
    }

    /// <summary>How many lines are kept at most; older ones are dropped.</summary>
    public int Capacity { get; }

    /// <summary>The kept lines, oldest first.</summary>
    public IReadOnlyList<string> Lines => [.. _lines.Select(l => l.Line)];

    /// <summary>How many lines were written so far: a mark for <see cref="LinesSince"/>.</summary>
    public long Mark() => Interlocked.Read(ref _written);

    /// <summary>The kept lines written after <paramref name="mark"/> (a value of <see cref="Mark"/>), oldest first.</summary>
    public IReadOnlyList<string> LinesSince(long mark) => [.. _lines.Where(l => l.Number >= mark).Select(l => l.Line)];

    /// <summary>Drops every kept line.</summary>
    public void Clear() => _lines.Clear();

    /// <summary>Writes every kept line to <paramref name="writer"/>.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach ((long _, string line) in _lines)
        {
            writer.WriteLine(line);
        }
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue((Interlocked.Increment(ref _written) - 1, line));
        while (_lines.Count > Capacity && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(NetworkLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= log._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string stamp = log._time.GetUtcNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            log.Add($"{stamp} {logLevel,-11} {category}: {formatter(state, exception)}" + (exception is null ? "" : Environment.NewLine + exception));
        }
    }
}
