using InternetIdentity.Protocol.Http;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// The outcome of verifying a canister's HTTP response: valid with the verification version and what was certified,
/// or invalid with the error kind and a reason.
/// </summary>
public sealed class HttpVerificationResult
{
    private HttpVerificationResult(
        bool isValid, int version, bool isCertified, ushort? statusCode, IReadOnlyList<HttpHeaderField> headers, ReadOnlyMemory<byte> body,
        HttpVerificationError? error, string? reason)
    {
        IsValid = isValid;
        VerificationVersion = version;
        IsCertified = isCertified;
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
        Error = error;
        Reason = reason;
    }

    /// <summary>Whether the response verified.</summary>
    public bool IsValid { get; }

    /// <summary>The verification version used (1 or 2); 0 when invalid.</summary>
    public int VerificationVersion { get; }

    /// <summary>
    /// False for a valid v2 response whose certified expression is <c>no_certification</c>: the canister certified that
    /// this path is served without certification (then <see cref="Headers"/> is empty and the response is passed on as is).
    /// </summary>
    public bool IsCertified { get; }

    /// <summary>The certified status code (v2); null for v1, which does not certify it.</summary>
    public ushort? StatusCode { get; }

    /// <summary>
    /// v2: the certified headers (lower-cased names, as hashed) followed by <c>IC-Certificate</c>, the headers a gateway
    /// passes on; empty for v1, which certifies no header.
    /// </summary>
    public IReadOnlyList<HttpHeaderField> Headers { get; }

    /// <summary>The verified body (empty when invalid or not certified).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The error kind when invalid.</summary>
    public HttpVerificationError? Error { get; }

    /// <summary>Why verification failed, in ic-response-verification's words; null when valid.</summary>
    public string? Reason { get; }

    /// <summary>A v2 response certified with <c>no_certification</c>.</summary>
    public static HttpVerificationResult NotCertified() => new(true, 2, false, null, [], ReadOnlyMemory<byte>.Empty, null, null);

    /// <summary>A verified response.</summary>
    public static HttpVerificationResult Certified(int version, ushort? statusCode, IReadOnlyList<HttpHeaderField> headers, ReadOnlyMemory<byte> body) =>
        new(true, version, true, statusCode, headers ?? throw new ArgumentNullException(nameof(headers)), body, null, null);

    /// <summary>A failed verification.</summary>
    public static HttpVerificationResult Invalid(HttpVerificationError error, string reason) =>
        new(false, 0, false, null, [], ReadOnlyMemory<byte>.Empty, error, reason ?? throw new ArgumentNullException(nameof(reason)));

    /// <summary>
    /// The headers a gateway returns to the client for <paramref name="response"/> after this verification: v2 certified,
    /// the certified ones and <c>IC-Certificate</c>; v2 <c>no_certification</c>, all; v1, all but <c>Cache-Control</c>
    /// (v1 does not certify headers, so a cache lifetime must not be trusted). Throws when the verification failed.
    /// </summary>
    public IReadOnlyList<HttpHeaderField> HeadersToPassOn(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!IsValid)
        {
            throw new InvalidOperationException("the response did not verify: " + Reason);
        }

        return VerificationVersion == 1
            ? [.. response.Headers.Where(h => !string.Equals(h.Name, "Cache-Control", StringComparison.OrdinalIgnoreCase))]
            : IsCertified ? Headers : response.Headers;
    }

    /// <summary><c>valid (vN)</c>, <c>valid (not certified)</c> or <c>invalid: Error: reason</c>.</summary>
    public override string ToString() =>
        IsValid ? IsCertified ? $"valid (v{VerificationVersion})" : "valid (not certified)" : $"invalid: {Error}: {Reason}";
}
