using System.Buffers.Binary;
using System.Security.Cryptography;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>
/// Derives a stream of uniform scalars from a caller-supplied seed (the pure core takes randomness as input):
/// scalar i = OS2IP(HKDF-Expand(HKDF-Extract(domain, seed), i, 64)) mod r, so the bias is below 2^-128.
/// </summary>
internal sealed class ScalarExpander : IDisposable
{
    private readonly byte[] _prk = new byte[32];
    private uint _counter;

    public ScalarExpander(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> domain)
    {
        if (seed.Length < 32)
        {
            throw new ArgumentException($"The randomness seed must be at least 32 bytes, not {seed.Length}.", nameof(seed));
        }

        HKDF.Extract(HashAlgorithmName.SHA256, seed, domain, _prk);
    }

    /// <summary>The next non-zero scalar.</summary>
    public Fr Next()
    {
        Span<byte> info = stackalloc byte[4];
        Span<byte> okm = stackalloc byte[64];
        while (true)
        {
            BinaryPrimitives.WriteUInt32BigEndian(info, _counter++);
            HKDF.Expand(HashAlgorithmName.SHA256, _prk, okm, info);
            Fr value = Fr.FromBigEndianReduced(okm);
            CryptographicOperations.ZeroMemory(okm);
            if (!value.IsZero)
            {
                return value;
            }
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_prk);
}
