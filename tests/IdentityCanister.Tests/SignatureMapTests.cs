using System.Security.Cryptography;
using InternetIdentity.IdentityCanister.State;

namespace InternetIdentity.IdentityCanister.Tests;

public class SignatureMapTests
{
    private static byte[] H(int i) => SHA256.HashData(BitConverter.GetBytes(i));

    private static int Depth(TreapNode? n) => n is null ? 0 : 1 + Math.Max(Depth(n.Left), Depth(n.Right));

    [Test]
    public void Treap_TenThousandKeys_IsShallowAndHashesMatchTheFullTree()
    {
        TreapNode? t = null;
        for (int i = 0; i < 10_000; i++)
        {
            t = TreapNode.Put(t, H(i), null);
        }

        Assert.That(Depth(t), Is.LessThan(60));
        Assert.That(t!.ToHashTree().Digest.ToArray(), Is.EqualTo(t.SubtreeHash));
        Assert.That(t.ToHashTree().IsWellFormed(), Is.True);
    }

    [Test]
    public void Treap_ShapeAndRootHash_DependOnlyOnTheKeySet()
    {
        TreapNode? a = null, b = null;
        for (int i = 0; i < 500; i++)
        {
            a = TreapNode.Put(a, H(i), null);
        }

        for (int i = 999; i >= 0; i--)
        {
            b = TreapNode.Put(b, H(i), null);
        }

        for (int i = 500; i < 1000; i++)
        {
            b = TreapNode.Remove(b, H(i));
        }

        Assert.That(b!.SubtreeHash, Is.EqualTo(a!.SubtreeHash));
    }

    [Test]
    public void Witness_ReconstructsToRootAndFindsTheEntry()
    {
        SignatureMap map = SignatureMap.Empty;
        for (int i = 0; i < 100; i++)
        {
            map = map.Add(H(i % 7), H(i), 0);
        }

        var witness = map.Witness(H(3), H(10))!;
        Assert.That(witness.Digest.ToArray(), Is.EqualTo(map.RootHash));
        Assert.That(witness.LookupPath(H(3), H(10)).IsFound, Is.True);
        Assert.That(map.Witness(H(3), H(11)), Is.Null);
    }
}
