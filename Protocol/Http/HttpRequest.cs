namespace InternetIdentity.Protocol.Http;

/// <summary>
/// The argument of a canister's <c>http_request</c> query: the request line's method and URL (path and query, no
/// scheme or host), the headers, the body, and the highest response-verification version the gateway understands.
/// </summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Url">The request target: path and query, e.g. <c>/index.html?x=1</c>.</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Body">The request body, without transfer decoding.</param>
/// <param name="CertificateVersion">The verification version the gateway asks for (2 today); null for legacy gateways (1).</param>
public sealed record HttpRequest(string Method, string Url, IReadOnlyList<HttpHeaderField> Headers, ReadOnlyMemory<byte> Body, ushort? CertificateVersion = null)
{
    /// <summary>A GET of <paramref name="url"/> without headers or body.</summary>
    public static HttpRequest Get(string url, ushort? certificateVersion = null) => new("GET", url, [], ReadOnlyMemory<byte>.Empty, certificateVersion);

    /// <summary>The same request as <c>http_request_update</c> takes it (no certificate version).</summary>
    public HttpUpdateRequest ToUpdateRequest() => new(Method, Url, Headers, Body);
}
