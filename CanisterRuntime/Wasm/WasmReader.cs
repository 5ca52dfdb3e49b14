using System.Text;

namespace InternetIdentity.CanisterRuntime.Wasm;

/// <summary>A cursor over WebAssembly binary bytes: LEB128 integers, names and bytes.</summary>
internal ref struct WasmReader
{
    private readonly ReadOnlySpan<byte> _bytes;

    public WasmReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly bool AtEnd => Position >= _bytes.Length;

    public byte ReadByte()
    {
        if (Position >= _bytes.Length)
        {
            throw new WasmFormatException($"unexpected end of the module at offset {Position}");
        }

        return _bytes[Position++];
    }

    public ulong ReadVarUInt(int maxBits)
    {
        ulong result = 0;
        int shift = 0;
        while (true)
        {
            byte b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                break;
            }

            if (shift >= maxBits + 7)
            {
                throw new WasmFormatException($"integer too long at offset {Position}");
            }
        }

        if (maxBits < 64 && result >> maxBits != 0)
        {
            throw new WasmFormatException($"integer too large at offset {Position}");
        }

        return result;
    }

    public uint ReadU32() => (uint)ReadVarUInt(32);

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || Position + count > _bytes.Length)
        {
            throw new WasmFormatException($"unexpected end of the module at offset {Position}");
        }

        ReadOnlySpan<byte> slice = _bytes.Slice(Position, count);
        Position += count;
        return slice;
    }

    public string ReadName()
    {
        ReadOnlySpan<byte> bytes = ReadBytes(checked((int)ReadU32()));
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new WasmFormatException($"a name is not valid UTF-8 at offset {Position}");
        }
    }
}
