namespace InternetIdentity.Agent.Identities;

/// <summary>Loads whichever key a PEM file holds (dfx's <c>identity.pem</c>: Ed25519, secp256k1 or P-256).</summary>
public static class IdentityPem
{
    /// <summary>The identity of the first private key in <paramref name="pem"/>; throws <see cref="IdentityFormatException"/>.</summary>
    public static SignIdentity Load(string pem)
    {
        (PrivateKeyKind kind, byte[] secret) = PrivateKeyPem.Read(pem);
        return kind switch
        {
            PrivateKeyKind.Ed25519 => Ed25519Identity.FromSeed(secret),
            PrivateKeyKind.EcdsaP256 => EcdsaP256Identity.FromPrivateKey(secret),
            _ => Secp256k1Identity.FromPrivateKey(secret),
        };
    }
}
