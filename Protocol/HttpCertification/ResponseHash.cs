using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// The response hash of response verification v2: SHA-256( RIH(the certified headers with lower-cased names, repeated
/// headers all included, <c>IC-CertificateExpression</c> always and <c>IC-Certificate</c> never, plus
/// <c>:ic-cert-status</c> = the status code as a number) || SHA-256(body) ).
/// </summary>
public static class ResponseHash
{
    /// <summary>The pseudo-header holding the status code.</summary>
    public const string StatusPseudoHeader = ":ic-cert-status";

    /// <summary>The response hash of a status, headers and body under an expression that certifies the response.</summary>
    public static byte[] Compute(ushort statusCode, IEnumerable<HttpHeaderField> headers, ReadOnlySpan<byte> body, CertificationExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ResponseHeaderCertification response = expression.Response
            ?? throw new ArgumentException("no_certification certifies no response", nameof(expression));
        return Compute(statusCode, CertifiedHeaders(headers, response), body);
    }

    /// <summary>The response hash of a status, the already filtered certified headers and the body.</summary>
    public static byte[] Compute(ushort statusCode, IEnumerable<HttpHeaderField> certifiedHeaders, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(certifiedHeaders);
        var fields = certifiedHeaders.Select(h => new KeyValuePair<string, byte[]>(h.Name, RepresentationIndependentHash.Text(h.Value))).ToList();
        fields.Add(new(StatusPseudoHeader, RepresentationIndependentHash.Nat(statusCode)));
        return RequestHash.Combine(RepresentationIndependentHash.Map(fields), body);
    }

    /// <summary>
    /// The headers a response certification covers, in order, with lower-cased names: the covered ones and
    /// <c>IC-CertificateExpression</c>, never <c>IC-Certificate</c>.
    /// </summary>
    public static IReadOnlyList<HttpHeaderField> CertifiedHeaders(IEnumerable<HttpHeaderField> headers, ResponseHeaderCertification certification)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(certification);
        var result = new List<HttpHeaderField>();
        foreach (HttpHeaderField h in headers)
        {
            if (string.Equals(h.Name, IcCertificateHeader.Name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (string.Equals(h.Name, CertificationExpression.HeaderName, StringComparison.OrdinalIgnoreCase) || certification.Covers(h.Name))
            {
                result.Add(new HttpHeaderField(AsciiLower(h.Name), h.Value));
            }
        }

        return result;
    }

    /// <summary>ASCII lower case, as header names are compared and hashed.</summary>
    internal static string AsciiLower(string name) => string.Create(name.Length, name, (span, n) =>
    {
        for (int i = 0; i < span.Length; i++)
        {
            char c = n[i];
            span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }
    });
}
