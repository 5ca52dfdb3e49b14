using System.Diagnostics.CodeAnalysis;
using InternetIdentity.Consensus.Crypto;

namespace InternetIdentity.Consensus.Tests;

/// <summary>Wraps a replica's crypto and counts the threshold-signature checks its core makes.</summary>
internal sealed class CountingCrypto(IConsensusCrypto inner) : IConsensusCrypto
{
    public int NodeIndex => inner.NodeIndex;

    public INodeSigner Node => inner.Node;

    public IThresholdScheme RandomBeacon { get; } = new Counting(inner.RandomBeacon);

    public IThresholdScheme Certification { get; } = new Counting(inner.Certification);

    public Counting Beacon => (Counting)RandomBeacon;

    public Counting Certifications => (Counting)Certification;

    internal sealed class Counting(IThresholdScheme scheme) : IThresholdScheme
    {
        public int ShareChecks { get; private set; }

        public int CombinedChecks { get; private set; }

        public int Threshold => scheme.Threshold;

        public SignatureShare SignShare(byte[] message) => scheme.SignShare(message);

        public bool VerifyShare(SignatureShare share, byte[] message)
        {
            ShareChecks++;
            return scheme.VerifyShare(share, message);
        }

        public bool TryCombine(IReadOnlyList<SignatureShare> shares, byte[] message, [NotNullWhen(true)] out byte[]? signature) =>
            scheme.TryCombine(shares, message, out signature);

        public bool Verify(byte[] signature, byte[] message)
        {
            CombinedChecks++;
            return scheme.Verify(signature, message);
        }
    }
}
