using System.Collections;

namespace InternetIdentity.Consensus.Core;

/// <summary>An immutable set of the few items a height holds per kind; see <see cref="SmallMap{TKey, TValue}"/> for its order.</summary>
internal sealed class SmallSet<T> : IEnumerable<T>
    where T : IEquatable<T>
{
    public static readonly SmallSet<T> Empty = new(SmallMap<T, bool>.Empty);

    private readonly SmallMap<T, bool> _map;

    private SmallSet(SmallMap<T, bool> map) => _map = map;

    public int Count => _map.Count;

    public bool IsEmpty => _map.IsEmpty;

    public bool Contains(T item) => _map.ContainsKey(item);

    /// <summary>The item at a position in iteration order (0..Count-1), for loops that must not allocate.</summary>
    public T At(int index) => _map.At(index).Key;

    public SmallSet<T> Add(T item) => _map.ContainsKey(item) ? this : new SmallSet<T>(_map.SetItem(item, true));

    /// <summary>A struct enumerator, so that foreach over a set allocates nothing.</summary>
    public Enumerator GetEnumerator() => new(_map);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => _map.Keys.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _map.Keys.GetEnumerator();

    /// <summary>Walks the items in order.</summary>
    public struct Enumerator(SmallMap<T, bool> map)
    {
        private int _index = -1;

        public readonly T Current => map.At(_index).Key;

        public bool MoveNext() => ++_index < map.Count;
    }
}
