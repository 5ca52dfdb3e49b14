using System.Collections.Immutable;
using CsCheck;
using InternetIdentity.IdentityCanister.State;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>
/// The B+ tree behind II's anchor map and credential index, against a <see cref="SortedDictionary{TKey, TValue}"/>
/// model: random sets and removes (CsCheck prints the seed of a failing case), earlier versions left intact, and the
/// shape that keeps it small.
/// </summary>
public class PersistentSortedMapTests
{
    private const int Fanout = PersistentSortedMap<ulong, int>.Fanout;

    /// <summary>One step: set (Kind 0-2) or remove (3) a key drawn from a small range, so sets replace and removes hit.</summary>
    public readonly record struct Op(int Kind, ulong Key, int Value);

    private static readonly Gen<Op> GenOp = Gen.Select(Gen.Int[0, 3], Gen.ULong[0, 3_000], Gen.Int)
        .Select((k, key, v) => new Op(k, key, v));

    [Test]
    public void SetItemAndRemove_RandomSequences_MatchASortedDictionary()
    {
        GenOp.Array[0, 3_000].Sample(ops =>
        {
            var map = PersistentSortedMap<ulong, int>.Empty(Comparer<ulong>.Default);
            var model = new SortedDictionary<ulong, int>();
            foreach (Op op in ops)
            {
                if (op.Kind == 3)
                {
                    map = map.Remove(op.Key);
                    model.Remove(op.Key);
                }
                else
                {
                    map = map.SetItem(op.Key, op.Value);
                    model[op.Key] = op.Value;
                }
            }

            AssertSameAs(map, model);
            AssertWellShaped(map);
            foreach (Op op in ops)
            {
                Assert.That(map.TryGetValue(op.Key, out int v), Is.EqualTo(model.TryGetValue(op.Key, out int m)));
                Assert.That(v, Is.EqualTo(m));
                Assert.That(map.TryGetValue(op.Key + 5_000, out _), Is.False);
            }
        }, iter: 60);
    }

    [Test]
    public void SetItemAndRemove_EarlierVersions_AreUnchanged()
    {
        GenOp.Array[1, 1_500].Sample(ops =>
        {
            var versions = new List<(PersistentSortedMap<ulong, int> Map, KeyValuePair<ulong, int>[] Entries)>();
            var map = PersistentSortedMap<ulong, int>.Empty(Comparer<ulong>.Default);
            var model = new SortedDictionary<ulong, int>();
            for (int i = 0; i < ops.Length; i++)
            {
                Op op = ops[i];
                map = op.Kind == 3 ? map.Remove(op.Key) : map.SetItem(op.Key, op.Value);
                if (op.Kind == 3)
                {
                    model.Remove(op.Key);
                }
                else
                {
                    model[op.Key] = op.Value;
                }

                if (i % 97 == 0)
                {
                    versions.Add((map, [.. model]));
                }
            }

            foreach (var (version, entries) in versions)
            {
                Assert.That(version.ToArray(), Is.EqualTo(entries));
                Assert.That(version.Count, Is.EqualTo(entries.Length));
            }
        }, iter: 40);
    }

    [Test]
    public void SetItem_AscendingAppends_FillEveryLeafButTheLast()
    {
        var map = PersistentSortedMap<ulong, string>.Empty(Comparer<ulong>.Default);
        const int n = (Fanout * Fanout * 3) + 7;
        for (ulong k = 10_000; k < 10_000 + n; k++)
        {
            map = map.SetItem(k, "anchor " + k);
        }

        int[] leaves = [.. map.Leaves().Select(l => l.Entries)];
        Assert.That(leaves[..^1], Is.All.EqualTo(Fanout));
        Assert.That(leaves[^1], Is.EqualTo(n % Fanout));
        Assert.That(map.Leaves().Select(l => l.Depth), Is.All.EqualTo(3));
        Assert.That(map.Count, Is.EqualTo(n));
        Assert.That(map[10_000 + 500], Is.EqualTo("anchor 10500"));
        Assert.That(map.Keys, Is.Ordered);
    }

    [Test]
    public void SetItem_RandomInserts_KeepInnerLeavesAtLeastHalfFull()
    {
        var random = new Random(7);
        var map = PersistentSortedMap<ulong, int>.Empty(Comparer<ulong>.Default);
        for (int i = 0; i < 20_000; i++)
        {
            map = map.SetItem((ulong)random.NextInt64(), i);
        }

        // The last leaf may have been split by an append after the largest key, which leaves it small.
        int[] leaves = [.. map.Leaves().Select(l => l.Entries)];
        Assert.That(leaves[..^1], Is.All.InRange(Fanout / 2, Fanout));
        Assert.That(map.Count, Is.EqualTo(leaves.Sum()));
    }

    [Test]
    public void FromSorted_AnyCount_BuildsLeavesAllAtOneDepthThatIterateInOrder()
    {
        foreach (int n in (int[])[1, 2, Fanout - 1, Fanout, Fanout + 1, Fanout * Fanout, (Fanout * Fanout) + 1, (Fanout * Fanout * Fanout) + Fanout + 1])
        {
            KeyValuePair<ulong, int>[] entries = [.. Enumerable.Range(0, n).Select(i => new KeyValuePair<ulong, int>((ulong)i * 2, i))];
            var map = PersistentSortedMap<ulong, int>.FromSorted(Comparer<ulong>.Default, entries);

            Assert.That(map.ToArray(), Is.EqualTo(entries), $"{n} entries");
            Assert.That(map.Count, Is.EqualTo(n));
            AssertWellShaped(map);
            Assert.That(map.Leaves().Select(l => l.Entries).Take(n / Fanout), Is.All.EqualTo(Fanout), $"{n} entries");
            Assert.That(map.TryGetValue((ulong)(n - 1) * 2, out int last) && last == n - 1, Is.True);
            Assert.That(map.SetItem(1, -1).SetItem((ulong)n * 2, n).Count, Is.EqualTo(n + 2));
        }
    }

