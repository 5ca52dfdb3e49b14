using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using InternetIdentity.Consensus.Crypto;

namespace InternetIdentity.Replica.Metrics;

/// <summary>
/// The consensus core's cryptography with every operation counted and timed into a replica's metrics: threshold BLS
/// (random beacon and certification) as <c>iinet_bls_*</c>, node-key signature checks as
/// <c>iinet_signature_checks_total{where="consensus"}</c>. The results are the wrapped scheme's, unchanged.
/// </summary>
public sealed class MeteredConsensusCrypto : IConsensusCrypto
{
    /// <summary>Wraps <paramref name="inner"/>, recording into <paramref name="metrics"/>.</summary>
    public MeteredConsensusCrypto(IConsensusCrypto inner, ReplicaMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(metrics);
        NodeIndex = inner.NodeIndex;
        Node = new MeteredSigner(inner.Node, metrics);
        RandomBeacon = new MeteredScheme(inner.RandomBeacon, metrics, "beacon");
        Certification = new MeteredScheme(inner.Certification, metrics, "certification");
    }

    /// <inheritdoc/>
    public int NodeIndex { get; }

    /// <inheritdoc/>
    public INodeSigner Node { get; }

    /// <inheritdoc/>
    public IThresholdScheme RandomBeacon { get; }

    /// <inheritdoc/>
    public IThresholdScheme Certification { get; }

    private sealed class MeteredSigner(INodeSigner inner, ReplicaMetrics metrics) : INodeSigner
    {
        public byte[] Sign(byte[] message) => inner.Sign(message);

        public bool Verify(int nodeIndex, byte[] message, byte[] signature)
        {
            long start = Stopwatch.GetTimestamp();
            bool valid = inner.Verify(nodeIndex, message, signature);
            metrics.SignaturesChecked("consensus", 1, Stopwatch.GetElapsedTime(start));
            return valid;
        }
    }

    private sealed class MeteredScheme(IThresholdScheme inner, ReplicaMetrics metrics, string scheme) : IThresholdScheme
    {
        public int Threshold => inner.Threshold;

        public SignatureShare SignShare(byte[] message)
        {
            long start = Stopwatch.GetTimestamp();
            SignatureShare share = inner.SignShare(message);
            metrics.BlsOperation(scheme, "sign_share", Stopwatch.GetElapsedTime(start));
            return share;
        }

        public bool VerifyShare(SignatureShare share, byte[] message)
        {
            long start = Stopwatch.GetTimestamp();
            bool valid = inner.VerifyShare(share, message);
            metrics.BlsOperation(scheme, "verify_share", Stopwatch.GetElapsedTime(start));
            return valid;
        }

        public bool TryCombine(IReadOnlyList<SignatureShare> shares, byte[] message, [NotNullWhen(true)] out byte[]? signature)
        {
            long start = Stopwatch.GetTimestamp();
            bool combined = inner.TryCombine(shares, message, out signature);
            metrics.BlsOperation(scheme, "combine", Stopwatch.GetElapsedTime(start));
            return combined;
        }

        public bool Verify(byte[] signature, byte[] message)
        {
            long start = Stopwatch.GetTimestamp();
            bool valid = inner.Verify(signature, message);
            metrics.BlsOperation(scheme, "verify", Stopwatch.GetElapsedTime(start));
            return valid;
        }
    }
}
