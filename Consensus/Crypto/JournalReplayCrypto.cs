using System.Diagnostics.CodeAnalysis;

namespace InternetIdentity.Consensus.Crypto;

/// <summary>
/// The crypto a replica replays its own journal with: signing and combining as <paramref name="inner"/>, but every
/// signature taken as valid. The journal holds only artifacts this replica validated before it persisted them, so
/// checking them again (a pairing per threshold signature) would only slow a restart down.
/// </summary>
internal sealed class JournalReplayCrypto(IConsensusCrypto inner) : IConsensusCrypto
{
    public int NodeIndex => inner.NodeIndex;

    public INodeSigner Node { get; } = new TrustedNodeSigner(inner.Node);

    public IThresholdScheme RandomBeacon { get; } = new TrustedScheme(inner.RandomBeacon);

    public IThresholdScheme Certification { get; } = new TrustedScheme(inner.Certification);

    private sealed class TrustedNodeSigner(INodeSigner inner) : INodeSigner
    {
        public byte[] Sign(byte[] message) => inner.Sign(message);

        public bool Verify(int nodeIndex, byte[] message, byte[] signature) => true;
    }

    private sealed class TrustedScheme(IThresholdScheme inner) : IThresholdScheme
    {
        public int Threshold => inner.Threshold;

        public SignatureShare SignShare(byte[] message) => inner.SignShare(message);

        public bool VerifyShare(SignatureShare share, byte[] message) => true;

        public bool TryCombine(IReadOnlyList<SignatureShare> shares, byte[] message, [NotNullWhen(true)] out byte[]? signature) =>
            inner.TryCombine(shares, message, out signature);

        public bool Verify(byte[] signature, byte[] message) => true;
    }
}
