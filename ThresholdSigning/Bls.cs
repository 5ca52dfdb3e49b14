using System.Buffers.Binary;
using System.Security.Cryptography;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Pairing;
using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.ThresholdSigning;

/// <summary>
/// BLS signatures exactly as the IC uses them (the "min-sig" variant): signatures in G1 (48 bytes), public keys in
/// G2 (96 bytes), messages hashed to G1 with RFC 9380 and the DST <see cref="SignatureDst"/>.
/// </summary>
public static class Bls
{
    /// <summary>The domain separation tag of IC signatures (RFC 9380 hash to G1, basic scheme).</summary>
    public const string SignatureDst = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";

    private static readonly G2Prepared s_negatedGenerator = G2Prepared.FromAffine(G2Projective.Generator.ToAffine().Negate());

    /// <summary>
    /// Verifies a 48-byte compressed signature on a message under a 96-byte compressed public key. Returns false for
    /// an invalid signature and for malformed, off-curve, non-subgroup or identity keys and signatures.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (!PublicKeyCache.TryGet(publicKey, out PublicKey? pk))
        {
            if (!PublicKey.TryFromBytes(publicKey, out pk, out _))
            {
                return false;
            }

            PublicKeyCache.Add(publicKey, pk);
        }

        return Signature.TryFromBytes(signature, out Signature? sig, out _) && Verify(pk!, message, sig);
    }

    /// <summary>Verifies a signature: e(σ, -G2) · e(H(m), pk) == 1, one multi-Miller loop and one final exponentiation.</summary>
    public static bool Verify(PublicKey publicKey, ReadOnlySpan<byte> message, Signature signature, string dst = SignatureDst) =>
        Verify(publicKey, HashedMessage.Create(message, dst), signature);

    /// <summary>Verifies a signature on a message hashed already (see <see cref="HashedMessage"/>).</summary>
    public static bool Verify(PublicKey publicKey, HashedMessage message, Signature signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Point.IsInfinity)
        {
            return false;
        }

        return OptimalAte.PairingProductIsOne([(signature.Point, s_negatedGenerator), (message.Point, publicKey.Prepared)]);
    }

    /// <summary>Adds signatures, for <see cref="VerifyAggregateSameMessage"/>.</summary>
    public static Signature AggregateSignatures(IEnumerable<Signature> signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        G1Projective sum = G1Projective.Identity;
        int count = 0;
        foreach (Signature s in signatures)
        {
            sum += s.Point;
            count++;
        }

        if (count == 0)
        {
            throw new ArgumentException("There is nothing to aggregate.", nameof(signatures));
        }

        return new Signature(sum.ToAffineVartime());
    }

    /// <summary>Adds public keys, for verifying an aggregate of signatures on one message.</summary>
    public static PublicKey AggregatePublicKeys(IEnumerable<PublicKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        G2Projective sum = G2Projective.Identity;
        int count = 0;
        foreach (PublicKey k in keys)
        {
            sum += k.Point;
            count++;
        }

        if (count == 0)
        {
            throw new ArgumentException("There is nothing to aggregate.", nameof(keys));
        }

        return new PublicKey(sum.ToAffineVartime());
    }

    /// <summary>
    /// Verifies an aggregate signature of several signers on one message against their keys. The keys must be
    /// trusted not to be rogue keys (the IC's keys come from a verified dealing), as in the basic scheme.
    /// </summary>
    public static bool VerifyAggregateSameMessage(IEnumerable<PublicKey> keys, ReadOnlySpan<byte> message, Signature aggregate, string dst = SignatureDst)
    {
        PublicKey sum = AggregatePublicKeys(keys);
        return !sum.Point.IsInfinity && Verify(sum, message, aggregate, dst);
    }

    /// <summary>
    /// Verifies many (public key, message, signature) triples at once with a random linear combination:
    /// e(Σ ρ_i σ_i, -G2) · Π e(ρ_i H(m_i), pk_i) == 1, with 128-bit ρ_i derived from SHA-256 over the caller's
    /// randomness and every input, so no triple can be chosen to cancel another. True only if all are valid
    /// (except with probability about 2^-128); on false, verify one by one to find the invalid ones.
    /// </summary>
    public static bool BatchVerify(IReadOnlyList<(PublicKey PublicKey, byte[] Message, Signature Signature)> items,
        ReadOnlySpan<byte> randomness, string dst = SignatureDst)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return true;
        }

        using var transcript = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        transcript.AppendData(randomness);
        Span<byte> len = stackalloc byte[8];
        foreach (var (pk, msg, sig) in items)
        {
            if (sig.Point.IsInfinity)
            {
                return false;
            }

            transcript.AppendData(pk.ToBytes());
            BinaryPrimitives.WriteUInt64BigEndian(len, (ulong)msg.Length);
            transcript.AppendData(len);
            transcript.AppendData(msg);
            transcript.AppendData(sig.ToBytes());
        }

        byte[] seed = transcript.GetHashAndReset();
        var pairs = new (G1Affine, G2Prepared)[items.Count + 1];
        var sigs = new G1Projective[items.Count];
        var weights = new ulong[2 * items.Count];
        Span<byte> block = stackalloc byte[36];
        Span<ulong> rho = stackalloc ulong[2];
        Span<byte> digest = stackalloc byte[32];
        for (int i = 0; i < items.Count; i++)
        {
            seed.CopyTo(block);
            BinaryPrimitives.WriteInt32BigEndian(block[32..], i);
            SHA256.HashData(block, digest);
            rho[0] = BinaryPrimitives.ReadUInt64LittleEndian(digest) | 1;
            rho[1] = BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]);
            var (pk, msg, sig) = items[i];
            sigs[i] = G1Projective.FromAffine(sig.Point);
            rho.CopyTo(weights.AsSpan(2 * i));
            pairs[i + 1] = (HashToG1.Hash(msg, dst).MultiplyVartime(rho).ToAffineVartime(), pk.Prepared);
        }

        // Σ ρ_i σ_i as one multi-scalar multiplication (shared doublings).
        pairs[0] = (G1Projective.MultiplySumVartime(sigs, weights, 2).ToAffineVartime(), s_negatedGenerator);
        return OptimalAte.PairingProductIsOne(pairs);
    }
}
