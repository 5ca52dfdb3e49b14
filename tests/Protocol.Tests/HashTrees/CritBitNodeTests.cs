using InternetIdentity.Protocol.HashTrees;

namespace InternetIdentity.Protocol.Tests.HashTrees;

/// <summary>A crit-bit node has one shape per set of labels, whatever its history, and its witnesses prove what they show.</summary>
public class CritBitNodeTests
{
    private static Label RandomLabel(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        if (random.Next(4) == 0)
        {
            bytes[0] = 7; // shared prefixes, so that forks split at later bits too
        }

        return new Label(bytes);
    }

    private static LabeledTree Value(Random random) => LabeledTree.Leaf([.. Enumerable.Range(0, random.Next(0, 9)).Select(_ => (byte)random.Next(256))]);

    // The shape by definition, computed naively: split at the first bit on which the labels do not all agree, those with
    // a 0 there on the left.
    private static HashTree Expected(IReadOnlyList<KeyValuePair<Label, LabeledTree>> sorted)
    {
        if (sorted.Count == 1)
        {
            return HashTree.Labeled(sorted[0].Key, sorted[0].Value.ToHashTree());
        }

        int bits = sorted[0].Key.Bytes.Length * 8;
        for (int bit = 0; bit < bits; bit++)
        {
            var zero = sorted.Where(kv => (kv.Key.Bytes[bit / 8] & (0x80 >> (bit % 8))) == 0).ToList();
            if (zero.Count > 0 && zero.Count < sorted.Count)
            {
                return HashTree.Fork(Expected(zero), Expected([.. sorted.Skip(zero.Count)]));
            }
        }

        throw new InvalidOperationException("duplicate labels");
    }

    [TestCase(1, 1)]
    [TestCase(2, 4)]
    [TestCase(3, 32)]
    public void CritBitNodeWithChanges_RandomChanges_SameTreeAsBuiltFromScratch(int seed, int length)
    {
        var random = new Random(seed);
        var shown = new SortedDictionary<Label, LabeledTree>();
        LabeledTree? node = null;
        for (int step = 0; step < 60; step++)
        {
            var removed = shown.Keys.Where(_ => random.Next(5) == 0).ToList();
            foreach (Label l in removed)
            {
                shown.Remove(l);
            }

            var added = new List<KeyValuePair<Label, LabeledTree>>();
            for (int i = random.Next(0, 30); i > 0; i--)
            {
                Label l = RandomLabel(random, length);
                if (!shown.ContainsKey(l) && added.All(a => a.Key != l))
                {
                    added.Add(new(l, Value(random)));
                }
            }

            if (removed.Count > 0 && random.Next(2) == 0 && added.All(a => a.Key != removed[0]))
            {
                added.Add(new(removed[0], Value(random))); // forgotten and shown again with another value
            }

            foreach (KeyValuePair<Label, LabeledTree> a in added)
            {
                shown[a.Key] = a.Value;
            }

            node = LabeledTree.CritBitNodeWithChanges(node, removed, added);
            Assert.That(node.Labels, Is.EqualTo(shown.Keys), $"seed {seed} step {step}: labels");
            LabeledTree scratch = LabeledTree.CritBitNode(shown);
            Assert.That(node.Digest.ToArray(), Is.EqualTo(scratch.Digest.ToArray()), $"seed {seed} step {step}");
            if (shown.Count > 0)
            {
                Assert.That(node.Digest.ToArray(), Is.EqualTo(Expected([.. shown]).DigestArray()), $"seed {seed} step {step}: shape");
                Assert.That(node.ToHashTree().DigestArray(), Is.EqualTo(node.Digest.ToArray()));
            }
        }
    }

    [TestCase(4)]
    [TestCase(5)]
    public void Witness_PresentAndAbsentLabels_ReconstructsRootAndProvesLookup(int seed)
    {
        var random = new Random(seed);
        var children = new SortedDictionary<Label, LabeledTree>();
        for (int i = 0; i < 300; i++)
        {
            children[RandomLabel(random, 32)] = Value(random);
        }

        LabeledTree node = LabeledTree.CritBitNode(children);
        Label[] labels = [.. children.Keys];
        for (int probe = 0; probe < 40; probe++)
        {
            Label present = labels[random.Next(labels.Length)];
            Label absent = RandomLabel(random, 32);
            HashTree w = node.Witness([[present], [absent]]);
            Assert.That(w.DigestArray(), Is.EqualTo(node.Digest.ToArray()), $"seed {seed} probe {probe}");
            Assert.That(w.IsWellFormed(), Is.True);
            Assert.That(w.LookupPath(present).Status, Is.EqualTo(LookupStatus.Found));
            Assert.That(w.LookupPath(present).Value.ToArray(), Is.EqualTo(children[present].Value.ToArray()));
            Assert.That(w.LookupPath(absent).Status, Is.EqualTo(LookupStatus.Absent), $"seed {seed} probe {probe}: absence");
        }

        Label first = new(new byte[32]), last = new(Enumerable.Repeat((byte)0xff, 32).ToArray());
        Assert.That(node.Witness([[first]]).LookupPath(first).Status, Is.EqualTo(LookupStatus.Absent), "before the first label");
        Assert.That(node.Witness([[last]]).LookupPath(last).Status, Is.EqualTo(LookupStatus.Absent), "after the last label");
    }