    [Test]
    public void FromSorted_Entries_BuildsFullLeavesThatLookUp()
    {
        KeyValuePair<ulong, int>[] entries = [.. Enumerable.Range(0, 5_000).Select(i => new KeyValuePair<ulong, int>((ulong)(i * 3), i))];
        var map = PersistentSortedMap<ulong, int>.FromSorted(Comparer<ulong>.Default, entries);

        Assert.That(map.ToArray(), Is.EqualTo(entries));
        Assert.That(map.Leaves()[..^1].Select(l => l.Entries), Is.All.EqualTo(Fanout));
        Assert.That(map.Leaves().Select(l => l.Depth), Is.All.EqualTo(3));
        Assert.That(map.TryGetValue(2_997, out int v) && v == 999, Is.True);
        Assert.That(map.ContainsKey(2_998), Is.False);
        Assert.That(map.SetItem(2_998, -1).Remove(0).Keys.Take(2), Is.EqualTo(new ulong[] { 3, 6 }));
    }

    [Test]
    public void FromSorted_OutOfOrderOrRepeatedKeys_Throws()
    {
        KeyValuePair<ulong, int>[] unordered = [new(1, 1), new(3, 3), new(2, 2)];
        KeyValuePair<ulong, int>[] repeated = [new(1, 1), new(1, 2)];

        Assert.That(() => PersistentSortedMap<ulong, int>.FromSorted(Comparer<ulong>.Default, unordered), Throws.ArgumentException);
        Assert.That(() => PersistentSortedMap<ulong, int>.FromSorted(Comparer<ulong>.Default, repeated), Throws.ArgumentException);
        Assert.That(PersistentSortedMap<ulong, int>.FromSorted(Comparer<ulong>.Default, []).Count, Is.Zero);

        var builder = new PersistentSortedMap<ulong, int>.AscendingBuilder(Comparer<ulong>.Default);
        Assert.That(builder.TryAdd(5, 5) && builder.TryAdd(7, 7), Is.True);
        Assert.That(builder.TryAdd(7, 8), Is.False);
        Assert.That(builder.TryAdd(6, 6), Is.False);
        Assert.That(builder.ToMap().ToArray(), Is.EqualTo(new KeyValuePair<ulong, int>[] { new(5, 5), new(7, 7) }), "a refused entry is not added");
        Assert.That(() => builder.TryAdd(8, 8), Throws.InvalidOperationException);
    }

    [Test]
    public void Remove_EveryKey_LeavesAnEmptyMapAndAbsentKeysReturnTheSameMap()
    {
        var map = PersistentSortedMap<ulong, int>.FromSorted(Comparer<ulong>.Default, [.. Enumerable.Range(0, 2_000).Select(i => new KeyValuePair<ulong, int>((ulong)i, i))]);

        Assert.That(map.Remove(5_000), Is.SameAs(map));
        foreach (int i in Enumerable.Range(0, 2_000).Reverse().Where(i => i % 2 == 0).Concat(Enumerable.Range(0, 2_000).Where(i => i % 2 == 1)))
        {
            map = map.Remove((ulong)i);
        }

        Assert.That(map.Count, Is.Zero);
        Assert.That(map, Is.Empty);
        Assert.That(map.Leaves(), Is.Empty);
        Assert.That(map.SetItem(4, 4).Single(), Is.EqualTo(new KeyValuePair<ulong, int>(4, 4)));
    }

    [Test]
    public void Indexer_AbsentKey_ThrowsKeyNotFound()
    {
        var map = PersistentSortedMap<ulong, int>.Empty(Comparer<ulong>.Default).SetItem(1, 1);

        Assert.That(() => map[2], Throws.TypeOf<KeyNotFoundException>());
    }

    [Test]
    public void SetItem_CredentialIds_OrderedByTheirBytes()
    {
        var map = PersistentSortedMap<ImmutableArray<byte>, ulong>.Empty(CredentialIdComparer.Instance);
        ImmutableArray<byte>[] ids = [[0xab], [0x0a, 0xff], [0xab, 0x00], [], [0x0a]];
        for (int i = 0; i < ids.Length; i++)
        {
            map = map.SetItem(ids[i], (ulong)i);
        }

        Assert.That(map.Keys.Select(k => Convert.ToHexStringLower(k.AsSpan())), Is.EqualTo(new[] { "", "0a", "0aff", "ab", "ab00" }));
        Assert.That(map.TryGetValue([0x0a, 0xff], out ulong owner) && owner == 1, Is.True);
    }

    private static void AssertSameAs(PersistentSortedMap<ulong, int> map, SortedDictionary<ulong, int> model)
    {
        Assert.That(map.Count, Is.EqualTo(model.Count));
        Assert.That(map.ToArray(), Is.EqualTo(model.ToArray()));
    }

    // Every leaf at one depth, no leaf empty or over the fan-out.
    private static void AssertWellShaped<TValue>(PersistentSortedMap<ulong, TValue> map)
    {
        (int Depth, int Entries)[] leaves = map.Leaves();
        Assert.That(leaves.Select(l => l.Entries), Is.All.InRange(1, Fanout));
        Assert.That(leaves.Select(l => l.Depth).Distinct().Count(), Is.EqualTo(map.Count == 0 ? 0 : 1));
    }
}
