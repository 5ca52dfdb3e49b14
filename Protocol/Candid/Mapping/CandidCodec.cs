namespace InternetIdentity.Protocol.Candid.Mapping;

/// <summary>Converts between one C# type and Candid values of one Candid type.</summary>
public interface ICandidCodec
{
    /// <summary>The Candid type.</summary>
    CandidType Type { get; }

    /// <summary>The Candid value of a C# value.</summary>
    /// <exception cref="ArgumentException">the value cannot be represented (e.g. null where no opt is).</exception>
    CandidValue ToValue(object? value);

    /// <summary>The C# value of a Candid value of <see cref="Type"/> (as <see cref="CandidDecoder"/> gives it).</summary>
    object? FromValue(CandidValue value);
}

/// <summary>A typed codec for <typeparamref name="T"/>, built once by <see cref="CandidMapping"/>.</summary>
public sealed class CandidCodec<T>
{
    private readonly ICandidCodec _inner;

    private readonly CandidArgumentLayout _layout;
    private readonly CandidHeaderMemo _memo = new();

    internal CandidCodec(ICandidCodec inner)
    {
        _inner = inner;
        _layout = CandidEncoder.Prepare([inner.Type]);
    }

    /// <summary>The Candid type of <typeparamref name="T"/>.</summary>
    public CandidType Type => _inner.Type;

    /// <summary>The Candid value of a C# value.</summary>
    public CandidValue ToValue(T value) => _inner.ToValue(value);

    /// <summary>The C# value of a decoded Candid value.</summary>
    public T FromValue(CandidValue value) => (T)_inner.FromValue(value)!;

    /// <summary>A message with this one argument.</summary>
    public byte[] Encode(T value) => _layout.Encode([ToValue(value)]);

    /// <summary>The first argument of a message, read at this type (extra arguments are ignored).</summary>
    /// <exception cref="CandidFormatException">malformed bytes or a value that does not fit.</exception>
    public T Decode(ReadOnlySpan<byte> message, CandidDecoderOptions? options = null) =>
        FromValue(CandidDecoder.DecodeWithMemo(message, [Type], options, _memo)[0]);
}
