namespace InternetIdentity.Protocol.Candid.Mapping;

/// <summary>Typed argument sequences: encode C# values as a message, decode a message into C# values.</summary>
public static class CandidArgs
{
    /// <summary>The empty argument sequence <c>()</c>.</summary>
    public static byte[] Encode() => CandidEncoder.Encode([], []);

    /// <summary>A message of one argument.</summary>
    public static byte[] Encode<T1>(T1 a1) => CandidMapping.CodecFor<T1>().Encode(a1);

    /// <summary>A message of two arguments.</summary>
    public static byte[] Encode<T1, T2>(T1 a1, T2 a2) =>
        Layout<T1, T2>.Value.Encode([CandidMapping.CodecFor<T1>().ToValue(a1), CandidMapping.CodecFor<T2>().ToValue(a2)]);

    /// <summary>A message of three arguments.</summary>
    public static byte[] Encode<T1, T2, T3>(T1 a1, T2 a2, T3 a3) =>
        Layout<T1, T2, T3>.Value.Encode([CandidMapping.CodecFor<T1>().ToValue(a1), CandidMapping.CodecFor<T2>().ToValue(a2), CandidMapping.CodecFor<T3>().ToValue(a3)]);

    /// <summary>A message of four arguments.</summary>
    public static byte[] Encode<T1, T2, T3, T4>(T1 a1, T2 a2, T3 a3, T4 a4) =>
        Layout<T1, T2, T3, T4>.Value.Encode([
            CandidMapping.CodecFor<T1>().ToValue(a1), CandidMapping.CodecFor<T2>().ToValue(a2),
            CandidMapping.CodecFor<T3>().ToValue(a3), CandidMapping.CodecFor<T4>().ToValue(a4)]);

    /// <summary>Checks a message is well-formed (any arguments it carries are skipped).</summary>
    public static void Decode(ReadOnlySpan<byte> message, CandidDecoderOptions? options = null) => CandidDecoder.Decode(message, [], options);

    /// <summary>The first argument.</summary>
    public static T1 Decode<T1>(ReadOnlySpan<byte> message, CandidDecoderOptions? options = null) =>
        CandidMapping.CodecFor<T1>().Decode(message, options);

    /// <summary>The first two arguments.</summary>
    public static (T1, T2) Decode<T1, T2>(ReadOnlySpan<byte> message, CandidDecoderOptions? options = null)
    {
        CandidCodec<T1> c1 = CandidMapping.CodecFor<T1>();
        CandidCodec<T2> c2 = CandidMapping.CodecFor<T2>();
        IReadOnlyList<CandidValue> v = CandidDecoder.DecodeWithMemo(message, Layout<T1, T2>.Value.Types, options, Layout<T1, T2>.Memo);
        return (c1.FromValue(v[0]), c2.FromValue(v[1]));
    }

    /// <summary>The first three arguments.</summary>
    public static (T1, T2, T3) Decode<T1, T2, T3>(ReadOnlySpan<byte> message, CandidDecoderOptions? options = null)
    {
        CandidCodec<T1> c1 = CandidMapping.CodecFor<T1>();
        CandidCodec<T2> c2 = CandidMapping.CodecFor<T2>();
        CandidCodec<T3> c3 = CandidMapping.CodecFor<T3>();
        IReadOnlyList<CandidValue> v = CandidDecoder.DecodeWithMemo(message, Layout<T1, T2, T3>.Value.Types, options, Layout<T1, T2, T3>.Memo);
        return (c1.FromValue(v[0]), c2.FromValue(v[1]), c3.FromValue(v[2]));
    }

    /// <summary>The first four arguments.</summary>
    public static (T1, T2, T3, T4) Decode<T1, T2, T3, T4>(ReadOnlySpan<byte> message, CandidDecoderOptions? options = null)
    {
        CandidCodec<T1> c1 = CandidMapping.CodecFor<T1>();
        CandidCodec<T2> c2 = CandidMapping.CodecFor<T2>();
        CandidCodec<T3> c3 = CandidMapping.CodecFor<T3>();
        CandidCodec<T4> c4 = CandidMapping.CodecFor<T4>();
        IReadOnlyList<CandidValue> v = CandidDecoder.DecodeWithMemo(message, Layout<T1, T2, T3, T4>.Value.Types, options, Layout<T1, T2, T3, T4>.Memo);
        return (c1.FromValue(v[0]), c2.FromValue(v[1]), c3.FromValue(v[2]), c4.FromValue(v[3]));
    }

    private static class Layout<T1, T2>
    {
        public static readonly CandidArgumentLayout Value =
            CandidEncoder.Prepare([CandidMapping.CodecFor<T1>().Type, CandidMapping.CodecFor<T2>().Type]);

        public static readonly CandidHeaderMemo Memo = new();
    }

    private static class Layout<T1, T2, T3>
    {
        public static readonly CandidArgumentLayout Value =
            CandidEncoder.Prepare([CandidMapping.CodecFor<T1>().Type, CandidMapping.CodecFor<T2>().Type, CandidMapping.CodecFor<T3>().Type]);

        public static readonly CandidHeaderMemo Memo = new();
    }

    private static class Layout<T1, T2, T3, T4>
    {
        public static readonly CandidArgumentLayout Value = CandidEncoder.Prepare([
            CandidMapping.CodecFor<T1>().Type, CandidMapping.CodecFor<T2>().Type,
            CandidMapping.CodecFor<T3>().Type, CandidMapping.CodecFor<T4>().Type]);

        public static readonly CandidHeaderMemo Memo = new();
    }
}
