using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.ThresholdSigning.Tests.Signatures;

public class BlsWorkCacheTests
{
    private static readonly byte[] s_message = "\ric-state-root verified once"u8.ToArray();

    private static SecretKey Key(byte tag)
    {
        var seed = new byte[32];
        seed[0] = tag;
        return SecretKey.FromSeed(seed);
    }

    [Test]
    public void Verify_ValidTwice_SecondAnsweredFromTheCache()
    {
        var cache = new BlsWorkCache();
        SecretKey key = Key(1);
        Signature signature = key.Sign(s_message);
        Assert.That(cache.Verify(key.PublicKey, cache.Hash(s_message), signature), Is.True);
        Assert.That(cache.VerifiedHits, Is.Zero);
        Assert.That(cache.Verify(key.PublicKey, cache.Hash(s_message), signature), Is.True);
        Assert.That(cache.VerifiedHits, Is.EqualTo(1));
    }

    [Test]
    public void Verify_RememberedSignatureUnderAnotherKeyOrMessage_False()
    {
        var cache = new BlsWorkCache();
        SecretKey key = Key(1);
        Signature signature = key.Sign(s_message);
        Assert.That(cache.Verify(key.PublicKey, cache.Hash(s_message), signature), Is.True);
        Assert.That(cache.Verify(Key(2).PublicKey, cache.Hash(s_message), signature), Is.False);
        Assert.That(cache.Verify(key.PublicKey, cache.Hash("another message"u8), signature), Is.False);
        Assert.That(cache.Verify(key.PublicKey, cache.Hash(s_message), Key(2).Sign(s_message)), Is.False);
        Assert.That(cache.VerifiedHits, Is.Zero);
    }

    [Test]
    public void Verify_InvalidTwice_FalseBothTimes()
    {
        var cache = new BlsWorkCache();
        SecretKey key = Key(1);
        Signature wrong = key.Sign("not the message"u8);
        Assert.That(cache.Verify(key.PublicKey, cache.Hash(s_message), wrong), Is.False);
        Assert.That(cache.Verify(key.PublicKey, cache.Hash(s_message), wrong), Is.False);
        Assert.That(cache.VerifiedHits, Is.EqualTo(1));
    }

    [Test]
    public async Task Verify_ManyCallersAtOnce_OnePairingCheck()
    {
        var cache = new BlsWorkCache();
        SecretKey key = Key(5);
        Signature signature = key.Sign(s_message);
        HashedMessage hashed = cache.Hash(s_message);
        bool[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => cache.Verify(key.PublicKey, hashed, signature))));
        Assert.That(results, Is.All.True);
        Assert.That(cache.VerifiedHits, Is.EqualTo(7));
    }

    [Test]
    public void Verify_FullCacheStartsOver_StillCorrect()
    {
        var cache = new BlsWorkCache(capacity: 1);
        SecretKey key = Key(1);
        Signature first = key.Sign(s_message);
        Signature second = key.Sign("second"u8);
        Assert.That(cache.Verify(key.PublicKey, cache.Hash(s_message), first), Is.True);
        Assert.That(cache.Verify(key.PublicKey, cache.Hash("second"u8), second), Is.True);
        Assert.That(cache.Verify(key.PublicKey, cache.Hash(s_message), first), Is.True);
        Assert.That(cache.Verify(key.PublicKey, cache.Hash(s_message), second), Is.False);
    }

    [Test]
    public void Hash_SameAsHashedMessageCreate()
    {
        var cache = new BlsWorkCache();
        SecretKey key = Key(3);
        HashedMessage cached = cache.Hash(s_message);
        Assert.That(cache.Hash(s_message), Is.SameAs(cached));
        Assert.That(Bls.Verify(key.PublicKey, cached, key.Sign(s_message)), Is.True);
        byte[] large = new byte[5000];
        Assert.That(Bls.Verify(key.PublicKey, cache.Hash(large), key.Sign(large)), Is.True);
    }

    [Test]
    public void TryParseSignature_ValidAndMalformed_AsSignatureTryFromBytes()
    {
        var cache = new BlsWorkCache();
        byte[] bytes = Key(4).Sign(s_message).ToBytes();
        Assert.That(cache.TryParseSignature(bytes, out Signature? parsed), Is.True);
        Assert.That(parsed!.ToBytes(), Is.EqualTo(bytes));
        Assert.That(cache.TryParseSignature(bytes, out Signature? again), Is.True);
        Assert.That(again, Is.SameAs(parsed));

        byte[] offCurve = (byte[])bytes.Clone();
        offCurve[47] ^= 1;
        Assert.That(cache.TryParseSignature(offCurve, out _), Is.EqualTo(Signature.TryFromBytes(offCurve, out _, out _)));
        Assert.That(cache.TryParseSignature(bytes.AsSpan(1), out _), Is.False);
        Assert.That(cache.TryParseSignature(new byte[48], out _), Is.False);
    }

    [Test]
    public void Constructor_ZeroCapacity_Throws() =>
        Assert.That(() => new BlsWorkCache(0), Throws.ArgumentException.With.Message.Contains("capacity"));
}
