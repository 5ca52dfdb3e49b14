using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.ThresholdSigning.Tests.Signatures;

public class BlsVectorTests
{
    private static IEnumerable<JsonElement> Vectors(string block) =>
        BlsVectors.Block(block).GetProperty("vectors").EnumerateArray();

    [Test]
    public void HashToG1_Rfc9380Vectors_MatchCompressedPoints()
    {
        string dst = BlsVectors.Block("hash_to_g1_rfc9380_compressed").GetProperty("dst").GetString()!;
        foreach (JsonElement v in Vectors("hash_to_g1_rfc9380_compressed"))
        {
            byte[] msg = Encoding.ASCII.GetBytes(v.GetProperty("msg").GetString()!);
            Assert.That(BlsVectors.ToHex(HashToG1.Hash(msg, dst).ToAffine().ToCompressed()),
                Is.EqualTo(v.GetProperty("P_compressed").GetString()));
        }
    }

    [Test]
    public void HashToG1_IcDst_MatchesVectors()
    {
        foreach (JsonElement v in Vectors("hash_to_g1_ic_dst"))
        {
            byte[] msg = BlsVectors.Hex(v.GetProperty("msg_hex").GetString()!);
            Assert.That(BlsVectors.ToHex(HashToG1.Hash(msg).ToAffine().ToCompressed()), Is.EqualTo(v.GetProperty("P_compressed").GetString()));
        }
    }

    [Test]
    public void Verify_IcMainnetSignatures_MatchExpectedValidity()
    {
        int valid = 0;
        foreach (JsonElement v in Vectors("ic_mainnet_signatures"))
        {
            bool expected = v.GetProperty("valid").GetBoolean();
            bool actual = Bls.Verify(BlsVectors.Hex(v.GetProperty("pk").GetString()!), BlsVectors.Hex(v.GetProperty("msg").GetString()!),
                BlsVectors.Hex(v.GetProperty("sig").GetString()!));
            Assert.That(actual, Is.EqualTo(expected), v.ToString());
            valid += expected ? 1 : 0;
        }

        Assert.That(valid, Is.EqualTo(2));
    }

    [Test]
    public void Verify_DrandQuicknetBeacons_AreValid()
    {
        byte[] pk = BlsVectors.Hex(BlsVectors.Block("drand_quicknet").GetProperty("pk").GetString()!);
        foreach (JsonElement v in Vectors("drand_quicknet"))
        {
            var round = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(round, v.GetProperty("round").GetUInt64());
            byte[] msg = SHA256.HashData(round);
            Assert.That(BlsVectors.ToHex(msg), Is.EqualTo(v.GetProperty("msg").GetString()));
            byte[] sig = BlsVectors.Hex(v.GetProperty("sig").GetString()!);
            Assert.That(Bls.Verify(pk, msg, sig), Is.True);
            Assert.That(BlsVectors.ToHex(SHA256.HashData(sig)), Is.EqualTo(v.GetProperty("randomness_sha256_of_sig").GetString()));
            // The same signature on the next round's message must not verify.
            msg[0] ^= 1;
            Assert.That(Bls.Verify(pk, msg, sig), Is.False);
        }
    }

    [Test]
    public void SignAndPublicKey_GeneratedVectors_MatchBytes()
    {
        foreach (JsonElement v in Vectors("generated_sign"))
        {
            using SecretKey sk = SecretKey.FromBytes(BlsVectors.Hex(v.GetProperty("sk_be32").GetString()!));
            byte[] msg = BlsVectors.Hex(v.GetProperty("msg").GetString()!);
            Assert.That(sk.PublicKey.ToString(), Is.EqualTo(v.GetProperty("pk").GetString()));
            Signature sig = sk.Sign(msg);
            Assert.That(sig.ToString(), Is.EqualTo(v.GetProperty("sig").GetString()));
            Assert.That(sk.PublicKey.Verify(msg, sig), Is.True);
        }
    }

    [Test]
    public void Aggregate_GeneratedSameMessageVector_MatchesAndVerifies()
    {
        JsonElement agg = BlsVectors.Block("generated_sign").GetProperty("aggregate_same_msg");
        byte[] msg = BlsVectors.Hex(agg.GetProperty("msg").GetString()!);
        SecretKey[] keys = agg.GetProperty("sks_be32").EnumerateArray().Select(e => SecretKey.FromBytes(BlsVectors.Hex(e.GetString()!))).ToArray();
        Signature aggregate = Bls.AggregateSignatures(keys.Select(k => k.Sign(msg)));
        PublicKey aggregateKey = Bls.AggregatePublicKeys(keys.Select(k => k.PublicKey));
        Assert.That(aggregate.ToString(), Is.EqualTo(agg.GetProperty("agg_sig").GetString()));
        Assert.That(aggregateKey.ToString(), Is.EqualTo(agg.GetProperty("agg_pk").GetString()));
        Assert.That(Bls.VerifyAggregateSameMessage(keys.Select(k => k.PublicKey), msg, aggregate), Is.True);
        Assert.That(Bls.VerifyAggregateSameMessage(keys.Take(1).Select(k => k.PublicKey), msg, aggregate), Is.False);
    }

