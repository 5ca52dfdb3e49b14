using System.Globalization;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using T = InternetIdentity.Protocol.Candid.CandidType;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.Protocol.Http;

/// <summary>
/// The canister HTTP interface of the HTTP gateway protocol (<c>http_request</c>, <c>http_request_update</c>,
/// streaming callbacks): its Candid types, as <c>internet_identity.did</c> and the gateway's <c>.did</c> write them, and
/// the encoding of requests and responses. Decoding is as tolerant as a gateway must be: missing <c>opt</c> fields read
/// as null, and the streaming token keeps whatever type the canister declared. Malformed bytes throw
/// <see cref="CandidFormatException"/>.
/// </summary>
public static class CanisterHttpInterface
{
    /// <summary><c>record { text; text }</c></summary>
    public static T HeaderFieldType { get; } = T.Tuple(T.Text, T.Text);

    /// <summary><c>record { method: text; url: text; headers: vec HeaderField; body: blob; certificate_version: opt nat16 }</c></summary>
    public static T HttpRequestType { get; } = T.Record(
        ("method", T.Text), ("url", T.Text), ("headers", T.Vec(HeaderFieldType)), ("body", T.Blob), ("certificate_version", T.Opt(T.Nat16)));

    /// <summary><c>record { method: text; url: text; headers: vec HeaderField; body: blob }</c></summary>
    public static T HttpUpdateRequestType { get; } = T.Record(
        ("method", T.Text), ("url", T.Text), ("headers", T.Vec(HeaderFieldType)), ("body", T.Blob));

    /// <summary>II's streaming token type, <c>record {}</c>.</summary>
    public static T DefaultTokenType { get; } = T.Record();

    /// <summary>The <c>HttpResponse</c> type with II's token type <c>record {}</c>.</summary>
    public static T HttpResponseType { get; } = HttpResponseTypeWith(DefaultTokenType);

    /// <summary>The result of <c>http_request</c>: <c>(HttpResponse)</c> with II's token type.</summary>
    public static IReadOnlyList<T> HttpRequestResultTypes { get; } = [HttpResponseType];

    // For decoding: the strategy is read at its wire type afterwards, so that any declared token type is kept.
    private static readonly T s_responseForDecoding = T.Record(
        ("status_code", T.Nat16), ("headers", T.Vec(HeaderFieldType)), ("body", T.Blob), ("upgrade", T.Opt(T.Bool)),
        ("streaming_strategy", T.Opt(T.Reserved)));

    /// <summary><c>record { body: blob; token: opt Token }</c> for a token type.</summary>
    public static T StreamingCallbackHttpResponseType(T tokenType) => T.Record(("body", T.Blob), ("token", T.Opt(tokenType)));

    /// <summary><c>variant { Callback: record { callback: func (Token) -> (StreamingCallbackHttpResponse) query; token: Token } }</c></summary>
    public static T StreamingStrategyType(T tokenType) => T.Variant(("Callback", T.Record(
        ("callback", new CandidFuncType([tokenType], [StreamingCallbackHttpResponseType(tokenType)], CandidFuncModes.Query)),
        ("token", tokenType))));

    /// <summary>The <c>HttpResponse</c> record for a token type.</summary>
    public static T HttpResponseTypeWith(T tokenType) => T.Record(
        ("status_code", T.Nat16), ("headers", T.Vec(HeaderFieldType)), ("body", T.Blob), ("upgrade", T.Opt(T.Bool)),
        ("streaming_strategy", T.Opt(StreamingStrategyType(tokenType))));

    /// <summary>The request as a Candid value of <see cref="HttpRequestType"/>.</summary>
    public static V ToCandid(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return V.Record(
            ("method", V.Text(request.Method)), ("url", V.Text(request.Url)), ("headers", Headers(request.Headers)), ("body", V.Blob(request.Body.Span)),
            ("certificate_version", request.CertificateVersion is { } version ? V.Some(V.Nat16(version)) : V.None));
    }

    /// <summary>The update request as a Candid value of <see cref="HttpUpdateRequestType"/>.</summary>
    public static V ToCandid(HttpUpdateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return V.Record(("method", V.Text(request.Method)), ("url", V.Text(request.Url)), ("headers", Headers(request.Headers)), ("body", V.Blob(request.Body.Span)));
    }

    /// <summary>The response as a Candid value of <see cref="ResponseType"/>.</summary>
    public static V ToCandid(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        V strategy = response.StreamingStrategy is { } s
            ? V.Some(V.Variant("Callback", V.Record(
                ("callback", new CandidFuncValue(CandidPrincipal.FromPrincipal(s.CallbackCanister), s.CallbackMethod)), ("token", s.Token))))
            : V.None;
        return V.Record(
            ("status_code", V.Nat16(response.StatusCode)), ("headers", Headers(response.Headers)), ("body", V.Blob(response.Body.Span)),
            ("upgrade", response.Upgrade is { } upgrade ? V.Some(V.Bool(upgrade)) : V.None), ("streaming_strategy", strategy));
    }

