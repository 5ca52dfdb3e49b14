using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace InternetIdentity.ThresholdSigning.Signatures;

/// <summary>
/// A thread-safe memo by string key that starts over when full, which keeps memory fixed without an eviction policy
/// (the entries it holds are recomputed on a miss, so forgetting them costs time only).
/// </summary>
internal sealed class BoundedCache<TValue>(int capacity)
{
    private readonly ConcurrentDictionary<string, TValue> _entries = new(StringComparer.Ordinal);
    private int _count; // approximate: ConcurrentDictionary.Count takes every lock

    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value) => _entries.TryGetValue(key, out value);

    public void Add(string key, TValue value)
    {
        if (Interlocked.Increment(ref _count) > capacity)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        _entries[key] = value;
    }
}