    [Test]
    public void Verify_MalformedInputs_ReturnFalse()
    {
        using SecretKey sk = SecretKey.FromSeed(new byte[32]);
        byte[] msg = "m"u8.ToArray();
        byte[] pk = sk.PublicKey.ToBytes();
        byte[] sig = sk.Sign(msg).ToBytes();
        Assert.That(Bls.Verify(pk, msg, sig), Is.True);
        Assert.That(Bls.Verify(pk[..95], msg, sig), Is.False, "short key");
        Assert.That(Bls.Verify(pk, msg, sig[..47]), Is.False, "short signature");
        byte[] identitySig = new byte[48];
        identitySig[0] = 0xc0;
        Assert.That(Bls.Verify(pk, msg, identitySig), Is.False, "identity signature");
        byte[] identityKey = new byte[96];
        identityKey[0] = 0xc0;
        Assert.That(Bls.Verify(identityKey, msg, sig), Is.False, "identity key");
        Assert.That(PublicKey.TryFromBytes(identityKey, out _, out string? error), Is.False);
        Assert.That(error, Does.Contain("identity"));
    }

    [Test]
    public void BatchVerify_AllValid_TrueAndOneBad_False()
    {
        var items = new List<(PublicKey, byte[], Signature)>();
        for (int i = 0; i < 6; i++)
        {
            var seed = new byte[32];
            seed[0] = (byte)i;
            using SecretKey sk = SecretKey.FromSeed(seed);
            byte[] msg = [(byte)i, 1, 2];
            items.Add((sk.PublicKey, msg, sk.Sign(msg)));
        }

        Assert.That(Bls.BatchVerify(items, "seed"u8), Is.True);
        // Swap two signatures: each is valid for some message, but not for the one it is paired with.
        var swapped = items.ToList();
        (swapped[1], swapped[2]) = ((swapped[1].Item1, swapped[1].Item2, items[2].Item3), (swapped[2].Item1, swapped[2].Item2, items[1].Item3));
        Assert.That(Bls.BatchVerify(swapped, "seed"u8), Is.False);
        // Two errors that cancel in a plain sum must still be caught by the random combination.
        G1Delta(items, out var cancelling);
        Assert.That(Bls.BatchVerify(cancelling, "seed"u8), Is.False);
    }

    // σ1 + D and σ2 - D: the plain sum of signatures is unchanged, so only the random coefficients catch it.
    private static void G1Delta(List<(PublicKey, byte[], Signature)> items, out List<(PublicKey, byte[], Signature)> result)
    {
        var d = G1Projective.Generator.MultiplyVartime(Fr.FromUInt64(777));
        result = items.ToList();
        var s1 = G1Projective.FromAffine(items[0].Item3.Point) + d;
        var s2 = G1Projective.FromAffine(items[1].Item3.Point) - d;
        result[0] = (items[0].Item1, items[0].Item2, Signature.FromBytes(s1.ToAffine().ToCompressed()));
        result[1] = (items[1].Item1, items[1].Item2, Signature.FromBytes(s2.ToAffine().ToCompressed()));
    }

    [Test]
    public void SecretKey_FromBytes_RejectsZeroAndNonCanonical()
    {
        Assert.That(SecretKey.TryFromBytes(new byte[32], out _), Is.False);
        Assert.That(SecretKey.TryFromBytes(Fr.Modulus.ToByteArray(isUnsigned: true, isBigEndian: true), out _), Is.False);
        Assert.That(SecretKey.TryFromBytes(new byte[31], out _), Is.False);
        Assert.Throws<ArgumentException>(() => SecretKey.FromSeed(new byte[31]));
    }

    [Test]
    public void FromSeed_SameSeed_SameKeyAndDifferentSeed_DifferentKey()
    {
        byte[] a = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] b = (byte[])a.Clone();
        b[31] ^= 1;
        byte[] first = SecretKey.FromSeed(a).ToBytes();
        Assert.That(SecretKey.FromSeed((byte[])a.Clone()).ToBytes(), Is.EqualTo(first));
        Assert.That(SecretKey.FromSeed(a).ToBytes(), Is.Not.EqualTo(SecretKey.FromSeed(b).ToBytes()));
    }
}
