namespace InternetIdentity.Protocol.Http;

/// <summary>The reply of <c>http_request</c> and <c>http_request_update</c>.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Headers">The response headers, certification headers included.</param>
/// <param name="Body">The response body (the first chunk when streaming).</param>
/// <param name="Upgrade"><c>opt true</c> asks the gateway to repeat the request as an update call to <c>http_request_update</c>.</param>
/// <param name="StreamingStrategy">The callback that yields the rest of the body, if any.</param>
public sealed record HttpResponse(
    ushort StatusCode,
    IReadOnlyList<HttpHeaderField> Headers,
    ReadOnlyMemory<byte> Body,
    bool? Upgrade = null,
    HttpStreamingStrategy? StreamingStrategy = null)
{
    /// <summary>The value of the last header named <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? HeaderValue(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string? value = null;
        foreach (HttpHeaderField h in Headers)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = h.Value;
            }
        }

        return value;
    }
}
