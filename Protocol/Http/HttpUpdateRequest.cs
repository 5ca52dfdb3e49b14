namespace InternetIdentity.Protocol.Http;

/// <summary>The argument of <c>http_request_update</c>: an <see cref="HttpRequest"/> without the certificate version.</summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Url">The request target: path and query.</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Body">The request body.</param>
public sealed record HttpUpdateRequest(string Method, string Url, IReadOnlyList<HttpHeaderField> Headers, ReadOnlyMemory<byte> Body);
