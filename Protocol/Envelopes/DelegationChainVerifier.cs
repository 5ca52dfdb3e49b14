using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Protocol.Envelopes;

/// <summary>
/// Checks a chain of user delegations: at most 20, each signed by the previous key (the first by the sender's key), none
/// expired at the given time, the target canister within every target list, and no key used twice.
/// </summary>
public static class DelegationChainVerifier
{
    /// <summary>The longest chain the IC accepts.</summary>
    public const int MaxDelegations = 20;

    /// <summary>The most targets one delegation may list.</summary>
    public const int MaxTargets = 1000;

    /// <summary>
    /// Verifies the chain; on success <paramref name="effectiveKey"/> is the key that must sign the request (the last
    /// delegation's key, or the sender key when the chain is empty).
    /// </summary>
    public static VerificationResult Verify(
        byte[] senderPublicKey, IReadOnlyList<SignedDelegation> chain, ulong nowNanos, Principal? targetCanister, ReadOnlyMemory<byte> rootKey, out byte[] effectiveKey) =>
        Verify(senderPublicKey, chain, nowNanos, targetCanister, rootKey, null, out effectiveKey);

    /// <summary>Verifies the chain, taking signatures <paramref name="cache"/> found valid before as valid (time and targets are always checked).</summary>
    public static VerificationResult Verify(
        byte[] senderPublicKey, IReadOnlyList<SignedDelegation> chain, ulong nowNanos, Principal? targetCanister, ReadOnlyMemory<byte> rootKey,
        ISignatureCache? cache, out byte[] effectiveKey)
    {
        ArgumentNullException.ThrowIfNull(senderPublicKey);
        ArgumentNullException.ThrowIfNull(chain);
        effectiveKey = senderPublicKey;
        if (chain.Count > MaxDelegations)
        {
            return VerificationResult.Invalid($"delegation chain has {chain.Count} delegations, at most {MaxDelegations} allowed");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { Convert.ToHexString(senderPublicKey) };
        byte[] signer = senderPublicKey;
        for (int i = 0; i < chain.Count; i++)
        {
            Delegation d = chain[i].Delegation;
            if (!seen.Add(Convert.ToHexString(d.PublicKey)))
            {
                return VerificationResult.Invalid($"delegation {i} repeats a key of the chain (cycle or self-delegation)");
            }

            if (d.Expiration < nowNanos)
            {
                return VerificationResult.Invalid($"delegation {i} expired at {d.Expiration} ns, before the current time {nowNanos} ns");
            }

            if (d.Targets is { } targets)
            {
                if (targets.Count > MaxTargets)
                {
                    return VerificationResult.Invalid($"delegation {i} has {targets.Count} targets, at most {MaxTargets} allowed");
                }

                if (targetCanister is not null && !targets.Contains(targetCanister))
                {
                    return VerificationResult.Invalid($"canister {targetCanister} is not a target of delegation {i}");
                }
            }

            VerificationResult sig = SignatureVerifier.Verify(signer, d.SignedMessage(), chain[i].Signature, rootKey, cache);
            if (!sig.IsValid)
            {
                return VerificationResult.Invalid($"delegation {i}: {sig.Reason}");
            }

            signer = d.PublicKey;
        }

        effectiveKey = signer;
        return VerificationResult.Valid;
    }
}
