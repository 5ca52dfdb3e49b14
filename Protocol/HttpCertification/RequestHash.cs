using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// The request hash of response verification v2: SHA-256( RIH(the certified request headers with lower-cased names,
/// <c>:ic-cert-method</c>, and <c>:ic-cert-query</c> = the certified query parameters as sent) || SHA-256(body) ).
/// </summary>
public static class RequestHash
{
    /// <summary>The pseudo-header holding the method.</summary>
    public const string MethodPseudoHeader = ":ic-cert-method";

    /// <summary>The pseudo-header holding the certified part of the query string.</summary>
    public const string QueryPseudoHeader = ":ic-cert-query";

    /// <summary>
    /// The request hash under an expression that certifies the request; false with a reason when the URL is malformed.
    /// Throws <see cref="ArgumentException"/> for an expression without request certification.
    /// </summary>
    public static bool TryCompute(HttpRequest request, CertificationExpression expression, out byte[] hash, out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(expression);
        if (!expression.CertifiesRequest)
        {
            throw new ArgumentException("the expression does not certify the request", nameof(expression));
        }

        hash = [];
        if (!HttpRequestUrl.TryGetQuery(request.Url, out string? query, out error))
        {
            return false;
        }

        var fields = new List<KeyValuePair<string, byte[]>>();
        foreach (HttpHeaderField h in request.Headers)
        {
            if (expression.CertifiedRequestHeaders!.Any(c => string.Equals(c, h.Name, StringComparison.OrdinalIgnoreCase)))
            {
                fields.Add(new(ResponseHash.AsciiLower(h.Name), RepresentationIndependentHash.Text(h.Value)));
            }
        }

        fields.Add(new(MethodPseudoHeader, RepresentationIndependentHash.Text(request.Method)));
        if (query is not null && FilterQuery(query, expression.CertifiedQueryParameters!) is { } certifiedQuery)
        {
            fields.Add(new(QueryPseudoHeader, RepresentationIndependentHash.Text(certifiedQuery)));
        }

        hash = Combine(RepresentationIndependentHash.Map(fields), request.Body.Span);
        return true;
    }

    /// <summary>SHA-256(headersHash || SHA-256(body)), the last step of both request and response hashes.</summary>
    internal static byte[] Combine(ReadOnlySpan<byte> headersHash, ReadOnlySpan<byte> body)
    {
        Span<byte> both = stackalloc byte[64];
        headersHash.CopyTo(both);
        Sha256.HashData(body, both[32..]);
        return Sha256.HashData(both);
    }

    // The '&'-separated fragments whose name (before the first '=') is certified, joined again; null when none is.
    private static string? FilterQuery(string query, IReadOnlyList<string> parameters)
    {
        string[] kept = [.. query.Split('&').Where(fragment =>
            parameters.Any(p => string.Equals(p, fragment.Split('=')[0], StringComparison.OrdinalIgnoreCase)))];
        return kept.Length == 0 ? null : string.Join('&', kept);
    }
}
