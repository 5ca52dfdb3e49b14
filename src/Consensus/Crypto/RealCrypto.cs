using System.Security.Cryptography;
using System.Text;
using InternetIdentity.Protocol.Signatures;
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
    private RealCrypto(int nodeIndex, NodeKeys nodeKeys, ThresholdKey beacon, ThresholdKey certification)
    {
        NodeIndex = nodeIndex;
        Node = new Ed25519Node(nodeIndex, nodeKeys);
        RandomBeacon = new BlsThreshold(nodeIndex, beacon);
        Certification = new BlsThreshold(nodeIndex, certification);
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

        var nodeKeys = new NodeKeys(replicas, seed);
        var beacon = new ThresholdKey(Dealing.Create(0, Thresholds.Low(replicas), replicas, Derive(seed, "beacon-dealing")));
        var certification = new ThresholdKey(Dealing.Create(0, Thresholds.High(replicas), replicas, Derive(seed, "certification-dealing")));
        var result = new IConsensusCrypto[replicas];
        for (int i = 0; i < replicas; i++)
        {
            result[i] = new RealCrypto(i, nodeKeys, beacon, certification);
        }

        return result;
    }

    private static byte[] Derive(ReadOnlySpan<byte> seed, string purpose)
    {
        byte[] label = Encoding.ASCII.GetBytes(purpose);
        return HMACSHA256.HashData(label, seed);
    }

    private sealed class NodeKeys
    {
        public NodeKeys(int n, ReadOnlySpan<byte> seed)
        {
            Seeds = new byte[n][];
            PublicKeys = new byte[n][];
            for (int i = 0; i < n; i++)
            {
                Seeds[i] = Derive(seed, "node-key-" + i);
                PublicKeys[i] = Ed25519Signatures.PublicKeyFromSeed(Seeds[i]);
            }
        }

        public byte[][] Seeds { get; }

        public byte[][] PublicKeys { get; }
    }

    private sealed class ThresholdKey(Dealing dealing)
    {
        public ThresholdPublicKey PublicKey { get; } = new(dealing.Commitments);

        public Dealing Dealing { get; } = dealing;
    }

    private sealed class Ed25519Node(int nodeIndex, NodeKeys keys) : INodeSigner
    {
        public byte[] Sign(byte[] message) => Ed25519Signatures.Sign(keys.Seeds[nodeIndex], message);

        public bool Verify(int nodeIndex, byte[] message, byte[] signature) =>
            nodeIndex >= 0 && nodeIndex < keys.PublicKeys.Length && Ed25519Signatures.Verify(keys.PublicKeys[nodeIndex], message, signature);
    }

    private sealed class BlsThreshold : IThresholdScheme
    {
        private readonly SecretKeyShare _share;
        private readonly ThresholdPublicKey _key;

        public BlsThreshold(int nodeIndex, ThresholdKey key)
        {
            _share = key.Dealing.ShareFor((uint)nodeIndex);
            _key = key.PublicKey;
        }

        public int Threshold => _key.Threshold;

        public SignatureShare SignShare(byte[] message)
        {
            ThresholdShare share = _share.Sign(message);
            return new SignatureShare((int)share.NodeIndex, share.Signature.ToBytes());
        }

        public bool VerifyShare(SignatureShare share, byte[] message) =>
            share.NodeIndex >= 0
            && Signature.TryFromBytes(share.Bytes, out Signature? signature, out _)
            && _key.VerifyShare(new ThresholdShare((uint)share.NodeIndex, signature), message);

        public byte[] Combine(IReadOnlyList<SignatureShare> shares, byte[] message)
        {
            var parsed = new List<ThresholdShare>(shares.Count);
            foreach (SignatureShare s in shares)
            {
                if (s.NodeIndex < 0 || !Signature.TryFromBytes(s.Bytes, out Signature? signature, out string? error))
                {
                    throw new ArgumentException($"share of node {s.NodeIndex} is not a signature share", nameof(shares));
                }

                parsed.Add(new ThresholdShare((uint)s.NodeIndex, signature));
            }

            return _key.TryCombine(parsed, out Signature? combined, out string? reason)
                ? combined.ToBytes()
                : throw new ArgumentException(reason, nameof(shares));
        }

        public bool Verify(byte[] signature, byte[] message) =>
            Signature.TryFromBytes(signature, out Signature? sig, out _) && _key.VerifyCombined(message, sig);
    }
}
