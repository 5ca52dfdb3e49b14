using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.ThresholdSigning.Hashing;
using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;
using ThresholdShare = InternetIdentity.ThresholdSigning.Threshold.SignatureShare;

namespace InternetIdentity.Consensus.Crypto;

/// <summary>
/// The real cryptography behind <see cref="IConsensusCrypto"/>: Ed25519 node keys for proposals and notarization,
/// finalization and catch-up shares, and threshold BLS12-381 for the random beacon (f+1 of n) and the state
/// certification (2f+1 of n), each dealt by a verifiable dealing. Keys derive from a seed (the pure core takes
/// randomness as input), so a simulation seed replays exactly with real crypto too.
/// </summary>
public sealed class RealCrypto : IConsensusCrypto
{
    private RealCrypto(int nodeIndex, INodeSigner node, IThresholdScheme beacon, IThresholdScheme certification)
    {
        NodeIndex = nodeIndex;
        Node = node;
        RandomBeacon = beacon;
        Certification = certification;
    }

    /// <inheritdoc/>
    public int NodeIndex { get; }

    /// <inheritdoc/>
    public INodeSigner Node { get; }

    /// <inheritdoc/>
    public IThresholdScheme RandomBeacon { get; }

    /// <inheritdoc/>
    public IThresholdScheme Certification { get; }

    /// <summary>Creates an n-replica subnet's keys from a seed, one instance per replica.</summary>
    public static IReadOnlyList<IConsensusCrypto> CreateSubnet(int replicas, ReadOnlySpan<byte> seed)
    {
        if (replicas < 1)
        {
            throw new ArgumentException("a subnet has at least one replica", nameof(replicas));
        }

        var seeds = new byte[replicas][];
        var publicKeys = new byte[replicas][];
        for (int i = 0; i < replicas; i++)
        {
            seeds[i] = Derive(seed, "node-key-" + i);
            publicKeys[i] = Ed25519Signatures.PublicKeyFromSeed(seeds[i]);
        }

        Dealing beacon = Dealing.Create(0, Thresholds.Low(replicas), replicas, Derive(seed, "beacon-dealing"));
        Dealing certification = Dealing.Create(0, Thresholds.High(replicas), replicas, Derive(seed, "certification-dealing"));
        var beaconKey = new ThresholdPublicKey(beacon.Commitments);
        var certificationKey = new ThresholdPublicKey(certification.Commitments);
        var result = new IConsensusCrypto[replicas];
        for (int i = 0; i < replicas; i++)
        {
            result[i] = new RealCrypto(i, new Ed25519Node(seeds[i], publicKeys),
                new BlsThreshold(beacon.ShareFor((uint)i), beaconKey), new BlsThreshold(certification.ShareFor((uint)i), certificationKey));
        }

        return result;
    }

    /// <summary>
    /// One replica's cryptography from the keys it holds (a genesis configuration): its Ed25519 seed, every replica's
    /// raw 32-byte Ed25519 public key by index, and its shares of the beacon and certification keys.
    /// </summary>
    /// <exception cref="ArgumentException">the keys do not belong to replica <paramref name="nodeIndex"/>.</exception>
    public static IConsensusCrypto FromKeys(int nodeIndex, ReadOnlySpan<byte> nodeKeySeed, IReadOnlyList<byte[]> nodePublicKeys,
        ThresholdPublicKey beaconKey, SecretKeyShare beaconShare, ThresholdPublicKey certificationKey, SecretKeyShare certificationShare)
    {
        ArgumentNullException.ThrowIfNull(nodePublicKeys);
        ArgumentNullException.ThrowIfNull(beaconKey);
        ArgumentNullException.ThrowIfNull(beaconShare);
        ArgumentNullException.ThrowIfNull(certificationKey);
        ArgumentNullException.ThrowIfNull(certificationShare);
        if ((uint)nodeIndex >= (uint)nodePublicKeys.Count)
        {
            throw new ArgumentException($"node index {nodeIndex} is outside 0..{nodePublicKeys.Count - 1}", nameof(nodeIndex));
        }

        if (nodeKeySeed.Length != 32 || nodePublicKeys.Any(k => k is not { Length: 32 }))
        {
            throw new ArgumentException("Ed25519 seeds and public keys are 32 bytes", nameof(nodePublicKeys));
        }

        byte[] seed = nodeKeySeed.ToArray();
        if (!Ed25519Signatures.PublicKeyFromSeed(seed).AsSpan().SequenceEqual(nodePublicKeys[nodeIndex]))
        {
            throw new ArgumentException($"the node key is not replica {nodeIndex}'s public key", nameof(nodeKeySeed));
        }

        if (beaconShare.NodeIndex != (uint)nodeIndex || certificationShare.NodeIndex != (uint)nodeIndex)
        {
            throw new ArgumentException($"the threshold key shares do not belong to replica {nodeIndex}", nameof(beaconShare));
        }

        return new RealCrypto(nodeIndex, new Ed25519Node(seed, [.. nodePublicKeys]),
            new BlsThreshold(beaconShare, beaconKey), new BlsThreshold(certificationShare, certificationKey));
    }

