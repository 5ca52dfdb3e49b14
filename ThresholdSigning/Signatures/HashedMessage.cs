using InternetIdentity.ThresholdSigning.Curves;

namespace InternetIdentity.ThresholdSigning.Signatures;

/// <summary>
/// A message hashed to G1 (RFC 9380) once, for signing and verifying the same message several times: a threshold
/// signer signs its share of a message and then verifies the combined signature on it, and hashing costs as much as a
/// few scalar multiplications.
/// </summary>
public sealed class HashedMessage
{
    private HashedMessage(in G1Affine point)
    {
        Point = point;
    }

    /// <summary>H(m), the message's point in G1.</summary>
    internal G1Affine Point { get; }

    /// <summary>Hashes <paramref name="message"/> to G1 with the domain separation tag <paramref name="dst"/>.</summary>
    public static HashedMessage Create(ReadOnlySpan<byte> message, string dst = Bls.SignatureDst) =>
        new(HashToG1.Hash(message, dst).ToAffineVartime());
}
