using System.Diagnostics.CodeAnalysis;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.Replica.State;

/// <summary>
/// Threshold certification of state roots: each replica signs a share of <c>\x0Dic-state-root</c> || root; any t
/// shares combine into the subnet's signature, which is verified under the subnet key before anyone stores it.
/// </summary>
public static class StateCertification
{
    /// <summary>The signed message for a root.</summary>
    public static byte[] Message(ReadOnlySpan<byte> root) => DomainSeparators.Prefix(DomainSeparators.StateRoot, root);

    /// <summary>This replica's signature share on a root.</summary>
    public static SignatureShare SignShare(SecretKeyShare share, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(share);
        return share.Sign(Message(root));
    }

    /// <summary>
    /// Combines shares into the subnet signature on a root and verifies it. If the quick combination fails to verify,
    /// each share is checked against its node's key and the valid ones are combined again, so one bad share cannot
    /// stop certification. False with the reason when there are not enough valid shares.
    /// </summary>
    public static bool TryCombine(ThresholdPublicKey key, ReadOnlySpan<byte> root, IReadOnlyCollection<SignatureShare> shares,
        [NotNullWhen(true)] out Signature? signature, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(shares);
        byte[] message = Message(root);
        List<SignatureShare> distinct = [.. shares.DistinctBy(s => s.NodeIndex)];
        if (key.TryCombine(distinct, out signature, out error) && key.VerifyCombined(message, signature))
        {
            return true;
        }

        List<SignatureShare> valid = [.. distinct.Where(s => key.VerifyShare(s, message))];
        if (key.TryCombine(valid, out signature, out error) && key.VerifyCombined(message, signature))
        {
            return true;
        }

        signature = null;
        error = $"only {valid.Count} of {distinct.Count} signature shares are valid, and {key.Threshold} are needed";
        return false;
    }
}
