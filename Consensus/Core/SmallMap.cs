using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace InternetIdentity.Consensus.Core;

/// <summary>
/// An immutable map for the few entries a height holds per kind (blocks, block hashes, signers): a sorted array,
/// copied on write, far cheaper than a hash trie at these sizes. Entries are kept in the order of the key's hash code,
/// equal hash codes in insertion order, so iteration is deterministic and matches the ImmutableDictionary it replaces.
/// </summary>
internal sealed class SmallMap<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : IEquatable<TKey>
{
    public static readonly SmallMap<TKey, TValue> Empty = new([], []);

    private readonly int[] _hashes;
    private readonly KeyValuePair<TKey, TValue>[] _entries;

    private SmallMap(int[] hashes, KeyValuePair<TKey, TValue>[] entries)
    {
        _hashes = hashes;
        _entries = entries;
    }

    public int Count => _entries.Length;

    public bool IsEmpty => _entries.Length == 0;

    // Through LINQ, not iterator methods: a compiler-made enumerable reads Environment.CurrentManagedThreadId, which the
    // pure core's IL may not call (tests/Architecture.Tests).
    public IEnumerable<TKey> Keys => _entries.Select(static e => e.Key);

    public IEnumerable<TValue> Values => _entries.Select(static e => e.Value);

    /// <summary>The entry at a position in iteration order (0..Count-1), for loops that must not allocate.</summary>
    public KeyValuePair<TKey, TValue> At(int index) => _entries[index];

    public TValue this[TKey key] => TryGetValue(key, out TValue? value) ? value : throw new KeyNotFoundException($"no entry for {key}");

    public bool ContainsKey(TKey key) => IndexOf(key) >= 0;

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            value = default;
            return false;
        }
        value = _entries[i].Value;
        return true;
    }

    /// <summary>The map with the entry added; throws if the key is held with another value (as ImmutableDictionary.Add does).</summary>
    public SmallMap<TKey, TValue> Add(TKey key, TValue value)
    {
        int i = IndexOf(key);
        if (i >= 0)
        {
            return EqualityComparer<TValue>.Default.Equals(_entries[i].Value, value)
                ? this
                : throw new ArgumentException($"an entry for {key} is already held", nameof(key));
        }
        return Insert(key, value);
    }

    /// <summary>The map with the key's value set, replaced in place when held.</summary>
    public SmallMap<TKey, TValue> SetItem(TKey key, TValue value)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            return Insert(key, value);
        }
        var entries = (KeyValuePair<TKey, TValue>[])_entries.Clone();
        entries[i] = new KeyValuePair<TKey, TValue>(key, value);
        return new SmallMap<TKey, TValue>(_hashes, entries);
    }

    public SmallMap<TKey, TValue> Remove(TKey key)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            return this;
        }
        if (_entries.Length == 1)
        {
            return Empty;
        }
        int[] hashes = new int[_hashes.Length - 1];
        var entries = new KeyValuePair<TKey, TValue>[_entries.Length - 1];
        Array.Copy(_hashes, hashes, i);
        Array.Copy(_hashes, i + 1, hashes, i, hashes.Length - i);
        Array.Copy(_entries, entries, i);
        Array.Copy(_entries, i + 1, entries, i, entries.Length - i);
        return new SmallMap<TKey, TValue>(hashes, entries);
    }

    /// <summary>A struct enumerator, so that foreach over a map allocates nothing.</summary>
    public Enumerator GetEnumerator() => new(_entries);

    IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() =>
        ((IEnumerable<KeyValuePair<TKey, TValue>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    /// <summary>Walks the entries in order.</summary>
    public struct Enumerator(KeyValuePair<TKey, TValue>[] entries)
    {
        private int _index = -1;

        public readonly KeyValuePair<TKey, TValue> Current => entries[_index];

        public bool MoveNext() => ++_index < entries.Length;
    }

    private int IndexOf(TKey key)
    {
        int hash = key.GetHashCode();
        int[] hashes = _hashes;
        for (int i = 0; i < hashes.Length; i++)
        {
            if (hashes[i] == hash && _entries[i].Key.Equals(key))
            {
                return i;
            }
        }
        return -1;
    }

    private SmallMap<TKey, TValue> Insert(TKey key, TValue value)
    {
        int hash = key.GetHashCode();
        int at = 0;
        while (at < _hashes.Length && _hashes[at] <= hash)
        {
            at++;
        }
        int[] hashes = new int[_hashes.Length + 1];
        var entries = new KeyValuePair<TKey, TValue>[_entries.Length + 1];
        Array.Copy(_hashes, hashes, at);
        Array.Copy(_entries, entries, at);
        hashes[at] = hash;
        entries[at] = new KeyValuePair<TKey, TValue>(key, value);
        Array.Copy(_hashes, at, hashes, at + 1, _hashes.Length - at);
        Array.Copy(_entries, at, entries, at + 1, _entries.Length - at);
        return new SmallMap<TKey, TValue>(hashes, entries);
    }
}
