using System.Buffers.Binary;
using System.Text;

namespace InternetIdentity.IdentityCanister.State;

/// <summary>Little-endian binary writer for snapshots (length-prefixed bytes and strings, presence flags).</summary>
internal sealed class SnapshotWriter
{
    private byte[] _buffer = new byte[1 << 20];
    private int _length;

    public void U8(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void U64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Ensure(4 + value.Length);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value.Length);
        value.CopyTo(_buffer.AsSpan(_length + 4));
        _length += 4 + value.Length;
    }

    public void String(string value)
    {
        int n = Encoding.UTF8.GetByteCount(value);
        Ensure(4 + n);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), n);
        Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length + 4));
        _length += 4 + n;
    }

    /// <summary>Bytes as a string of their lowercase hex digits (length-prefixed UTF-8, like <see cref="String"/>).</summary>
    public void Hex(ReadOnlySpan<byte> value)
    {
        Ensure(4 + (2 * value.Length));
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), 2 * value.Length);
        Convert.TryToHexStringLower(value, _buffer.AsSpan(_length + 4), out int written);
        _length += 4 + written;
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

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private void Ensure(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
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
