using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Principals;
using Microsoft.AspNetCore.Http;

namespace InternetIdentity.PocketIc;

/// <summary>
/// PocketIC's JSON conventions, read and written: bytes (principals as raw bytes, payloads, message ids) as standard
/// base64 strings, u64 and u128 as plain JSON numbers. A body that is not JSON is refused with 400 and one of the wrong
/// shape with 422, in the plain-text words of the real server's JSON extractor (axum).
/// </summary>
public static class PocketIcJson
{
    /// <summary>Reads a request's JSON body (an empty body reads as an empty object); throws <see cref="PocketIcException"/>.</summary>
    public static async Task<JsonElement> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new PocketIcException(415, "Expected request with `Content-Type: application/json`", plainText: true);
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        return Parse(body.ToArray());
    }

    /// <summary>Parses JSON bytes; throws <see cref="PocketIcException"/> (400, axum's text) when they are not JSON.</summary>
    public static JsonElement Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            throw new PocketIcException(400, "Failed to parse the request body as JSON: EOF while parsing a value at line 1 column 0", plainText: true);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(utf8.ToArray());
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new PocketIcException(400, "Failed to parse the request body as JSON: " + e.Message, plainText: true);
        }
    }

    /// <summary>The object <paramref name="json"/> must be; 422 otherwise.</summary>
    public static JsonElement Object(JsonElement json, string what)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw PocketIcException.WrongShape($"invalid type: {Kind(json)}, expected {what} (a JSON object)");
        }

        return json;
    }

    /// <summary>A required field; 422 naming it when missing.</summary>
    public static JsonElement Field(JsonElement json, string name)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out JsonElement value))
        {
            throw PocketIcException.WrongShape($"missing field `{name}`");
        }

        return value;
    }

    /// <summary>An optional field: null when missing or JSON null.</summary>
    public static JsonElement? OptionalField(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A base64 field's bytes; 422 naming the field when it is not a base64 string.</summary>
    public static byte[] Bytes(JsonElement json, string name)
    {
        JsonElement value = Field(json, name);
        if (value.ValueKind != JsonValueKind.String)
        {
            throw PocketIcException.WrongShape($"{name}: invalid type: {Kind(value)}, expected a base64 string");
        }

        try
        {
            return Convert.FromBase64String(value.GetString()!);
        }
        catch (FormatException)
        {
            throw PocketIcException.WrongShape($"{name}: invalid base64 '{Shorten(value.GetString()!)}'");
        }
    }

    /// <summary>A principal given as base64 of its raw bytes; 422 when it is not one.</summary>
    public static Principal Principal(JsonElement json, string name)
    {
        byte[] bytes = Bytes(json, name);
        return Protocol.Principals.Principal.TryFromBytes(bytes, out Principal principal)
            ? principal
            : throw PocketIcException.WrongShape($"{name}: a principal has at most {Protocol.Principals.Principal.MaxLength} bytes, not {bytes.Length}");
    }

    /// <summary>A string field; 422 when missing or not a string.</summary>
    public static string String(JsonElement json, string name)
    {
        JsonElement value = Field(json, name);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw PocketIcException.WrongShape($"{name}: invalid type: {Kind(value)}, expected a string");
    }

    /// <summary>A u64 given as a plain JSON number; 422 when it is not one.</summary>
    public static ulong UInt64(JsonElement json, string name)
    {
        JsonElement value = Field(json, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out ulong n)
            ? n
            : throw PocketIcException.WrongShape($"{name}: invalid value: {Shorten(value.GetRawText())}, expected u64");
    }

    /// <summary>A u128 given as a plain JSON number; 422 when it is not one.</summary>
    public static UInt128 UInt128(JsonElement json, string name)
    {
        JsonElement value = Field(json, name);
        return value.ValueKind == JsonValueKind.Number && System.UInt128.TryParse(value.GetRawText(), NumberStyles.None, CultureInfo.InvariantCulture, out UInt128 n)
            ? n
            : throw PocketIcException.WrongShape($"{name}: invalid value: {Shorten(value.GetRawText())}, expected u128");
    }

    /// <summary>Base64 of bytes, as PocketIC writes them.</summary>
    public static string Base64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);

    /// <summary>A u64 or u128 as a plain JSON number (never a string, never a double).</summary>
    public static JsonNode Number(UInt128 value) => JsonNode.Parse(value.ToString(CultureInfo.InvariantCulture))!;

    // Base64's '+' and '/' as themselves, as serde writes them (the default encoder escapes '+' as \u002B).
    private static readonly JsonSerializerOptions s_write = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON answer with a status code.</summary>
    public static IResult Result(JsonNode? body, int status = 200) =>
        Results.Text(ToJson(body), "application/json", System.Text.Encoding.UTF8, status);

    /// <summary>JSON text as the server writes it (<c>null</c> for null).</summary>
    public static string ToJson(JsonNode? body) => body is null ? "null" : body.ToJsonString(s_write);

    /// <summary>200 with <c>null</c>: what the real server returns for operations without output (Rust's <c>()</c>).</summary>
    public static IResult Unit() => Result(null);

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "map",
        JsonValueKind.Array => "sequence",
        JsonValueKind.String => $"string \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"boolean `{value.GetRawText()}`",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
