using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace InternetIdentity.ThresholdSigning.Hashing;

/// <summary>
/// Incremental SHA-256 on the stack (the native context lives inside the struct): append parts, then take the digest,
/// which resets it for reuse. <c>default</c> is ready to use; dispose it (on the fallback path it holds an IncrementalHash).
/// </summary>
public unsafe ref struct Sha256Hasher : IDisposable
{
#pragma warning disable CS0649 // written by OpenSSL through a pointer
    private Context _context;
#pragma warning restore CS0649
    private bool _started;
    private IncrementalHash? _fallback;

    /// <summary>Adds <paramref name="data"/> to the message.</summary>
    public void Append(scoped ReadOnlySpan<byte> data)
    {
        if (!LibCryptoSha256.IsAvailable)
        {
            (_fallback ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256)).AppendData(data);
            return;
        }

        fixed (ulong* context = &_context[0])
        {
            Start(context);
            LibCryptoSha256.Update(context, data);
        }
    }

    /// <summary>Writes the digest of everything appended to <paramref name="destination"/>, returns 32 and starts a new message.</summary>
    public int GetHashAndReset(scoped Span<byte> destination)
    {
        Sha256.CheckDestination(destination);

        if (!LibCryptoSha256.IsAvailable)
        {
            return (_fallback ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256)).GetHashAndReset(destination);
        }

        fixed (ulong* context = &_context[0])
        {
            Start(context);
            LibCryptoSha256.Final(context, destination);
        }

        _started = false;
        return Sha256.HashSizeInBytes;
    }

    /// <summary>The digest of everything appended, as a new array; starts a new message.</summary>
    public byte[] GetHashAndReset()
    {
        byte[] digest = new byte[Sha256.HashSizeInBytes];
        GetHashAndReset(digest);
        return digest;
    }

    /// <summary>Releases the fallback hash object, if one was made.</summary>
    public void Dispose()
    {
        _fallback?.Dispose();
        _fallback = null;
    }

    private void Start(ulong* context)
    {
        if (!_started)
        {
            LibCryptoSha256.Init(context);
            _started = true;
        }
    }

    // SHA256_CTX (112 bytes of 32-bit words) with headroom, 8-byte aligned.
    [InlineArray(LibCryptoSha256.ContextBytes / sizeof(ulong))]
    private struct Context
    {
        private ulong _element;
    }
}
