using System.Text;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.HashToCurve;

namespace InternetIdentity.ThresholdSigning;

/// <summary>RFC 9380 hash_to_curve for BLS12-381 G1 (suite BLS12381G1_XMD:SHA-256_SSWU_RO_).</summary>
public static class HashToG1
{
    /// <summary>Hashes a message to G1 under a domain separation tag (the IC's signature DST by default).</summary>
    public static G1Projective Hash(ReadOnlySpan<byte> message, string dst = Bls.SignatureDst)
    {
        Span<byte> dstBytes = stackalloc byte[Encoding.UTF8.GetByteCount(dst)];
        Encoding.UTF8.GetBytes(dst, dstBytes);
        return Hash(message, dstBytes);
    }

    /// <summary>Hashes a message to G1 under a domain separation tag given as bytes.</summary>
    public static G1Projective Hash(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        Span<Fp> u = stackalloc Fp[2];
        HashToField.HashToFp(message, dst, u);
        // Q0 + Q1 is added on the isogenous curve, so only one isogeny evaluation is needed (RFC 9380 §6.6.3).
        return SswuG1.MapToCurveSumG1Projective(u[0], u[1]).ClearCofactor();
    }
}