    [TestCase(7)]
    [TestCase(8)]
    public void CritBitNodeWithChanges_ChildrenOnlyInTheTree_LookupsAndWitnessesAsBuiltFromScratch(int seed)
    {
        var random = new Random(seed);
        var children = new SortedDictionary<Label, LabeledTree>();
        for (int i = 0; i < 200; i++)
        {
            children[RandomLabel(random, 32)] = Value(random);
        }

        // Changed twice, so that its children live only in the persistent tree (no label arrays copied).
        LabeledTree node = LabeledTree.CritBitNodeWithChanges(null, [], [.. children.Take(150)]);
        node = LabeledTree.CritBitNodeWithChanges(node, [children.Keys.First()], [.. children.Skip(150)]);
        children.Remove(children.Keys.First());
        LabeledTree scratch = LabeledTree.CritBitNode(children);
        Label[] labels = [.. children.Keys];

        Assert.That(node.ChildCount, Is.EqualTo(children.Count));
        Assert.That(node.Digest.ToArray(), Is.EqualTo(scratch.Digest.ToArray()));
        Label first = new(new byte[32]), last = new(Enumerable.Repeat((byte)0xff, 32).ToArray()), shorter = new([7, 1, 2]);
        Label[] probes = [first, last, shorter, .. Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? labels[random.Next(labels.Length)] : RandomLabel(random, 32))];
        foreach (Label probe in probes)
        {
            Assert.That(node.Child(probe)?.Value.ToArray(), Is.EqualTo(scratch.Child(probe)?.Value.ToArray()), $"seed {seed}: child {probe}");
            HashTree w = node.Witness([[probe]]);
            HashTree expected = scratch.Witness([[probe]]);
            Assert.That(w.DigestArray(), Is.EqualTo(node.Digest.ToArray()), $"seed {seed}: witness root for {probe}");
            Assert.That(w.LookupPath(probe).Status, Is.EqualTo(expected.LookupPath(probe).Status), $"seed {seed}: lookup of {probe}");
            Assert.That(Cbor(w), Is.EqualTo(Cbor(expected)), $"seed {seed}: the same witness for {probe}");
        }

        Assert.That(node.Labels, Is.EqualTo(labels), "the labels, made from the tree");
        Label gone = labels[3], extra = RandomLabel(random, 32);
        LabeledTree value = Value(random);
        LabeledTree changed = node.WithoutChild(gone).WithChild(extra, value);
        children.Remove(gone);
        children[extra] = value;
        Assert.That(changed.Digest.ToArray(), Is.EqualTo(LabeledTree.CritBitNode(children).Digest.ToArray()));
        Assert.That(changed.WithoutChild(gone), Is.SameAs(changed), "removing an absent label changes nothing");
    }

    private static byte[] Cbor(HashTree tree) => tree.Encode();

    [Test]
    public void WithChildAndWithoutChild_CritBitNode_KeepsTheShape()
    {
        var random = new Random(6);
        var children = new SortedDictionary<Label, LabeledTree>();
        for (int i = 0; i < 50; i++)
        {
            children[RandomLabel(random, 32)] = Value(random);
        }

        LabeledTree node = LabeledTree.CritBitNode(children);
        Label extra = RandomLabel(random, 32), gone = children.Keys.First(), changed = children.Keys.Last();
        LabeledTree value = Value(random);
        node = node.WithChild(extra, value).WithoutChild(gone).WithChild(changed, value);
        children[extra] = value;
        children.Remove(gone);
        children[changed] = value;
        Assert.That(node.Digest.ToArray(), Is.EqualTo(LabeledTree.CritBitNode(children).Digest.ToArray()));
        Assert.Throws<ArgumentException>(() => node.WithChild(new Label([1, 2]), value));
    }

    [Test]
    public void CritBitNode_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => LabeledTree.CritBitNode([new(new Label([1]), LabeledTree.EmptyNode), new(new Label([1, 2]), LabeledTree.EmptyNode)]));
        Assert.Throws<ArgumentException>(() => LabeledTree.CritBitNode([new(new Label([1]), LabeledTree.EmptyNode), new(new Label([1]), LabeledTree.EmptyNode)]));
        LabeledTree one = LabeledTree.CritBitNode([new(new Label([1]), LabeledTree.EmptyNode)]);
        Assert.Throws<ArgumentException>(() => LabeledTree.CritBitNodeWithChanges(one, [new Label([2])], []), "removing a label that is not a child");
        Assert.Throws<ArgumentException>(() => LabeledTree.CritBitNodeWithChanges(one, [], [new(new Label([1]), LabeledTree.EmptyNode)]), "adding a child twice");
        Assert.Throws<ArgumentException>(() => LabeledTree.CritBitNodeWithChanges(one, [], [new(new Label([2]), LabeledTree.EmptyNode), new(new Label([2]), LabeledTree.EmptyNode)]));
        Assert.Throws<ArgumentException>(() => LabeledTree.CritBitNodeWithChanges(one, [new Label([1]), new Label([1])], []), "removing twice");
        Assert.Throws<ArgumentException>(() => LabeledTree.CritBitNodeWithChanges(one, [], [new(new Label([2, 3]), LabeledTree.EmptyNode)]), "another length");
        Assert.Throws<ArgumentException>(() => LabeledTree.CritBitNodeWithChanges(LabeledTree.Node((new Label([1]), LabeledTree.EmptyNode)), [], []), "not crit-bit");
        LabeledTree replaced = LabeledTree.CritBitNodeWithChanges(one, [new Label([1])], [new(new Label([1]), LabeledTree.Leaf([7]))]);
        Assert.That(replaced.Child(new Label([1]))!.Value.ToArray(), Is.EqualTo(new byte[] { 7 }), "removed and added: the new child");
        Assert.That(LabeledTree.CritBitNodeWithChanges(null, [], []).Digest.ToArray(), Is.EqualTo(HashTree.Empty.DigestArray()));
        Assert.That(LabeledTree.CritBitNode([]).Digest.ToArray(), Is.EqualTo(HashTree.Empty.DigestArray()));
    }
}
