using System.Text;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.HashToCurve;

namespace InternetIdentity.ThresholdSigning;

/// <summary>RFC 9380 hash_to_curve for BLS12-381 G2 (suite BLS12381G2_XMD:SHA-256_SSWU_RO_).</summary>
public static class HashToG2
{
    /// <summary>Hashes a message to G2 under a domain separation tag.</summary>
    public static G2Projective Hash(ReadOnlySpan<byte> message, string dst)
    {
        Span<byte> dstBytes = stackalloc byte[Encoding.UTF8.GetByteCount(dst)];
        Encoding.UTF8.GetBytes(dst, dstBytes);
        return Hash(message, dstBytes);
    }

    /// <summary>Hashes a message to G2 under a domain separation tag given as bytes.</summary>
    public static G2Projective Hash(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        Span<Fp2> u = stackalloc Fp2[2];
        HashToField.HashToFp2(message, dst, u);
        return SswuG2.MapToCurveSumG2Projective(u[0], u[1]).ClearCofactor();
    }
}
