using System.Collections.Immutable;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Tests;

/// <summary>The core's persistent collections against plain models of what they replaced.</summary>
public class PersistentCollectionTests
{
    /// <summary>The ingress history as it was specified: add the payload, then forget ids that expired before the block time.</summary>
    private sealed class HistoryModel
    {
        public SortedDictionary<Digest, long> Held { get; } = new(Digest.Order);

        public void AddBlock(Block b)
        {
            foreach (IngressMessage m in b.Payload)
            {
                Held.TryAdd(m.RequestId, m.ExpiryMs);
            }
            foreach (Digest id in Held.Where(kv => kv.Value < b.TimeMs).Select(kv => kv.Key).ToList())
            {
                Held.Remove(id);
            }
        }
    }

    private static Block BlockAt(long height, long time, IEnumerable<IngressMessage> payload) =>
        new(height, new byte[32], 0, 0, time, [.. payload]);

    private static void AssertSame(IngressHistory history, HistoryModel model, IEnumerable<Digest> probes, string when)
    {
        ImmutableArray<IngressRecord> records = history.ToRecords();
        Assert.That(records.Select(r => (r.RequestId, r.ExpiryMs)), Is.EqualTo(model.Held.Select(kv => (kv.Key, kv.Value))), when);
        foreach (Digest id in probes)
        {
            Assert.That(history.Contains(id), Is.EqualTo(model.Held.ContainsKey(id)), $"{when}: {id.Short}");
        }
    }

    [Test]
    public void AddBlock_RandomChain_MatchesModel()
    {
        var rng = new DeterministicRandom(7);
        IngressHistory history = IngressHistory.Empty;
        var model = new HistoryModel();
        var seen = new List<IngressMessage>();
        long time = 0;
        for (long h = 1; h <= 400; h++)
        {
            time += rng.NextLong(0, 300);
            var payload = new List<IngressMessage>();
            int count = rng.NextInt(5);
            for (int i = 0; i < count; i++)
            {
                if (seen.Count > 0 && rng.Chance(0.2))
                {
                    payload.Add(seen[rng.NextInt(seen.Count)]); // a replay, possibly of a forgotten id
                }
                else
                {
                    var m = new IngressMessage(BitConverter.GetBytes(rng.NextUInt64()), time + rng.NextLong(-100, 20_000));
                    seen.Add(m);
                    payload.Add(m);
                }
            }
            Block b = BlockAt(h, time, payload);
            history = history.AddBlock(b);
            model.AddBlock(b);
            AssertSame(history, model, seen.Select(m => m.RequestId), $"after height {h}");
        }
        Assert.That(model.Held, Is.Not.Empty, "the run must keep some ids to compare");
    }

    [Test]
    public void AddBlock_TimeGoesBack_ForgetsExactlyAsModel()
    {
        IngressHistory history = IngressHistory.Empty;
        var model = new HistoryModel();
        // mid is forgotten at time 3,000 and must stay forgotten when a later block's time is lower than its expiry.
        IngressMessage early = new([1], 1_000), mid = new([4], 2_500), late = new([2], 5_000), again = new([3], 2_000);
        foreach (Block b in new[] { BlockAt(1, 900, [early, mid, late]), BlockAt(2, 3_000, []), BlockAt(3, 1_500, [early, again]), BlockAt(4, 1_800, []) })
        {
            history = history.AddBlock(b);
            model.AddBlock(b);
            AssertSame(history, model, [early.RequestId, mid.RequestId, late.RequestId, again.RequestId], $"after height {b.Height}");
        }
    }

    [Test]
    public void FromRecords_IdsSharingLongPrefixes_KeptInIdOrder()
    {
        // Ids equal in their first 250 bits, and some differing only in the first bit: the trie splits them at every depth.
        var ids = new List<Digest>();
        for (ulong d = 0; d < 40; d++)
        {
            ids.Add(new Digest(0xFFFF_0000_0000_0000, 7, 9, d * 3));
            ids.Add(new Digest(d << 58, 0, 0, 0));
        }
        ImmutableArray<IngressRecord> records = [.. ids.Select((id, i) => new IngressRecord(id, 10_000 + i))];
        IngressHistory history = IngressHistory.FromRecords(records);
        Assert.That(history.ToRecords(), Is.EqualTo(records.OrderBy(r => r.RequestId, Digest.Order)));
        Assert.That(ids.All(history.Contains), Is.True);
        Assert.That(history.Contains(new Digest(0xFFFF_0000_0000_0000, 7, 9, 1)), Is.False, "a neighbour of held ids");
        var model = new HistoryModel();
        foreach (IngressRecord r in records)
        {
            model.Held.Add(r.RequestId, r.ExpiryMs);
        }
        for (long t = 10_000; t <= 10_090; t += 10)
        {
            Block b = BlockAt(t, t, []);
            history = history.AddBlock(b);
            model.AddBlock(b);
            AssertSame(history, model, ids, $"at time {t}");
        }
    }

    [Test]
    public void SmallMap_RandomEdits_IterateAsImmutableDictionary()
    {
        var rng = new DeterministicRandom(3);
        SmallMap<Digest, int> map = SmallMap<Digest, int>.Empty;
        ImmutableDictionary<Digest, int> reference = ImmutableDictionary<Digest, int>.Empty;
        var keys = Enumerable.Range(0, 12).Select(i => Digest.Sha256([(byte)i])).ToList();
        for (int step = 0; step < 2_000; step++)
        {
            Digest key = keys[rng.NextInt(keys.Count)];
            int value = rng.NextInt(100);
            switch (rng.NextInt(3))
            {
                case 0:
                    map = map.SetItem(key, value);
                    reference = reference.SetItem(key, value);
                    break;
                case 1:
                    map = map.Remove(key);
                    reference = reference.Remove(key);
                    break;
                default:
                    if (!reference.ContainsKey(key))
                    {
                        map = map.Add(key, value);
                        reference = reference.Add(key, value);
                    }
                    break;
            }
            Assert.That(map.ToList(), Is.EqualTo(reference.ToList()), $"step {step}");
        }
    }

    [Test]
    public void SmallMap_AddHeldKeyWithOtherValue_Throws()
    {
        SmallMap<int, string> map = SmallMap<int, string>.Empty.Add(1, "a");
        Assert.That(map.Add(1, "a"), Is.SameAs(map));
        Assert.That(() => map.Add(1, "b"), Throws.ArgumentException);
        Assert.That(() => map[2], Throws.TypeOf<KeyNotFoundException>());
    }
}
