using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace InternetIdentity.ThresholdSigning.Signatures;

/// <summary>
/// A thread-safe memo by string key that starts over when full, which keeps memory fixed without an eviction policy
/// (the entries it holds are recomputed on a miss, so forgetting them costs time only). Callers asking for a key
/// whose value is being computed wait for that computation instead of repeating it.
/// </summary>
public sealed class BoundedCache<TValue>(int capacity)
{
    private readonly ConcurrentDictionary<string, Lazy<TValue>> _entries = new(StringComparer.Ordinal);
    private int _count; // approximate: ConcurrentDictionary.Count takes every lock

    /// <summary>The value held for <paramref name="key"/>, waiting for it if it is being computed.</summary>
    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_entries.TryGetValue(key, out Lazy<TValue>? entry))
        {
            value = entry.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Holds <paramref name="value"/> for <paramref name="key"/>, starting over first when the cache is full.</summary>
    public void Add(string key, TValue value)
    {
        MakeRoom();
        _entries[key] = new Lazy<TValue>(value);
    }

    /// <summary>The value for <paramref name="key"/>; <paramref name="found"/> tells whether it was there or being computed.</summary>
    public TValue GetOrAdd<TState>(string key, TState state, Func<TState, TValue> compute, out bool found)
    {
        if (_entries.TryGetValue(key, out Lazy<TValue>? entry))
        {
            found = true;
            return entry.Value;
        }

        MakeRoom();
        var mine = new Lazy<TValue>(() => compute(state), LazyThreadSafetyMode.ExecutionAndPublication);
        entry = _entries.GetOrAdd(key, mine);
        found = !ReferenceEquals(entry, mine);
        return entry.Value;
    }

    private void MakeRoom()
    {
        if (Interlocked.Increment(ref _count) > capacity)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }
    }
}
