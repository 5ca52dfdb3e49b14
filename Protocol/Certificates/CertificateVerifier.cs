using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.ThresholdSigning;

namespace InternetIdentity.Protocol.Certificates;

/// <summary>
/// verify_cert of the interface specification: structure and scope first (cheap lookups), then the BLS signatures of the
/// delegation certificate (against the root key) and of the certificate (against the root or delegated subnet key).
/// </summary>
public static class CertificateVerifier
{
    /// <summary>Verifies a certificate; malformed inner parts (delegation certificate, keys, ranges) are reported as invalid.</summary>
    public static VerificationResult Verify(Certificate certificate, CertificateVerificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(options);
        if (!TryRawBlsKey(options.RootKey.Span, out byte[] rootKey))
        {
            throw new ArgumentException("the root key must be 96 raw bytes or a 133-byte BLS DER key", nameof(options));
        }

        if (certificate.Signature.Length != 48)
        {
            return VerificationResult.Invalid($"certificate signature has {certificate.Signature.Length} bytes, expected 48");
        }

        if (options.NowNanos is { } now)
        {
            VerificationResult fresh = CheckTime(certificate, now, options.MaxAgeNanos);
            if (!fresh.IsValid)
            {
                return fresh;
            }
        }

        byte[] signingKey = rootKey;
        Certificate? delegationCertificate = null;
        if (certificate.Delegation is { } delegation)
        {
            VerificationResult scope = CheckDelegation(delegation, options, out delegationCertificate, out byte[]? subnetKey);
            if (!scope.IsValid)
            {
                return scope;
            }

            signingKey = subnetKey!;
        }

        if (delegationCertificate is not null && !VerifyBls(rootKey, delegationCertificate))
        {
            return VerificationResult.Invalid("invalid signature on the delegation certificate (root key)");
        }

        return VerifyBls(signingKey, certificate)
            ? VerificationResult.Valid
            : VerificationResult.Invalid(certificate.Delegation is null
                ? "invalid certificate signature (root key)"
                : $"invalid certificate signature (key of subnet {certificate.Delegation.SubnetId})");
    }

    /// <summary>Checks that <c>/time</c> is present and within <paramref name="maxAgeNanos"/> of <paramref name="nowNanos"/>.</summary>
    public static VerificationResult CheckTime(Certificate certificate, ulong nowNanos, ulong maxAgeNanos)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.Time is not { } time)
        {
            return VerificationResult.Invalid("certificate has no /time");
        }

        if (time < nowNanos && nowNanos - time > maxAgeNanos)
        {
            return VerificationResult.Invalid($"certificate is outdated: /time is {(nowNanos - time) / 1_000_000_000} s old");
        }

        if (time > nowNanos && time - nowNanos > maxAgeNanos)
        {
            return VerificationResult.Invalid($"certificate /time is {(time - nowNanos) / 1_000_000_000} s in the future");
        }

        return VerificationResult.Valid;
    }

    private static VerificationResult CheckDelegation(
        CertificateDelegation delegation, CertificateVerificationOptions options, out Certificate? delegationCertificate, out byte[]? subnetKey)
    {
        delegationCertificate = null;
        subnetKey = null;
        Certificate inner;
        try
        {
            inner = Certificate.Decode(delegation.CertificateBytes);
        }
        catch (CborFormatException e)
        {
            return VerificationResult.Invalid("malformed delegation certificate: " + e.Message);
        }

        if (inner.Delegation is not null)
        {
            return VerificationResult.Invalid("certificate has too many delegations (the delegation certificate is itself delegated)");
        }

        if (inner.Signature.Length != 48)
        {
            return VerificationResult.Invalid("delegation certificate signature is not 48 bytes");
        }

        Principal subnet = delegation.SubnetId;
        LookupResult key = inner.Lookup("subnet", subnet, "public_key");
        if (!key.IsFound)
        {
            return VerificationResult.Invalid($"public key of subnet {subnet} is {key.Status} in the delegation certificate");
        }

        if (!TryRawBlsKey(key.Value.Span, out byte[] raw) || key.Value.Length != 133)
        {
            return VerificationResult.Invalid($"public key of subnet {subnet} is not a DER BLS12-381 key");
        }

        if (options.EffectiveSubnetId is { } expectedSubnet && expectedSubnet != subnet)
        {
            return VerificationResult.Invalid($"certificate is delegated to subnet {subnet}, not {expectedSubnet}");
        }

        if (options.EffectiveCanisterId is { } canister)
        {
            VerificationResult inRange = CheckCanisterRanges(inner, subnet, canister);
            if (!inRange.IsValid)
            {
                return inRange;
            }
        }

        delegationCertificate = inner;
        subnetKey = raw;
        return VerificationResult.Valid;
    }

    /// <summary>
    /// Whether a canister lies in a subnet's ranges as the delegation certificate states them: the sharded
    /// <c>/canister_ranges/&lt;sid&gt;/&lt;shard&gt;</c> first, then the flat <c>/subnet/&lt;sid&gt;/canister_ranges</c>.
    /// </summary>
    public static VerificationResult CheckCanisterRanges(Certificate delegationCertificate, Principal subnet, Principal canister)
    {
        ArgumentNullException.ThrowIfNull(delegationCertificate);
        try
        {
            SubtreeLookupResult shards = delegationCertificate.Tree.LookupSubtree("canister_ranges", subnet);
            if (shards.Status == LookupStatus.Found && shards.Tree is not null)
            {
                // Shard labels are the lower bounds of their first range; only shards at or below the canister can hold it.
                bool anyShard = false;
                foreach ((Label label, HashTree subtree) in shards.Tree!.Children())
                {
                    anyShard = true;
                    if (label.Bytes.SequenceCompareTo(canister.Bytes) > 0 || subtree.Kind != HashTreeKind.Leaf)
                    {
                        continue;
                    }

                    if (CanisterRanges.Decode(subtree.Bytes.ToArray()).Contains(canister))
                    {
                        return VerificationResult.Valid;
                    }
                }

                if (anyShard)
                {
                    return VerificationResult.Invalid($"canister {canister} is not in the canister ranges of subnet {subnet}: certificate not authorized");
                }
            }

            LookupResult flat = delegationCertificate.Lookup("subnet", subnet, "canister_ranges");
            if (!flat.IsFound)
            {
                return VerificationResult.Invalid($"canister ranges of subnet {subnet} are {flat.Status} in the delegation certificate");
            }

            return CanisterRanges.Decode(flat.Value).Contains(canister)
                ? VerificationResult.Valid
                : VerificationResult.Invalid($"canister {canister} is not in the canister ranges of subnet {subnet}: certificate not authorized");
        }
        catch (CborFormatException e)
        {
            return VerificationResult.Invalid("malformed canister ranges: " + e.Message);
        }
    }

    private static bool VerifyBls(byte[] key, Certificate certificate) => Bls.Verify(key, certificate.SignedMessage(), certificate.Signature);

    /// <summary>Accepts a 96-byte raw BLS key or the 133-byte DER form and returns the raw key.</summary>
    public static bool TryRawBlsKey(ReadOnlySpan<byte> key, out byte[] raw)
    {
        raw = [];
        if (key.Length == 96)
        {
            raw = key.ToArray();
            return true;
        }

        if (key.Length == 133 && key.StartsWith(DerPublicKey.BlsDerPrefix))
        {
            raw = key[37..].ToArray();
            return true;
        }

        return false;
    }
}
