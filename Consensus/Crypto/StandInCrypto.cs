using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace InternetIdentity.Consensus.Crypto;

/// <summary>
/// A fast deterministic stand-in for Ed25519 and threshold BLS, for simulation: every signature is a SipHash-2-4 tag
/// under a 128-bit key derived from a seed with SHA-256. A replica's instance signs only with its own keys, so a Byzantine replica
/// cannot produce an honest one's share; combined signatures are unique per message, like BLS.
/// </summary>
public sealed class StandInCrypto : IConsensusCrypto
{
    private StandInCrypto(int nodeIndex, Keyring keys)
    {
        NodeIndex = nodeIndex;
        Node = new NodeSigner(nodeIndex, keys);
        RandomBeacon = new ThresholdScheme(nodeIndex, keys.BeaconShares, keys.BeaconGroup, keys.BeaconThreshold);
        Certification = new ThresholdScheme(nodeIndex, keys.CertificationShares, keys.CertificationGroup, keys.CertificationThreshold);
    }

    /// <inheritdoc/>
    public int NodeIndex { get; }

    /// <inheritdoc/>
    public INodeSigner Node { get; }

    /// <inheritdoc/>
    public IThresholdScheme RandomBeacon { get; }

    /// <inheritdoc/>
    public IThresholdScheme Certification { get; }

    /// <summary>Creates the key material of an n-replica subnet from a seed, one instance per replica.</summary>
    public static IReadOnlyList<IConsensusCrypto> CreateSubnet(int replicas, ReadOnlySpan<byte> seed)
    {
        if (replicas < 1)
        {
            throw new ArgumentException("a subnet has at least one replica", nameof(replicas));
        }
        var keys = new Keyring(replicas, seed.ToArray());
        var result = new IConsensusCrypto[replicas];
        for (int i = 0; i < replicas; i++)
        {
            result[i] = new StandInCrypto(i, keys);
        }
        return result;
    }

    private sealed class Keyring
    {
        public Keyring(int n, byte[] seed)
        {
            int f = (n - 1) / 3;
            Node = Derive("node", seed, n);
            BeaconShares = Derive("beacon-share", seed, n);
            CertificationShares = Derive("certification-share", seed, n);
            BeaconGroup = Derive("beacon-group", seed, 1)[0];
            CertificationGroup = Derive("certification-group", seed, 1)[0];
            BeaconThreshold = f + 1;
            CertificationThreshold = 2 * f + 1;
        }

        public byte[][] Node { get; }
        public byte[][] BeaconShares { get; }
        public byte[][] CertificationShares { get; }
        public byte[] BeaconGroup { get; }
        public byte[] CertificationGroup { get; }
        public int BeaconThreshold { get; }
        public int CertificationThreshold { get; }

        private static byte[][] Derive(string purpose, byte[] seed, int count)
        {
            var keys = new byte[count][];
            byte[] tag = Encoding.ASCII.GetBytes(purpose);
            for (int i = 0; i < count; i++)
            {
                byte[] input = [.. tag, .. seed, (byte)(i >> 8), (byte)i];
                keys[i] = SHA256.HashData(input);
            }
            return keys;
        }
    }

    private static byte[] Mac(byte[] key, byte[] message) =>
        SipHash.Tag16(BitConverter.ToUInt64(key, 0), BitConverter.ToUInt64(key, 8), message);

    private static bool Mac(byte[] key, byte[] message, byte[] claimed) =>
        claimed.Length == 16 && Mac(key, message).AsSpan().SequenceEqual(claimed);

    private sealed class NodeSigner(int nodeIndex, Keyring keys) : INodeSigner
    {
        public byte[] Sign(byte[] message) => Mac(keys.Node[nodeIndex], message);

        public bool Verify(int nodeIndex, byte[] message, byte[] signature) =>
            (uint)nodeIndex < (uint)keys.Node.Length && Mac(keys.Node[nodeIndex], message, signature);
    }

    private sealed class ThresholdScheme(int nodeIndex, byte[][] shareKeys, byte[] groupKey, int threshold) : IThresholdScheme
    {
        public int Threshold => threshold;

        public SignatureShare SignShare(byte[] message) =>
            new(nodeIndex, Mac(shareKeys[nodeIndex], message));

        public bool VerifyShare(SignatureShare share, byte[] message) =>
            (uint)share.NodeIndex < (uint)shareKeys.Length && Mac(shareKeys[share.NodeIndex], message, share.Bytes);

        public bool TryCombine(IReadOnlyList<SignatureShare> shares, byte[] message, [NotNullWhen(true)] out byte[]? signature)
        {
            signature = null;
            if (shares.Count < threshold)
            {
                return false;
            }
            bool valid = true;
            for (int i = 0; i < shares.Count; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    if (shares[j].NodeIndex == shares[i].NodeIndex)
                    {
                        return false;
                    }
                }
                valid = valid && VerifyShare(shares[i], message);
            }
            // Like interpolation, an invalid share spoils the combination: the result then fails Verify.
            signature = valid ? Mac(groupKey, message) : Mac(groupKey, [.. message, 0xff]);
            return true;
        }

        public bool Verify(byte[] signature, byte[] message) => Mac(groupKey, message, signature);
    }
}
