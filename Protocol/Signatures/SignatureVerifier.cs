using InternetIdentity.ThresholdSigning;

namespace InternetIdentity.Protocol.Signatures;

/// <summary>Verifies a signature under a DER public key of any scheme the IC accepts from senders, nodes and subnets.</summary>
public static class SignatureVerifier
{
    /// <summary>
    /// Verifies <paramref name="signature"/> on <paramref name="message"/> (domain separator included) under a DER key.
    /// Canister signatures need the IC root key (raw or DER); other schemes ignore it.
    /// </summary>
    public static VerificationResult Verify(ReadOnlySpan<byte> derPublicKey, ReadOnlySpan<byte> message, ReadOnlyMemory<byte> signature, ReadOnlyMemory<byte> rootKey = default)
    {
        if (!DerPublicKey.TryParse(derPublicKey, out DerPublicKey? key, out string? error))
        {
            return VerificationResult.Invalid("malformed public key: " + error);
        }

        return Verify(key!, message, signature, rootKey);
    }

    /// <summary>
    /// Like <see cref="Verify(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlyMemory{byte}, ReadOnlyMemory{byte})"/>, but
    /// answers from <paramref name="cache"/> when it holds the triple, and records valid ones there.
    /// </summary>
    public static VerificationResult Verify(ReadOnlySpan<byte> derPublicKey, ReadOnlySpan<byte> message, ReadOnlyMemory<byte> signature, ReadOnlyMemory<byte> rootKey,
        ISignatureCache? cache)
    {
        if (cache is null)
        {
            return Verify(derPublicKey, message, signature, rootKey);
        }

        if (cache.Contains(derPublicKey, message, signature.Span))
        {
            return VerificationResult.Valid;
        }

        VerificationResult result = Verify(derPublicKey, message, signature, rootKey);
        if (result.IsValid)
        {
            cache.Add(derPublicKey, message, signature.Span);
        }

        return result;
    }

    /// <summary>Verifies a signature under a parsed key.</summary>
    public static VerificationResult Verify(DerPublicKey key, ReadOnlySpan<byte> message, ReadOnlyMemory<byte> signature, ReadOnlyMemory<byte> rootKey = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        switch (key.Scheme)
        {
            case PublicKeyScheme.Ed25519:
                return Result(Ed25519Signatures.Verify(key.Key, message, signature.Span), "Ed25519");
            case PublicKeyScheme.EcdsaP256:
                return Result(EcdsaSignatures.VerifyP256(key.Key, message, signature.Span), "ECDSA P-256");
            case PublicKeyScheme.EcdsaSecp256k1:
                return Result(EcdsaSignatures.VerifySecp256k1(key.Key, message, signature.Span), "ECDSA secp256k1");
            case PublicKeyScheme.WebAuthnEcdsaP256:
            case PublicKeyScheme.WebAuthnRsa:
                return WebAuthnSignatures.Verify(key, message, signature);
            case PublicKeyScheme.Bls12381:
                return Result(signature.Length == 48 && Bls.Verify(key.Key, message, signature.Span), "BLS12-381");
            case PublicKeyScheme.Canister:
                return rootKey.IsEmpty
                    ? VerificationResult.Invalid("no IC root key given to verify a canister signature")
                    : CanisterSignatures.Verify(key.SigningCanister!, key.Key, message, signature, rootKey);
            default:
                return VerificationResult.Invalid($"unsupported signature scheme {key.Scheme}");
        }
    }

    private static VerificationResult Result(bool ok, string scheme) =>
        ok ? VerificationResult.Valid : VerificationResult.Invalid($"invalid {scheme} signature");
}
