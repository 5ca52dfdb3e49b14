using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace InternetIdentity.ThresholdSigning.Signatures;

/// <summary>
/// BLS work that several verifiers in one process repeat on the same inputs, done once: hashing a message to G1,
/// decoding a compressed signature (square root and subgroup check), and verifying a signature (a pairing check, keyed
/// by the public key, the hashed message and the signature, which fix the pairing equation's outcome). The replicas of
/// a local subnet hash, combine and verify the same beacon and state-root messages at every height, mostly at the same
/// moment; through <see cref="Shared"/> each is done once per process instead of once per replica (a replica asking
/// while another computes waits for that result). Every entry is a pure function of its key, so results never differ
/// from doing the work; bounded, starts over when full.
/// </summary>
public sealed class BlsWorkCache
{
    private const int MaxMessageLength = 1024; // larger messages are hashed every time (not the consensus messages)
    private readonly BoundedCache<HashedMessage> _hashed;
    private readonly BoundedCache<Signature?> _signatures;
    private readonly BoundedCache<bool> _verified;
    private long _verifiedHits;

    /// <summary>A cache holding up to <paramref name="capacity"/> entries of each kind.</summary>
    /// <exception cref="ArgumentException"><paramref name="capacity"/> is not positive.</exception>
    public BlsWorkCache(int capacity = 4096)
    {
        if (capacity < 1)
        {
            throw new ArgumentException("the capacity must be positive", nameof(capacity));
        }

        _hashed = new(capacity);
        _signatures = new(capacity);
        _verified = new(capacity);
    }

    /// <summary>The process-wide cache (the replicas of one process share it).</summary>
    public static BlsWorkCache Shared { get; } = new();

    /// <summary>How many verifications were answered from the cache (or another caller's check of the same triple) instead of a pairing check.</summary>
    public long VerifiedHits => Interlocked.Read(ref _verifiedHits);

    /// <summary>H(m) under the signature DST, as <see cref="HashedMessage.Create"/> computes it.</summary>
    public HashedMessage Hash(ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxMessageLength)
        {
            return HashedMessage.Create(message);
        }

        return _hashed.GetOrAdd(Convert.ToBase64String(message), message.ToArray(), static m => HashedMessage.Create(m), out _);
    }

    /// <summary>Decodes a compressed signature as <see cref="Signature.TryFromBytes"/> does.</summary>
    public bool TryParseSignature(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out Signature? signature)
    {
        signature = null;
        if (bytes.Length != Signature.ByteLength)
        {
            return false;
        }

        signature = _signatures.GetOrAdd(Convert.ToBase64String(bytes), bytes.ToArray(),
            static b => Signature.TryFromBytes(b, out Signature? parsed, out _) ? parsed : null, out _);
        return signature is not null;
    }

    /// <summary>
    /// <see cref="Bls.Verify(PublicKey, HashedMessage, Signature)"/>, answering a triple checked before (or being checked)
    /// without another pairing check.
    /// </summary>
    public bool Verify(PublicKey publicKey, HashedMessage message, Signature signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signature);
        bool valid = _verified.GetOrAdd(VerifiedKey(publicKey, message, signature), (publicKey, message, signature),
            static t => Bls.Verify(t.publicKey, t.message, t.signature), out bool found);
        if (found)
        {
            Interlocked.Increment(ref _verifiedHits);
        }

        return valid;
    }

    // SHA-256 over the three points' compressed encodings (which the pairing equation depends on, and nothing else).
    private static string VerifiedKey(PublicKey publicKey, HashedMessage message, Signature signature)
    {
        Span<byte> input = stackalloc byte[PublicKey.ByteLength + 2 * Signature.ByteLength];
        publicKey.Point.ToCompressed().CopyTo(input);
        message.Point.ToCompressed().CopyTo(input[PublicKey.ByteLength..]);
        signature.Point.ToCompressed().CopyTo(input[(PublicKey.ByteLength + Signature.ByteLength)..]);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(input, digest);
        return Convert.ToBase64String(digest);
    }
}
