namespace InternetIdentity.ThresholdSigning;

/// <summary>BLS signatures exactly as the IC uses them: signatures in G1 (48 bytes), public keys in G2 (96 bytes).</summary>
public static class Bls
{
    /// <summary>The domain separation tag of IC signatures (RFC 9380 hash to G1, basic scheme).</summary>
    public const string SignatureDst = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";

    /// <summary>
    /// Verifies a 48-byte compressed signature on a message under a 96-byte compressed public key. Returns false for
    /// an invalid signature and for malformed, off-curve, non-subgroup or identity keys and signatures.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        throw new NotImplementedException("BLS verification lands with issue 2");
}
