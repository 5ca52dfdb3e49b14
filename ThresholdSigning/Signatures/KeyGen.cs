using System.Security.Cryptography;
using System.Text;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Signatures;

/// <summary>
/// KeyGen of the IETF BLS signature draft (draft-irtf-cfrg-bls-signature-05 §2.3): HKDF-SHA-256 from input key
/// material of at least 32 bytes, retried with a re-hashed salt until the scalar is non-zero.
/// </summary>
public static class KeyGen
{
    private static readonly byte[] s_initialSalt = Encoding.ASCII.GetBytes("BLS-SIG-KEYGEN-SALT-");

    /// <summary>Minimum length of the input key material.</summary>
    public const int MinimumSeedLength = 32;

    /// <summary>Derives a non-zero secret scalar from a seed and optional key information.</summary>
    public static Fr DeriveScalar(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> keyInfo = default)
    {
        if (seed.Length < MinimumSeedLength)
        {
            throw new ArgumentException($"KeyGen needs at least {MinimumSeedLength} bytes of seed, not {seed.Length}.", nameof(seed));
        }

        const int L = 48; // ceil(3 * ceil(log2(r)) / 16)
        byte[] salt = s_initialSalt;
        byte[] ikm = new byte[seed.Length + 1];
        seed.CopyTo(ikm);
        byte[] info = new byte[keyInfo.Length + 2];
        keyInfo.CopyTo(info);
        info[^2] = 0;
        info[^1] = L;
        Span<byte> prk = stackalloc byte[32];
        Span<byte> okm = stackalloc byte[L];
        try
        {
            while (true)
            {
                salt = SHA256.HashData(salt);
                HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt, prk);
                HKDF.Expand(HashAlgorithmName.SHA256, prk, okm, info);
                Fr sk = Fr.FromBigEndianReduced(okm);
                if (!sk.IsZero)
                {
                    return sk;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
            CryptographicOperations.ZeroMemory(prk);
            CryptographicOperations.ZeroMemory(okm);
        }
    }
}
