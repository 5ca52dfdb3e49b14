using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>
/// The public side of a threshold key: public coefficients, from which the combined key (C_0) and each node's
/// individual key follow. Individual keys are computed once and cached, as the IC does.
/// </summary>
public sealed class ThresholdPublicKey
{
    private readonly ConcurrentDictionary<uint, PublicKey> _individualKeys = new();

    /// <summary>Wraps public coefficients.</summary>
    public ThresholdPublicKey(PublicCoefficients coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.CombinedPublicKey.IsInfinity)
        {
            throw new ArgumentException("The combined public key must not be the identity.", nameof(coefficients));
        }

        Coefficients = coefficients;
        CombinedPublicKey = new PublicKey(coefficients.CombinedPublicKey);
    }

    /// <summary>The public coefficients.</summary>
    public PublicCoefficients Coefficients { get; }

    /// <summary>The number of shares needed to sign.</summary>
    public int Threshold => Coefficients.Threshold;

    /// <summary>The combined public key (what a client trusts: the subnet key).</summary>
    public PublicKey CombinedPublicKey { get; }

    /// <summary>Node <paramref name="nodeIndex"/>'s individual public key.</summary>
    public PublicKey IndividualPublicKey(uint nodeIndex) =>
        _individualKeys.GetOrAdd(nodeIndex, i => new PublicKey(Coefficients.IndividualPublicKey(i)));

    /// <summary>Verifies a signature share against the sender's individual key.</summary>
    public bool VerifyShare(SignatureShare share, ReadOnlySpan<byte> message, string dst = Bls.SignatureDst) =>
        VerifyShare(share, HashedMessage.Create(message, dst));

    /// <summary>Verifies a signature share on a message hashed already (see <see cref="HashedMessage"/>).</summary>
    public bool VerifyShare(SignatureShare share, HashedMessage message)
    {
        ArgumentNullException.ThrowIfNull(share);
        return Bls.Verify(IndividualPublicKey(share.NodeIndex), message, share.Signature);
    }

    /// <summary>Verifies a combined signature against the combined key.</summary>
    public bool VerifyCombined(ReadOnlySpan<byte> message, Signature signature, string dst = Bls.SignatureDst) =>
        Bls.Verify(CombinedPublicKey, message, signature, dst);

    /// <summary>Verifies a combined signature on a message hashed already (see <see cref="HashedMessage"/>).</summary>
    public bool VerifyCombined(HashedMessage message, Signature signature) => Bls.Verify(CombinedPublicKey, message, signature);

    /// <summary>
    /// Combines at least <see cref="Threshold"/> shares by Lagrange interpolation at 0 in G1. The shares are not
    /// verified here (verify each, or verify the result); false with a reason if there are too few or duplicates.
    /// </summary>
    public bool TryCombine(IReadOnlyCollection<SignatureShare> shares, [NotNullWhen(true)] out Signature? signature, [NotNullWhen(false)] out string? error) =>
        ThresholdCombiner.TryCombine(shares, Threshold, out signature, out error);
}