    private static byte[] Derive(ReadOnlySpan<byte> seed, string purpose)
    {
        byte[] label = Encoding.ASCII.GetBytes(purpose);
        return HMACSHA256.HashData(label, seed);
    }

    // The key is imported once (signing from the seed derives the public key every time). Every share and proposal a
    // replica signs is checked by each of its peers; in one process (a local subnet, the simulator) those are the same
    // (key, message, signature) triples, so each check is done once per process, like the BLS checks below.
    private sealed class Ed25519Node(byte[] seed, byte[][] publicKeys) : INodeSigner
    {
        private static readonly BoundedCache<bool> Verified = new(16_384);

        private readonly Ed25519SigningKey _key = Ed25519SigningKey.FromSeed(seed);

        public byte[] Sign(byte[] message) => _key.Sign(message);

        public bool Verify(int nodeIndex, byte[] message, byte[] signature)
        {
            if (nodeIndex < 0 || nodeIndex >= publicKeys.Length || signature is not { Length: 64 })
            {
                return false;
            }

            // A pure function of the triple, so an answer (valid or not) is the same for every replica that asks; a replica
            // asking while another checks the same triple waits for that check.
            byte[] publicKey = publicKeys[nodeIndex];
            return Verified.GetOrAdd(VerifiedKey(publicKey, message, signature), (publicKey, message, signature),
                static t => Ed25519Signatures.Verify(t.publicKey, t.message, t.signature), out _);
        }

        private static string VerifiedKey(byte[] publicKey, byte[] message, byte[] signature)
        {
            using var sha = new Sha256Hasher();
            sha.Append(publicKey);
            sha.Append(signature);
            sha.Append(message);
            Span<byte> digest = stackalloc byte[Sha256.HashSizeInBytes];
            sha.GetHashAndReset(digest);
            return Convert.ToBase64String(digest);
        }
    }

    // The replicas of one process (a local subnet, the simulator) hash, decode and verify the same beacon and
    // state-root messages and signatures at every height: BlsWorkCache.Shared does each once per process. Its entries
    // are pure functions of their keys (verifications: successes only), so every replica decides exactly as alone.
    private sealed class BlsThreshold(SecretKeyShare share, ThresholdPublicKey key) : IThresholdScheme
    {
        private static BlsWorkCache Work => BlsWorkCache.Shared;

        public int Threshold => key.Threshold;

        public SignatureShare SignShare(byte[] message)
        {
            ThresholdShare signed = share.Sign(Work.Hash(message));
            return new SignatureShare((int)signed.NodeIndex, signed.Signature.ToBytes());
        }

        public bool VerifyShare(SignatureShare s, byte[] message) =>
            s.NodeIndex >= 0
            && Work.TryParseSignature(s.Bytes, out Signature? signature)
            && key.VerifyShare(new ThresholdShare((uint)s.NodeIndex, signature), Work.Hash(message));

        public bool TryCombine(IReadOnlyList<SignatureShare> shares, byte[] message, [NotNullWhen(true)] out byte[]? signature)
        {
            signature = null;
            var parsed = new List<ThresholdShare>(shares.Count);
            foreach (SignatureShare s in shares)
            {
                if (s.NodeIndex < 0 || !Work.TryParseSignature(s.Bytes, out Signature? parsedShare))
                {
                    return false;
                }

                parsed.Add(new ThresholdShare((uint)s.NodeIndex, parsedShare));
            }

            if (!key.TryCombine(parsed, out Signature? combined, out _))
            {
                return false;
            }

            signature = combined.ToBytes();
            return true;
        }

        public bool Verify(byte[] signature, byte[] message) =>
            Work.TryParseSignature(signature, out Signature? sig) && Work.Verify(key.CombinedPublicKey, Work.Hash(message), sig);
    }
}
