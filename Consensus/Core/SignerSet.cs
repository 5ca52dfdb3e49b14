using System.Collections;

namespace InternetIdentity.Consensus.Core;

/// <summary>An immutable map from signer index to that signer's share: a small array, cheaper than a tree for n &lt;= 100.</summary>
internal sealed class SignerSet<T> : IEnumerable<KeyValuePair<int, T>>
    where T : class
{
    public static readonly SignerSet<T> Empty = new([], 0);

    private readonly T?[] _items;

    private SignerSet(T?[] items, int count)
    {
        _items = items;
        Count = count;
    }

    public int Count { get; }

    public IEnumerable<T> Values => _items.OfType<T>();

    public bool ContainsKey(int signer) => (uint)signer < (uint)_items.Length && _items[signer] is not null;

    /// <summary>The signer's entry, or null.</summary>
    public T? Get(int signer) => (uint)signer < (uint)_items.Length ? _items[signer] : null;

    public SignerSet<T> SetItem(int signer, T value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(signer);
        T?[] items = new T?[Math.Max(_items.Length, signer + 1)];
        _items.CopyTo(items, 0);
        bool added = items[signer] is null;
        items[signer] = value;
        return new SignerSet<T>(items, Count + (added ? 1 : 0));
    }

    public SignerSet<T> Remove(int signer)
    {
        if (!ContainsKey(signer))
        {
            return this;
        }
        T?[] items = (T?[])_items.Clone();
        items[signer] = null;
        return new SignerSet<T>(items, Count - 1);
    }

    /// <summary>The signer's index and share in signer order, the first <paramref name="count"/> of them, into an array.</summary>
    public T[] First(int count)
    {
        T[] result = new T[Math.Min(count, Count)];
        int k = 0;
        for (int i = 0; i < _items.Length && k < result.Length; i++)
        {
            if (_items[i] is { } item)
            {
                result[k++] = item;
            }
        }
        return result;
    }

    /// <summary>A struct enumerator in signer order, so that foreach allocates nothing.</summary>
    public Enumerator GetEnumerator() => new(_items);

    IEnumerator<KeyValuePair<int, T>> IEnumerable<KeyValuePair<int, T>>.GetEnumerator()
    {
        foreach (KeyValuePair<int, T> kv in this)
        {
            yield return kv;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<int, T>>)this).GetEnumerator();

    /// <summary>Walks the held entries in signer order.</summary>
    public struct Enumerator(T?[] items)
    {
        private int _index = -1;

        public readonly KeyValuePair<int, T> Current => new(_index, items[_index]!);

        public bool MoveNext()
        {
            while (++_index < items.Length)
            {
                if (items[_index] is not null)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