    /// <summary>The Candid type a response is encoded at: <see cref="HttpResponseType"/> with its streaming token's type.</summary>
    public static T ResponseType(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.StreamingStrategy is { } s ? HttpResponseTypeWith(s.TokenType) : HttpResponseType;
    }

    /// <summary>The argument of <c>http_request</c>: <c>(HttpRequest)</c>.</summary>
    public static byte[] EncodeRequest(HttpRequest request) => CandidEncoder.Encode(HttpRequestType, ToCandid(request));

    /// <summary>The argument of <c>http_request_update</c>: <c>(HttpUpdateRequest)</c>.</summary>
    public static byte[] EncodeUpdateRequest(HttpUpdateRequest request) => CandidEncoder.Encode(HttpUpdateRequestType, ToCandid(request));

    /// <summary>The reply of <c>http_request</c> / <c>http_request_update</c>: <c>(HttpResponse)</c>.</summary>
    public static byte[] EncodeResponse(HttpResponse response) => CandidEncoder.Encode(ResponseType(response), ToCandid(response));

    /// <summary>Decodes the argument of <c>http_request</c> (a missing <c>certificate_version</c> reads as null).</summary>
    public static HttpRequest DecodeRequest(ReadOnlySpan<byte> candid) => RequestFromCandid(CandidDecoder.Decode(candid, [HttpRequestType])[0]);

    /// <summary>Decodes the argument of <c>http_request_update</c>.</summary>
    public static HttpUpdateRequest DecodeUpdateRequest(ReadOnlySpan<byte> candid) =>
        UpdateRequestFromCandid(CandidDecoder.Decode(candid, [HttpUpdateRequestType])[0]);

    /// <summary>An <see cref="HttpRequest"/> from a decoded value of <see cref="HttpRequestType"/>.</summary>
    public static HttpRequest RequestFromCandid(V value)
    {
        CandidRecord r = Record(value, "HttpRequest");
        ushort? version = r.Get(CandidLabel.Hash("certificate_version")) is CandidOpt { Value: CandidFixedNat v } ? (ushort)v.Value : null;
        return new HttpRequest(Text(r, "method"), Text(r, "url"), ReadHeaders(r), Blob(r, "body"), version);
    }

    /// <summary>An <see cref="HttpUpdateRequest"/> from a decoded value of <see cref="HttpUpdateRequestType"/>.</summary>
    public static HttpUpdateRequest UpdateRequestFromCandid(V value)
    {
        CandidRecord r = Record(value, "HttpUpdateRequest");
        return new HttpUpdateRequest(Text(r, "method"), Text(r, "url"), ReadHeaders(r), Blob(r, "body"));
    }

    /// <summary>
    /// Decodes the reply of <c>http_request</c> / <c>http_request_update</c>; missing <c>upgrade</c> and
    /// <c>streaming_strategy</c> read as null, and a streaming token keeps the type the canister declared.
    /// </summary>
    public static HttpResponse DecodeResponse(ReadOnlySpan<byte> candid)
    {
        CandidRecord r = Record(CandidDecoder.Decode(candid, [s_responseForDecoding])[0], "HttpResponse");
        ushort status = r.Get(CandidLabel.Hash("status_code")) is CandidFixedNat s ? (ushort)s.Value : throw new CandidFormatException("HttpResponse has no status_code");
        bool? upgrade = r.Get(CandidLabel.Hash("upgrade")) is CandidOpt { Value: CandidBool b } ? b.Value : null;
        HttpStreamingStrategy? strategy = null;
        if (r.Get(CandidLabel.Hash("streaming_strategy")) is CandidOpt { HasValue: true })
        {
            strategy = ReadStreamingStrategy(CandidDecoder.DecodeUntyped(candid));
        }

        return new HttpResponse(status, ReadHeaders(r), Blob(r, "body"), upgrade, strategy);
    }

    /// <summary>The argument of a streaming callback: the token at the type the canister declared.</summary>
    public static byte[] EncodeStreamingCallbackArgument(HttpStreamingStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return CandidEncoder.Encode(strategy.TokenType, strategy.Token);
    }

    /// <summary>The argument of a streaming callback for a later token of the same type.</summary>
    public static byte[] EncodeStreamingCallbackArgument(T tokenType, V token) => CandidEncoder.Encode(tokenType, token);

