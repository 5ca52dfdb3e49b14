using System.Formats.Cbor;
using System.Numerics;

namespace InternetIdentity.Protocol.Cbor;

/// <summary>
/// CBOR as the IC interface uses it: optional self-describe tag 55799, natural numbers as unsigned integers or
/// bignums (tag 2), text-keyed maps without duplicates, no floats, bounded nesting.
/// </summary>
public static class IcCbor
{
    /// <summary>The self-describe tag (bytes d9 d9 f7) that IC messages and certificates start with.</summary>
    public const ulong SelfDescribeTag = 55799;

    /// <summary>
    /// The deepest nesting any decoder in this library accepts (System.Formats.Cbor's own limit); deeper input is
    /// rejected, not recursed into. IC hash trees stay far below it: forks grow with log2 of the children.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Decodes exactly one top-level item (tag 55799 optional) with <paramref name="read"/>; every decoder error,
    /// including trailing bytes, surfaces as <see cref="CborFormatException"/>.
    /// </summary>
    public static T Decode<T>(ReadOnlyMemory<byte> data, Func<CborReader, T> read, string what)
    {
        try
        {
            var reader = new CborReader(data, CborConformanceMode.Strict);
            SkipSelfDescribeTag(reader);
            T value = read(reader);
            if (reader.BytesRemaining != 0)
            {
                throw new CborFormatException($"{what}: {reader.BytesRemaining} trailing bytes after the CBOR value");
            }

            return value;
        }
        catch (CborFormatException e) when (!e.Message.StartsWith(what, StringComparison.Ordinal))
        {
            throw new CborFormatException($"{what}: {e.Message}", e);
        }
        catch (CborFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is CborContentException or FormatException or InvalidOperationException or OverflowException or ArgumentException)
        {
            throw new CborFormatException($"{what}: malformed CBOR ({e.Message})", e);
        }
    }

    /// <summary>Consumes a 55799 tag if one comes next.</summary>
    public static void SkipSelfDescribeTag(CborReader reader)
    {
        if (reader.PeekState() == CborReaderState.Tag && (ulong)reader.PeekTag() == SelfDescribeTag)
        {
            reader.ReadTag();
        }
    }

    /// <summary>Reads a nat that must fit in 64 bits (an unsigned integer, or a bignum of at most 8 bytes).</summary>
    public static ulong ReadNat64(CborReader reader)
    {
        BigInteger n = ReadNat(reader);
        if (n > ulong.MaxValue)
        {
            throw new CborFormatException("nat does not fit in 64 bits");
        }

        return (ulong)n;
    }

    /// <summary>Reads a nat: an unsigned integer (major type 0) or an unsigned bignum (tag 2).</summary>
    public static BigInteger ReadNat(CborReader reader)
    {
        switch (reader.PeekState())
        {
            case CborReaderState.UnsignedInteger:
                return reader.ReadUInt64();
            case CborReaderState.Tag when reader.PeekTag() == CborTag.UnsignedBigNum:
                reader.ReadTag();
                byte[] magnitude = reader.ReadByteString();
                return new BigInteger(magnitude, isUnsigned: true, isBigEndian: true);
            default:
                throw new CborFormatException($"expected a nat, found {reader.PeekState()}");
        }
    }

    /// <summary>Writes a nat as an unsigned integer, or as a bignum (tag 2) above 2^64-1.</summary>
    public static void WriteNat(CborWriter writer, BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "a nat is not negative");
        }

        if (value <= ulong.MaxValue)
        {
            writer.WriteUInt64((ulong)value);
        }
        else
        {
            writer.WriteTag(CborTag.UnsignedBigNum);
            writer.WriteByteString(value.ToByteArray(isUnsigned: true, isBigEndian: true));
        }
    }

    /// <summary>Reads a byte string (definite or indefinite length).</summary>
    public static byte[] ReadBlob(CborReader reader)
    {
        if (reader.PeekState() != CborReaderState.ByteString && reader.PeekState() != CborReaderState.StartIndefiniteLengthByteString)
        {
            throw new CborFormatException($"expected a blob, found {reader.PeekState()}");
        }

        return reader.ReadByteString();
    }

    /// <summary>Reads a text string.</summary>
    public static string ReadText(CborReader reader)
    {
        if (reader.PeekState() != CborReaderState.TextString && reader.PeekState() != CborReaderState.StartIndefiniteLengthTextString)
        {
            throw new CborFormatException($"expected text, found {reader.PeekState()}");
        }

        return reader.ReadTextString();
    }

    /// <summary>
    /// Reads a map with text keys, calling <paramref name="onField"/> for each key with the reader positioned on
    /// its value; the callback must consume the value. Duplicate keys are rejected (Strict conformance).
    /// </summary>
    public static void ReadMap(CborReader reader, Action<string> onField)
    {
        if (reader.PeekState() != CborReaderState.StartMap)
        {
            throw new CborFormatException($"expected a map, found {reader.PeekState()}");
        }

        reader.ReadStartMap();
        while (reader.PeekState() != CborReaderState.EndMap)
        {
            onField(ReadText(reader));
        }

        reader.ReadEndMap();
    }

    /// <summary>Reads an array, calling <paramref name="onElement"/> once per element (which must consume it).</summary>
    public static void ReadArray(CborReader reader, Action onElement)
    {
        if (reader.PeekState() != CborReaderState.StartArray)
        {
            throw new CborFormatException($"expected an array, found {reader.PeekState()}");
        }

        reader.ReadStartArray();
        while (reader.PeekState() != CborReaderState.EndArray)
        {
            onElement();
        }

        reader.ReadEndArray();
    }

    /// <summary>Skips one value, refusing nesting deeper than <see cref="MaxDepth"/>.</summary>
    public static void SkipValue(CborReader reader)
    {
        // CborReader.SkipValue is iterative, but check the depth first so that hostile nesting is reported uniformly.
        if (reader.CurrentDepth > MaxDepth)
        {
            throw new CborFormatException("nesting too deep");
        }

        reader.SkipValue();
    }

    /// <summary>Creates a writer for IC messages: definite lengths, optionally starting with tag 55799.</summary>
    public static CborWriter CreateWriter(bool selfDescribe = true)
    {
        var writer = new CborWriter(CborConformanceMode.Strict, convertIndefiniteLengthEncodings: true);
        if (selfDescribe)
        {
            writer.WriteTag((CborTag)SelfDescribeTag);
        }

        return writer;
    }

    /// <summary>Throws when the reader is nested deeper than <see cref="MaxDepth"/>.</summary>
    public static void CheckDepth(CborReader reader)
    {
        if (reader.CurrentDepth > MaxDepth)
        {
            throw new CborFormatException($"nesting deeper than {MaxDepth}");
        }
    }
}
