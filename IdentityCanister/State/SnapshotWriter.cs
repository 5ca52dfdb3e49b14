using System.Buffers.Binary;
using System.Text;

namespace InternetIdentity.IdentityCanister.State;

/// <summary>
/// Little-endian binary writer for snapshots (length-prefixed bytes and strings, presence flags). A snapshot is written
/// twice: first by a counting writer, which only adds up the length, then into one array of exactly that length, so
/// that a large state never sits in a doubled buffer and then a copy of it.
/// </summary>
internal sealed class SnapshotWriter
{
    private readonly byte[]? _array; // null when writing into a caller's buffer
    private readonly Memory<byte> _buffer;
    private readonly bool _counting;
    private long _length;

    private SnapshotWriter(byte[]? array, Memory<byte> buffer, bool counting) => (_array, _buffer, _counting) = (array, buffer, counting);

    /// <summary>A writer that only counts the bytes written.</summary>
    public static SnapshotWriter Counting() => new(null, default, counting: true);

    /// <summary>A writer into an array of exactly <paramref name="length"/> bytes (what a counting pass found).</summary>
    public static SnapshotWriter Exact(long length)
    {
        byte[] array = length <= Array.MaxLength ? new byte[length] : throw new InvalidOperationException($"a snapshot of {length} bytes is larger than an array");
        return new(array, array, counting: false);
    }

    /// <summary>A writer into the caller's <paramref name="destination"/>, which must be exactly what a counting pass found.</summary>
    public static SnapshotWriter Into(Memory<byte> destination) => new(null, destination, counting: false);

    /// <summary>The bytes written (or counted) so far.</summary>
    public long Length => _length;

    public void U8(byte value)
    {
        if (Take(1, out Span<byte> span))
        {
            span[0] = value;
        }
    }

    public void U64(ulong value)
    {
        if (Take(8, out Span<byte> span))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span, value);
        }
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        if (Take(4 + value.Length, out Span<byte> span))
        {
            BinaryPrimitives.WriteInt32LittleEndian(span, value.Length);
            value.CopyTo(span[4..]);
        }
    }

    public void String(string value)
    {
        int n = Encoding.UTF8.GetByteCount(value);
        if (Take(4 + n, out Span<byte> span))
        {
            BinaryPrimitives.WriteInt32LittleEndian(span, n);
            Encoding.UTF8.GetBytes(value, span[4..]);
        }
    }

    /// <summary>Bytes as a string of their lowercase hex digits (length-prefixed UTF-8, like <see cref="String"/>).</summary>
    public void Hex(ReadOnlySpan<byte> value)
    {
        if (Take(4 + (2 * value.Length), out Span<byte> span))
        {
            BinaryPrimitives.WriteInt32LittleEndian(span, 2 * value.Length);
            Convert.TryToHexStringLower(value, span[4..], out _);
        }
    }

    public void OptU64(ulong? value)
    {
        U8(value is null ? (byte)0 : (byte)1);
        if (value is { } v)
        {
            U64(v);
        }
    }

    public void OptString(string? value)
    {
        U8(value is null ? (byte)0 : (byte)1);
        if (value is not null)
        {
            String(value);
        }
    }

    /// <summary>The written array; it must be full (the counting pass and this one wrote the same).</summary>
    public byte[] ToArray()
    {
        EnsureFull();
        return _array ?? throw new InvalidOperationException("this writer wrote into the caller's buffer");
    }

    /// <summary>Checks that the buffer is full (the counting pass and this one wrote the same).</summary>
    public void EnsureFull()
    {
        if (_counting || _length != _buffer.Length)
        {
            throw new InvalidOperationException($"the snapshot wrote {_length} bytes, not the {_buffer.Length} counted");
        }
    }

    // The next n bytes to write into; false when counting.
    private bool Take(int n, out Span<byte> span)
    {
        long at = _length;
        _length += n;
        if (_counting)
        {
            span = default;
            return false;
        }

        span = _length <= _buffer.Length
            ? _buffer.Span.Slice((int)at, n)
            : throw new InvalidOperationException($"the snapshot writes more than the {_buffer.Length} bytes counted");
        return true;
    }
}

/// <summary>Reads what <see cref="SnapshotWriter"/> wrote; malformed input throws <see cref="FormatException"/>.</summary>
internal ref struct SnapshotReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public readonly bool AtEnd => _pos == _data.Length;

    public byte U8()
    {
        Need(1);
        return _data[_pos++];
    }

    public ulong U64()
    {
        Need(8);
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(_data[_pos..]);
        _pos += 8;
        return v;
    }

    public byte[] Bytes() => Slice().ToArray();

    public string String() => Encoding.UTF8.GetString(Slice());

    /// <summary>A string written by <see cref="SnapshotWriter.Hex"/>, as bytes.</summary>
    public byte[] Hex()
    {
        ReadOnlySpan<byte> hex = Slice();
        var bytes = new byte[hex.Length / 2];
        if (hex.Length % 2 != 0 || Convert.FromHexString(hex, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != bytes.Length)
        {
            throw new FormatException("snapshot: a credential id is not hex");
        }

        return bytes;
    }

    /// <summary>
    /// A string that many entries repeat (device aliases, origins, metadata keys): equal ones read in one snapshot are
    /// one object, so a million devices named "Chrome on Mac" hold one string.
    /// </summary>
    public string SharedString()
    {
        string s = String();
        if (s.Length > MaxSharedLength)
        {
            return s;
        }

        _shared ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (_shared.TryGetValue(s, out string? existing))
        {
            return existing;
        }

        if (_shared.Count < MaxShared)
        {
            _shared[s] = s;
        }

        return s;
    }

    private const int MaxSharedLength = 128;
    private const int MaxShared = 65_536;
    private Dictionary<string, string>? _shared;

    public ulong? OptU64() => Flag() ? U64() : null;

    public string? OptString() => Flag() ? String() : null;

    public bool Flag() => U8() switch
    {
        0 => false,
        1 => true,
        var b => throw new FormatException($"snapshot: invalid flag {b}"),
    };

    public int Count()
    {
        ulong n = U64();
        return n > (ulong)(_data.Length - _pos) ? throw new FormatException("snapshot: count exceeds the data") : (int)n;
    }

    private ReadOnlySpan<byte> Slice()
    {
        Need(4);
        int n = BinaryPrimitives.ReadInt32LittleEndian(_data[_pos..]);
        _pos += 4;
        if (n < 0)
        {
            throw new FormatException("snapshot: negative length");
        }

        Need(n);
        ReadOnlySpan<byte> s = _data.Slice(_pos, n);
        _pos += n;
        return s;
    }

    private readonly void Need(int n)
    {
        if (n > _data.Length - _pos)
        {
            throw new FormatException("snapshot: unexpected end of data");
        }
    }
}
