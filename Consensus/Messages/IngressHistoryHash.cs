using System.Buffers.Binary;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Consensus.Messages;

/// <summary>
/// SHA-256 of a catch-up package's ingress history: each record as its 32-byte request id and big-endian 8-byte expiry,
/// in request-id order. Records are gathered into a caller's buffer and fed to the hash a buffer at a time (one call per
/// 40-byte record costs more than the hashing). Used both for a received package's records and for a replica's own
/// history, which is hashed straight from its trie without building the record array.
/// </summary>
internal ref struct IngressHistoryHash
{
    /// <summary>Bytes per record in the hashed stream.</summary>
    public const int RecordBytes = 40;

    /// <summary>A buffer size that holds whole records.</summary>
    public const int ChunkBytes = RecordBytes * 100;

    private readonly Span<byte> _chunk;
    private Sha256Hasher _sha;
    private int _used;

    /// <summary>Starts a hash that gathers records in <paramref name="chunk"/> (a multiple of <see cref="RecordBytes"/>).</summary>
    public IngressHistoryHash(Span<byte> chunk)
    {
        if (chunk.Length < RecordBytes || chunk.Length % RecordBytes != 0)
        {
            throw new ArgumentException($"The buffer must hold whole {RecordBytes}-byte records.", nameof(chunk));
        }
        _chunk = chunk;
    }

    /// <summary>Appends one record.</summary>
    public void Add(Digest requestId, long expiryMs)
    {
        if (_used == _chunk.Length)
        {
            _sha.Append(_chunk);
            _used = 0;
        }
        requestId.WriteTo(_chunk.Slice(_used, 32));
        BinaryPrimitives.WriteInt64BigEndian(_chunk.Slice(_used + 32, 8), expiryMs);
        _used += RecordBytes;
    }

    /// <summary>The digest of every record added.</summary>
    public Digest Finish()
    {
        _sha.Append(_chunk[.._used]);
        _used = 0;
        Span<byte> hash = stackalloc byte[32];
        _sha.GetHashAndReset(hash);
        return Digest.FromBytes(hash);
    }

    /// <summary>Releases the hash's fallback state, if any.</summary>
    public void Dispose() => _sha.Dispose();
}
