using System.Diagnostics.CodeAnalysis;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>Node <see cref="NodeIndex"/>'s share f(index + 1) of a threshold secret. Dispose to wipe it.</summary>
public sealed class SecretKeyShare : IDisposable
{
    private Fr _share;

    internal SecretKeyShare(uint nodeIndex, in Fr share)
    {
        NodeIndex = nodeIndex;
        _share = share;
    }

    /// <summary>The node's index (its share sits at x = index + 1).</summary>
    public uint NodeIndex { get; }

    internal Fr Value => _share;

    /// <summary>Signs a message with the share.</summary>
    public SignatureShare Sign(ReadOnlySpan<byte> message, string dst = Bls.SignatureDst) =>
        Sign(HashedMessage.Create(message, dst));

    /// <summary>Signs a message hashed already (see <see cref="HashedMessage"/>).</summary>
    public SignatureShare Sign(HashedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(NodeIndex, new Signature(G1Projective.FromAffine(message.Point).Multiply(_share).ToAffine()));
    }

    /// <summary>The public key of this share, [share]G2.</summary>
    public G2Affine PublicKey => G2Projective.Generator.Multiply(_share).ToAffine();

    /// <summary>The 32-byte big-endian scalar (for storing in a node's key file).</summary>
    public byte[] ToBytes() => _share.ToBigEndian();

    /// <summary>Reads a share from its 32-byte scalar; false if it is not a canonical scalar.</summary>
    public static bool TryFromBytes(uint nodeIndex, ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out SecretKeyShare? share)
    {
        share = null;
        if (bytes.Length != Fr.ByteLength || !Fr.TryReadBigEndian(bytes, out Fr value))
        {
            return false;
        }

        share = new SecretKeyShare(nodeIndex, value);
        return true;
    }

    /// <summary>Wipes the share.</summary>
    public void Dispose() => _share = default;
}