    /// <summary>
    /// Decodes a streaming callback's reply, <c>(StreamingCallbackHttpResponse)</c> or the gateway .did's
    /// <c>(opt StreamingCallbackHttpResponse)</c>; null for <c>null</c> (no more chunks).
    /// </summary>
    public static StreamingCallbackHttpResponse? DecodeStreamingCallbackResponse(ReadOnlySpan<byte> candid, T tokenType)
    {
        ArgumentNullException.ThrowIfNull(tokenType);
        // At `opt record`, a plain record reads as `opt record` too, so both declarations decode.
        V value = CandidDecoder.Decode(candid, [T.Opt(StreamingCallbackHttpResponseType(tokenType))])[0];
        if (value is not CandidOpt { Value: { } inner })
        {
            return null;
        }

        CandidRecord r = Record(inner, "StreamingCallbackHttpResponse");
        V? token = r.Get(CandidLabel.Hash("token")) is CandidOpt { Value: { } t } ? t : null;
        return new StreamingCallbackHttpResponse(Blob(r, "body"), token);
    }

    /// <summary>Encodes a streaming callback's reply (what a canister returns), <c>(StreamingCallbackHttpResponse)</c>.</summary>
    public static byte[] EncodeStreamingCallbackResponse(StreamingCallbackHttpResponse response, T tokenType)
    {
        ArgumentNullException.ThrowIfNull(response);
        return CandidEncoder.Encode(StreamingCallbackHttpResponseType(tokenType), V.Record(
            ("body", V.Blob(response.Body.Span)), ("token", response.Token is { } t ? V.Some(t) : V.None)));
    }

    private static HttpStreamingStrategy ReadStreamingStrategy(CandidMessage message)
    {
        if (message.Types.Count == 0 || message.Types[0].Resolve() is not CandidRecordType responseType
            || message.Values[0] is not CandidRecord response)
        {
            throw new CandidFormatException("HttpResponse is not a record");
        }

        int field = responseType.IndexOf("streaming_strategy");
        if (field < 0 || responseType.Fields[field].Type.Resolve() is not CandidOptType { Inner: var inner }
            || inner.Resolve() is not CandidVariantType variantType
            || response.Get(CandidLabel.Hash("streaming_strategy")) is not CandidOpt { Value: CandidVariant variant })
        {
            throw new CandidFormatException("streaming_strategy is not an opt variant");
        }

        int callbackCase = variantType.IndexOf("Callback");
        if (callbackCase < 0 || variant.Label.Id != CandidLabel.Hash("Callback"))
        {
            throw new CandidFormatException("streaming_strategy has no Callback case");
        }

        if (variantType.Fields[callbackCase].Type.Resolve() is not CandidRecordType callbackType || variant.Value is not CandidRecord callback)
        {
            throw new CandidFormatException("the Callback case is not a record");
        }

        int tokenField = callbackType.IndexOf("token");
        if (tokenField < 0 || callback.Get(CandidLabel.Hash("callback")) is not CandidFuncValue func
            || callback.Get(CandidLabel.Hash("token")) is not { } token)
        {
            throw new CandidFormatException("the Callback record needs callback: func and token");
        }

        if (!Principal.TryFromBytes(func.Service.Span, out Principal service))
        {
            throw new CandidFormatException("the streaming callback's service is not a principal");
        }

        return new HttpStreamingStrategy(service, func.Method, callbackType.Fields[tokenField].Type, token);
    }

    private static V Headers(IReadOnlyList<HttpHeaderField> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var values = new V[headers.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = V.Tuple(V.Text(headers[i].Name), V.Text(headers[i].Value));
        }

        return new CandidVec(values);
    }

    private static HttpHeaderField[] ReadHeaders(CandidRecord r)
    {
        if (r.Get(CandidLabel.Hash("headers")) is not CandidVec vec)
        {
            throw new CandidFormatException("headers is not a vector");
        }

        var headers = new HttpHeaderField[vec.Elements.Count];
        for (int i = 0; i < headers.Length; i++)
        {
            if (vec.Elements[i] is not CandidRecord { Fields: [{ Value: CandidText name }, { Value: CandidText value }] })
            {
                throw new CandidFormatException(string.Create(CultureInfo.InvariantCulture, $"header {i} is not record {{ text; text }}"));
            }

            headers[i] = new HttpHeaderField(name.Value, value.Value);
        }

        return headers;
    }

    private static CandidRecord Record(V value, string what) =>
        value as CandidRecord ?? throw new CandidFormatException($"{what} is not a record");

    private static string Text(CandidRecord r, string field) =>
        r.Get(CandidLabel.Hash(field)) is CandidText t ? t.Value : throw new CandidFormatException($"{field} is not text");

    private static ReadOnlyMemory<byte> Blob(CandidRecord r, string field) =>
        r.Get(CandidLabel.Hash(field)) is CandidBlob b ? b.Bytes : throw new CandidFormatException($"{field} is not a blob");
}
