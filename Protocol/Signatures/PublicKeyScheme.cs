namespace InternetIdentity.Protocol.Signatures;

/// <summary>The signature schemes of DER public keys a sender, node or subnet may use.</summary>
public enum PublicKeyScheme
{
    /// <summary>Ed25519 (RFC 8410, OID 1.3.101.112).</summary>
    Ed25519,

    /// <summary>ECDSA on NIST P-256 with SHA-256, signatures r || s.</summary>
    EcdsaP256,

    /// <summary>ECDSA on secp256k1 with SHA-256, signatures r || s.</summary>
    EcdsaSecp256k1,

    /// <summary>WebAuthn with a COSE EC2 P-256 key (ES256, DER signatures).</summary>
    WebAuthnEcdsaP256,

    /// <summary>WebAuthn with a COSE RSA key (RS256, PKCS#1 v1.5).</summary>
    WebAuthnRsa,

    /// <summary>A canister signature: (signing canister id, seed).</summary>
    Canister,

    /// <summary>BLS12-381 min-signature (subnet and root keys).</summary>
    Bls12381,
}
