namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// Which response headers a certification covers: the listed ones (<c>certified_response_headers</c>) or all but the
/// listed ones (<c>response_header_exclusions</c>). Names compare case-insensitively; <c>IC-CertificateExpression</c>
/// is always certified and <c>IC-Certificate</c> never.
/// </summary>
/// <param name="IsExclusionList">True for <c>response_header_exclusions</c>, false for <c>certified_response_headers</c>.</param>
/// <param name="Headers">The header names as written in the expression.</param>
public sealed record ResponseHeaderCertification(bool IsExclusionList, IReadOnlyList<string> Headers)
{
    /// <summary><c>certified_response_headers</c>: only these headers (and the expression) are certified.</summary>
    public static ResponseHeaderCertification Certified(params string[] headers) => new(false, CertificationExpression.CheckNames(headers, nameof(headers)));

    /// <summary><c>response_header_exclusions</c>: every header but these is certified.</summary>
    public static ResponseHeaderCertification Excluding(params string[] headers) => new(true, CertificationExpression.CheckNames(headers, nameof(headers)));

    /// <summary>Whether a response header of this name is covered (before the rules for the two IC headers).</summary>
    public bool Covers(string headerName)
    {
        bool listed = Headers.Any(h => string.Equals(h, headerName, StringComparison.OrdinalIgnoreCase));
        return IsExclusionList ? !listed : listed;
    }
}
