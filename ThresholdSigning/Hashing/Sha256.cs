namespace InternetIdentity.ThresholdSigning.Hashing;

/// <summary>
/// SHA-256 one-shots for the whole code base, in the shape of <see cref="System.Security.Cryptography.SHA256"/>: OpenSSL's
/// low-level functions where libcrypto.so.3 provides them (Linux), <see cref="System.Security.Cryptography.SHA256"/> otherwise.
/// </summary>
public static class Sha256
{
    /// <summary>The digest length in bytes.</summary>
    public const int HashSizeInBytes = 32;

    /// <summary>Whether hashes go through libcrypto's SHA256_Init/Update/Final rather than the BCL's EVP path.</summary>
    public static bool IsNative => LibCryptoSha256.IsAvailable;

    /// <summary>The SHA-256 digest of <paramref name="source"/>.</summary>
    public static byte[] HashData(ReadOnlySpan<byte> source)
    {
        byte[] digest = new byte[HashSizeInBytes];
        HashData(source, digest);
        return digest;
    }

    /// <summary>Writes the SHA-256 digest of <paramref name="source"/> to <paramref name="destination"/> (may overlap) and returns 32.</summary>
    public static int HashData(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        CheckDestination(destination);
        if (LibCryptoSha256.IsAvailable)
        {
            // Update reads all of the source before Final writes: an overlapping destination is safe.
            LibCryptoSha256.Hash(source, destination);
            return HashSizeInBytes;
        }

        return System.Security.Cryptography.SHA256.HashData(source, destination);
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="destination"/> cannot hold a digest.</summary>
    internal static void CheckDestination(ReadOnlySpan<byte> destination)
    {
        if (destination.Length < HashSizeInBytes)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; a SHA-256 digest needs {HashSizeInBytes}.", nameof(destination));
        }
    }
}
