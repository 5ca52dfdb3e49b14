using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.Protocol.Tests.Envelopes;

public class DelegationHashTests
{
    [TestCase(0UL)]
    [TestCase(1_650_114_196_974_266_000UL)]
    [TestCase(ulong.MaxValue)]
    public void Hash_WithoutTargets_EqualsGenericHashOfMap(ulong expiration)
    {
        byte[] key = [0x30, 0x2a, 1, 2, 3];
        byte[] expected = RepresentationIndependentHash.Map(
            ("pubkey", RepresentationIndependentHash.Blob(key)), ("expiration", RepresentationIndependentHash.Nat(expiration)));
        Assert.That(new Delegation(key, expiration).Hash(), Is.EqualTo(expected));
    }

    [Test]
    public void Hash_EmptyTargets_DiffersFromNoTargets()
    {
        byte[] key = [1, 2, 3];
        Assert.That(new Delegation(key, 5, []).Hash(), Is.Not.EqualTo(new Delegation(key, 5).Hash()));
        Assert.That(new Delegation(key, 5, [Principal.CanisterId(7)]).Hash(), Is.Not.EqualTo(new Delegation(key, 5, []).Hash()));
    }
}
