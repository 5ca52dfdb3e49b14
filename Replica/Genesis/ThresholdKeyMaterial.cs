using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.Replica.Genesis;

/// <summary>A threshold key as one replica holds it: the public coefficients of the dealing and its own secret share.</summary>
public sealed class ThresholdKeyMaterial
{
    /// <summary>Pairs the public side with the node's share; the share must pass the Feldman check.</summary>
    /// <exception cref="GenesisConfigException">the share does not match the public coefficients.</exception>
    public ThresholdKeyMaterial(string name, ThresholdPublicKey publicKey, SecretKeyShare share)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(share);
        if (!share.PublicKey.Equals(publicKey.Coefficients.IndividualPublicKey(share.NodeIndex)))
        {
            throw new GenesisConfigException(
                $"{name}: the secret share of node {share.NodeIndex} is not consistent with the public coefficients (Feldman check failed)");
        }

        PublicKey = publicKey;
        Share = share;
    }

    /// <summary>The public coefficients, combined key and individual keys.</summary>
    public ThresholdPublicKey PublicKey { get; }

    /// <summary>This node's secret share.</summary>
    public SecretKeyShare Share { get; }

    /// <summary>The number of shares needed to sign.</summary>
    public int Threshold => PublicKey.Threshold;
}
