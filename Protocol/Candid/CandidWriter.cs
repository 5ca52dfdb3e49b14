using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace InternetIdentity.Protocol.Candid;

/// <summary>A growable byte buffer with the primitive encodings of the binary format.</summary>
internal sealed class CandidWriter
{
    private byte[] _buffer;

    public CandidWriter(int capacity = 256) => _buffer = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    public void WriteByte(byte b)
    {
        Ensure(1);
        _buffer[Length++] = b;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    public void WriteUleb(ulong value)
    {
        Ensure(10);
        do
        {
            byte b = (byte)(value & 0x7f);
            value >>= 7;
            _buffer[Length++] = value != 0 ? (byte)(b | 0x80) : b;
        }
        while (value != 0);
    }

    public void WriteSleb(long value)
    {
        Ensure(10);
        while (true)
        {
            byte b = (byte)(value & 0x7f);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            _buffer[Length++] = done ? b : (byte)(b | 0x80);
            if (done)
            {
                return;
            }
        }
    }

    public void WriteUleb(BigInteger value)
    {
        if (value <= ulong.MaxValue)
        {
            WriteUleb((ulong)value);
            return;
        }

        while (true)
        {
            byte b = (byte)(value & 0x7f);
            value >>= 7;
            if (value.IsZero)
            {
                WriteByte(b);
                return;
            }

            WriteByte((byte)(b | 0x80));
        }
    }

    public void WriteSleb(BigInteger value)
    {
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            WriteSleb((long)value);
            return;
        }

        while (true)
        {
            byte b = (byte)(value & 0x7f);
            value >>= 7;
            bool done = (value.IsZero && (b & 0x40) == 0) || (value == BigInteger.MinusOne && (b & 0x40) != 0);
            WriteByte(done ? b : (byte)(b | 0x80));
            if (done)
            {
                return;
            }
        }
    }

    public void WriteUInt16(ushort v)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(Length), v);
        Length += 2;
    }

    public void WriteUInt32(uint v)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(Length), v);
        Length += 4;
    }

    public void WriteUInt64(ulong v)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(Length), v);
        Length += 8;
    }

    public void WriteText(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        WriteUleb((ulong)n);
        Ensure(n);
        Length += Encoding.UTF8.GetBytes(s, _buffer.AsSpan(Length));
    }

    public void WritePrincipal(ReadOnlySpan<byte> bytes)
    {
        WriteByte(1);
        WriteUleb((ulong)bytes.Length);
        WriteBytes(bytes);
    }

    private void Ensure(int extra)
    {
        if (Length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + extra));
        }
    }
}
