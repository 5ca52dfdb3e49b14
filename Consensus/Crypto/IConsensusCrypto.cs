using System.Diagnostics.CodeAnalysis;

namespace InternetIdentity.Consensus.Crypto;

/// <summary>The cryptography one replica's consensus core uses: its own keys plus everyone's public keys.</summary>
public interface IConsensusCrypto
{
    /// <summary>This replica's index, 0..n-1.</summary>
    int NodeIndex { get; }

    /// <summary>Per-replica signatures (Ed25519 in the real host) for proposals, notarization, finalization and CUP shares.</summary>
    INodeSigner Node { get; }

    /// <summary>The random beacon's threshold scheme (f+1 of n).</summary>
    IThresholdScheme RandomBeacon { get; }

    /// <summary>The state certification's threshold scheme (2f+1 of n).</summary>
    IThresholdScheme Certification { get; }
}

/// <summary>Signs as this replica and verifies any replica's signature.</summary>
public interface INodeSigner
{
    /// <summary>Signs a message with this replica's key.</summary>
    byte[] Sign(byte[] message);

    /// <summary>Whether <paramref name="signature"/> is replica <paramref name="nodeIndex"/>'s signature of the message.</summary>
    bool Verify(int nodeIndex, byte[] message, byte[] signature);
}

/// <summary>A t-of-n threshold signature scheme with unique combined signatures (threshold BLS in the real host).</summary>
public interface IThresholdScheme
{
    /// <summary>Shares needed to combine.</summary>
    int Threshold { get; }

    /// <summary>This replica's share of a signature on the message.</summary>
    SignatureShare SignShare(byte[] message);

    /// <summary>Whether the share is its claimed signer's valid share of the message.</summary>
    bool VerifyShare(SignatureShare share, byte[] message);

    /// <summary>
    /// Combines at least <see cref="Threshold"/> shares from distinct signers without verifying them (the message is
    /// passed for schemes that need it; interpolating schemes ignore it). False when the shares are too few, repeat a
    /// signer or are not share encodings. The result verifies if every share was valid; check it with
    /// <see cref="Verify"/> when they were not verified one by one.
    /// </summary>
    bool TryCombine(IReadOnlyList<SignatureShare> shares, byte[] message, [NotNullWhen(true)] out byte[]? signature);

    /// <summary>Whether the combined signature verifies against the group key.</summary>
    bool Verify(byte[] signature, byte[] message);
}
