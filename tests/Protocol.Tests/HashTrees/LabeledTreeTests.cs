using System.Text;
using CsCheck;
using InternetIdentity.Protocol.HashTrees;

namespace InternetIdentity.Protocol.Tests.HashTrees;

public class LabeledTreeTests
{
    private static LabeledTree Leaf(string s) => LabeledTree.Leaf(Encoding.UTF8.GetBytes(s));

    // The spec's example: a/{x: hello, y: world}, b: good, c: {}, d: morning.
    private static LabeledTree SpecExample() => LabeledTree.Node(
        ("a", LabeledTree.Node(("x", Leaf("hello")), ("y", Leaf("world")))),
        ("b", Leaf("good")),
        ("c", LabeledTree.EmptyNode),
        ("d", Leaf("morning")));

    [Test]
    public void ToHashTree_SpecExampleData_AgreesWithSpecTreeOnEveryPath()
    {
        // The spec's example tree has an extra Empty inside a fork, so only the lookups (not the bytes) can agree.
        LabeledTree t = SpecExample();
        HashTree full = t.ToHashTree();
        HashTree spec = HashTree.Decode(Convert.FromHexString("8301830183024161830183018302417882034568656c6c6f810083024179820345776f726c6483024162820344676f6f648301830241638100830241648203476d6f726e696e67"));
        Assert.That(full.Digest.ToArray(), Is.EqualTo(t.Digest.ToArray()));
        Assert.That(full.IsWellFormed(), Is.True);
        foreach (string[] path in new[] { new[] { "a", "x" }, ["a", "y"], ["a", "z"], ["b"], ["c"], ["c", "q"], ["d"], ["e"], ["aa"] })
        {
            Label[] labels = path.Select(p => (Label)p).ToArray();
            Assert.That(full.LookupPath(labels), Is.EqualTo(spec.LookupPath(labels)).Using<LookupResult>(SameResult), string.Join("/", path));
        }
    }

    private static bool SameResult(LookupResult a, LookupResult b) => a.Status == b.Status && a.Value.Span.SequenceEqual(b.Value.Span);

    [Test]
    public void Witness_SomePaths_KeepsRootAndRevealsOnlyThem()
    {
        LabeledTree t = SpecExample();
        HashTree w = t.Witness([["a", "y"], ["d"], ["bb"]]);
        Assert.That(w.Digest.ToArray(), Is.EqualTo(t.Digest.ToArray()));
        Assert.That(w.IsWellFormed(), Is.True);
        Assert.That(Encoding.UTF8.GetString(w.LookupPath("a", "y").Value.Span), Is.EqualTo("world"));
        Assert.That(w.LookupPath("d").IsFound, Is.True);
        Assert.That(w.LookupPath("bb").Status, Is.EqualTo(LookupStatus.Absent));
        Assert.That(w.LookupPath("a", "x").Status, Is.EqualTo(LookupStatus.Unknown));
        Assert.That(w.LookupPath("b").Status, Is.EqualTo(LookupStatus.Unknown));
    }

    [Test]
    public void Witness_PrefixPath_RevealsWholeSubtree()
    {
        HashTree w = SpecExample().Witness([["a"]]);
        Assert.That(w.LookupPath("a", "x").IsFound, Is.True);
        Assert.That(w.LookupPath("a", "y").IsFound, Is.True);
        Assert.That(w.LookupPath("d").Status, Is.EqualTo(LookupStatus.Unknown));
    }

    [Test]
    public void Witness_RandomTreesAndPaths_AgreeWithFullTreeWhereKnown()
    {
        Gen<string> label = Gen.String[Gen.Char["abcdefgh"], 1, 4];
        label.HashSet[0, 20].Select(Gen.Byte.Array[0, 4], label.List[0, 5])
            .Sample((labels, value, probes) =>
            {
                LabeledTree t = LabeledTree.Node(labels.Select(l => new KeyValuePair<Label, LabeledTree>(l, LabeledTree.Leaf([.. value, (byte)l.Length]))));
                HashTree full = t.ToHashTree();
                HashTree w = t.Witness(probes.Select(p => (IReadOnlyList<Label>)[p]));
                if (!w.Digest.SequenceEqual(t.Digest) || !full.Digest.SequenceEqual(t.Digest) || !w.IsWellFormed())
                {
                    return false;
                }

                foreach (string p in probes)
                {
                    LookupResult inFull = full.LookupPath(p), inWitness = w.LookupPath(p);
                    if (inFull.Status != inWitness.Status || !inFull.Value.Span.SequenceEqual(inWitness.Value.Span))
                    {
                        return false;
                    }
                }

                return true;
            });
    }

