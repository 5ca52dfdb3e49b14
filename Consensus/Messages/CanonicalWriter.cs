using System.Buffers.Binary;
using System.Collections.Immutable;

namespace InternetIdentity.Consensus.Messages;

/// <summary>
/// The canonical byte encoding of consensus artifacts: a type tag, then fields in declaration order; integers
/// big-endian 8 bytes, byte strings and lists length-prefixed. Used for hashing, signing and sizing.
/// </summary>
public sealed class CanonicalWriter
{
    private byte[] _buffer;
    private readonly bool _countOnly;

    /// <summary>Creates a writer; with <paramref name="countOnly"/> it only counts bytes.</summary>
    public CanonicalWriter(bool countOnly = false)
    {
        _countOnly = countOnly;
        _buffer = countOnly ? [] : new byte[256];
    }

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>Appends one byte.</summary>
    public void Byte(byte value)
    {
        if (Reserve(1, out int at))
        {
            _buffer[at] = value;
        }
    }

    /// <summary>Appends a signed 64-bit integer, big-endian.</summary>
    public void Int64(long value)
    {
        if (Reserve(8, out int at))
        {
            BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(at), value);
        }
    }

    /// <summary>Appends a length-prefixed byte string.</summary>
    public void Bytes(ReadOnlySpan<byte> value)
    {
        if (Reserve(4 + value.Length, out int at))
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(at), (uint)value.Length);
            value.CopyTo(_buffer.AsSpan(at + 4));
        }
    }

    /// <summary>Appends a list: its count, then each element.</summary>
    public void List<T>(ImmutableArray<T> items, Action<CanonicalWriter, T> write)
    {
        Int64(items.Length);
        foreach (T item in items)
        {
            write(this, item);
        }
    }

    /// <summary>The bytes written.</summary>
    public byte[] ToArray() => _countOnly
        ? throw new InvalidOperationException("a counting writer holds no bytes")
        : _buffer.AsSpan(0, Length).ToArray();

    private bool Reserve(int count, out int at)
    {
        at = Length;
        Length += count;
        if (_countOnly)
        {
            return false;
        }
        if (Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(Length, _buffer.Length * 2));
        }
        return true;
    }
}
