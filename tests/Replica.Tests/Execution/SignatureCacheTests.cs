using InternetIdentity.Replica.Execution;

namespace InternetIdentity.Replica.Tests.Execution;

public class SignatureCacheTests
{
    [Test]
    public void Add_ThenContains_OnlyThatTriple()
    {
        var cache = new SignatureCache();
        cache.Add([1, 2], [3, 4], [5]);
        Assert.That(cache.Contains([1, 2], [3, 4], [5]), Is.True);
        Assert.That(cache.Contains([1, 2], [3, 4], [6]), Is.False, "another signature");
        Assert.That(cache.Contains([1], [2, 3, 4], [5]), Is.False, "the same bytes split differently");
        Assert.That(cache.Contains([9, 2], [3, 4], [5]), Is.False, "another key");
        cache.Add([1, 2], [3, 4], [5]);
        Assert.That(cache.Count, Is.EqualTo(1));
    }

    [Test]
    public void Add_BeyondCapacity_ForgetsTheOldestFirst()
    {
        var cache = new SignatureCache(capacity: 3);
        for (byte i = 0; i < 5; i++)
        {
            cache.Add([i], [i], [i]);
        }

        Assert.That(cache.Count, Is.EqualTo(3));
        Assert.That(Enumerable.Range(0, 5).Select(i => cache.Contains([(byte)i], [(byte)i], [(byte)i])), Is.EqualTo(new[] { false, false, true, true, true }));
    }

    [Test]
    public void Constructor_CapacityBelowOne_Throws() =>
        Assert.That(() => new SignatureCache(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