    [Test]
    public void Node_DuplicateLabel_Throws()
    {
        Assert.Throws<ArgumentException>(() => LabeledTree.Node(("a", Leaf("1")), ("a", Leaf("2"))));
    }

    [Test]
    public void WithChildAndWithoutChild_MatchFreshlyBuiltTrees()
    {
        LabeledTree t = SpecExample();
        LabeledTree added = t.WithChild("bb", Leaf("new"));
        LabeledTree replaced = t.WithChild("b", Leaf("bad"));
        LabeledTree removed = t.WithoutChild("c");
        LabeledTree expectedAdded = LabeledTree.Node(("a", t.Child("a")!), ("b", Leaf("good")), ("bb", Leaf("new")), ("c", LabeledTree.EmptyNode), ("d", Leaf("morning")));
        Assert.That(added.Digest.ToArray(), Is.EqualTo(expectedAdded.Digest.ToArray()));
        Assert.That(replaced.ToHashTree().LookupPath("b").Value.ToArray(), Is.EqualTo("bad"u8.ToArray()));
        Assert.That(removed.ToHashTree().LookupPath("c").Status, Is.EqualTo(LookupStatus.Absent));
        Assert.That(t.WithoutChild("zz"), Is.SameAs(t));
        Assert.That(t.Digest.ToArray(), Is.EqualTo(SpecExample().Digest.ToArray()), "the original is unchanged");
    }

    [Test]
    public void NodeFromSorted_SortedChildren_SameDigestAndWitnessAsNode()
    {
        var random = new Random(3);
        Label[] labels = [.. Enumerable.Range(0, 257).Select(_ => { byte[] b = new byte[32]; random.NextBytes(b); return new Label(b); }).Order()];
        LabeledTree[] children = [.. labels.Select(l => Leaf(l.ToString()))];
        LabeledTree sorted = LabeledTree.NodeFromSorted(labels, children);
        LabeledTree node = LabeledTree.Node(labels.Zip(children).Reverse().Select(p => new KeyValuePair<Label, LabeledTree>(p.First, p.Second)));
        Assert.That(sorted.Digest.ToArray(), Is.EqualTo(node.Digest.ToArray()));
        Assert.That(sorted.Witness([[labels[100]]]).Encode(), Is.EqualTo(node.Witness([[labels[100]]]).Encode()));
    }

    [Test]
    public void NodeFromSorted_UnsortedDuplicateOrMismatched_Throws()
    {
        Assert.Throws<ArgumentException>(() => LabeledTree.NodeFromSorted(["b", "a"], [Leaf("1"), Leaf("2")]));
        Assert.Throws<ArgumentException>(() => LabeledTree.NodeFromSorted(["a", "a"], [Leaf("1"), Leaf("2")]));
        Assert.Throws<ArgumentException>(() => LabeledTree.NodeFromSorted(["a"], [Leaf("1"), Leaf("2")]));
        Assert.Throws<ArgumentException>(() => LabeledTree.NodeFromSorted(["a"], [null!]));
    }

    [Test]
    public void Digest_ChildSharedUnderDifferentLabels_EachParentHashesItsOwnLabel()
    {
        // A subtree remembers its digest under the last label it was hashed under; another label must not reuse it.
        LabeledTree shared = LabeledTree.Node(("x", Leaf("v")));
        byte[] underA = LabeledTree.Node(("a", shared)).Digest.ToArray();
        byte[] underB = LabeledTree.Node(("b", shared)).Digest.ToArray();
        byte[] underAAgain = LabeledTree.Node(("a", shared)).Digest.ToArray();
        Assert.That(underB, Is.EqualTo(HashTree.Labeled("b", shared.ToHashTree()).Digest.ToArray()));
        Assert.That(underA, Is.EqualTo(HashTree.Labeled("a", shared.ToHashTree()).Digest.ToArray()));
        Assert.That(underAAgain, Is.EqualTo(underA));
        Assert.That(underA, Is.Not.EqualTo(underB));
    }
}
