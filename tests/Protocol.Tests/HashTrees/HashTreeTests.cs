using System.Text;
using System.Text.Json;
using CsCheck;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Tests.Support;

namespace InternetIdentity.Protocol.Tests.HashTrees;

public class HashTreeTests
{
    private static readonly JsonElement s_vectors = IcVectors.Json("hash_tree.json");

    private static HashTree Full => HashTree.Decode(s_vectors.Hex("full_tree_cbor_hex"));

    private static HashTree Pruned => HashTree.Decode(s_vectors.Hex("pruned_tree_cbor_hex"));

    [Test]
    public void Digest_SpecFullAndPrunedExample_EqualRootHash()
    {
        string root = s_vectors.Str("root_hash_hex");
        Assert.That(Convert.ToHexStringLower(Full.Digest), Is.EqualTo(root));
        Assert.That(Convert.ToHexStringLower(Pruned.Digest), Is.EqualTo(root));
    }

    [Test]
    public void Digest_Empty_MatchesSpec()
    {
        Assert.That(Convert.ToHexStringLower(HashTree.Empty.Digest), Is.EqualTo(s_vectors.Str("reconstruct_empty_hex")));
    }

    private static IEnumerable<TestCaseData> Lookups() =>
        s_vectors.GetProperty("lookup_path_on_pruned_tree").EnumerateArray().Select(v =>
        {
            string[] path = v.GetProperty("path").EnumerateArray().Select(e => e.GetString()!).ToArray();
            return new TestCaseData(path, v.Str("expected")).SetName("Lookup_" + string.Join("/", path));
        });

    [TestCaseSource(nameof(Lookups))]
    public void LookupPath_SpecPrunedExample_MatchesSpec(string[] path, string expected)
    {
        Label[] labels = path.Select(p => (Label)p).ToArray();
        LookupResult r = Pruned.LookupPath(labels);
        string actual = r.IsFound ? "Found " + Encoding.UTF8.GetString(r.Value.Span) : r.Status.ToString();
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void LookupPath_EndsAtLabeledOrFork_IsError()
    {
        Assert.That(Full.LookupPath("a").Status, Is.EqualTo(LookupStatus.Error));
        Assert.That(Full.LookupPath().Status, Is.EqualTo(LookupStatus.Error));
        Assert.That(HashTree.Empty.LookupPath().Status, Is.EqualTo(LookupStatus.Absent));
        Assert.That(HashTree.Leaf([1]).LookupPath("x").Status, Is.EqualTo(LookupStatus.Absent));
    }

    [Test]
    public void LookupSubtree_Found_ReturnsSubtree()
    {
        SubtreeLookupResult r = Full.LookupSubtree("a");
        Assert.That(r.Status, Is.EqualTo(LookupStatus.Found));
        Assert.That(r.Tree!.LookupPath("x").IsFound, Is.True);
        Assert.That(Full.LookupSubtree("zz").Status, Is.EqualTo(LookupStatus.Absent));
    }

    [Test]
    public void Encode_Decode_RoundTripsBytes()
    {
        byte[] full = s_vectors.Hex("full_tree_cbor_hex");
        byte[] pruned = s_vectors.Hex("pruned_tree_cbor_hex");
        Assert.That(HashTree.Decode(full).Encode(), Is.EqualTo(full));
        Assert.That(HashTree.Decode(pruned).Encode(), Is.EqualTo(pruned));
        Assert.That(HashTree.Decode(Full.Encode(selfDescribe: true)).Digest.ToArray(), Is.EqualTo(Full.Digest.ToArray()));
    }

    [Test]
    public void IsWellFormed_SpecTrees_True_UnsortedOrMixed_False()
    {
        Assert.That(Full.IsWellFormed(), Is.True);
        Assert.That(Pruned.IsWellFormed(), Is.True);
        HashTree unsorted = HashTree.Fork(HashTree.Labeled("b", HashTree.Leaf([])), HashTree.Labeled("a", HashTree.Leaf([])));
        HashTree duplicate = HashTree.Fork(HashTree.Labeled("a", HashTree.Leaf([])), HashTree.Labeled("a", HashTree.Leaf([])));
        HashTree mixed = HashTree.Fork(HashTree.Labeled("a", HashTree.Leaf([])), HashTree.Leaf([1]));
        HashTree nested = HashTree.Labeled("x", unsorted);
        Assert.That(unsorted.IsWellFormed(), Is.False);
        Assert.That(duplicate.IsWellFormed(), Is.False);
        Assert.That(mixed.IsWellFormed(), Is.False);
        Assert.That(nested.IsWellFormed(), Is.False);
    }

    [Test]
    public void Decode_BadShapes_ThrowCborFormatException()
    {
        string[] bad =
        [
            "", "80", "8105", "820458020000", "83024161", "830241618100ff", "8200", "a0", "8301810081008100",
            "83028100810081", "8204582000000000000000000000000000000000000000000000000000000000000000000000",
        ];
        foreach (string hex in bad)
        {
            Assert.Throws<CborFormatException>(() => HashTree.Decode(Convert.FromHexString(hex)), hex);
        }
    }

    [Test]
    public void Decode_DeepNesting_ThrowsWithoutStackOverflow()
    {
        // 100,000 nested forks: [1, [1, [1, ...
        var bytes = new List<byte>();
        for (int i = 0; i < 100_000; i++)
        {
            bytes.AddRange([0x83, 0x01]);
        }

        Assert.Throws<CborFormatException>(() => HashTree.Decode(bytes.ToArray()));
    }

    [Test]
    public void Decode_RandomAndTruncatedBytes_OnlyCborFormatException()
    {
        byte[] pruned = s_vectors.Hex("pruned_tree_cbor_hex");
        for (int n = 0; n < pruned.Length; n++)
        {
            Assert.Throws<CborFormatException>(() => HashTree.Decode(pruned.AsMemory(0, n)));
        }

        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            try
            {
                HashTree.Decode(bytes);
            }
            catch (CborFormatException)
            {
            }
        });
        Gen.Int[0, pruned.Length - 1].Select(Gen.Byte).Sample((pos, value) =>
        {
            byte[] mutated = (byte[])pruned.Clone();
            mutated[pos] = value;
            try
            {
                HashTree.Decode(mutated).LookupPath("a", "y");
            }
            catch (CborFormatException)
            {
            }
        });
    }
}
