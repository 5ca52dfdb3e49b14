namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// Why a response failed verification, named as ic-response-verification's <c>ResponseVerificationErrorCode</c> (the
/// codes <c>@dfinity/response-verification</c> throws), in the same order.
/// </summary>
public enum HttpVerificationError
{
    /// <summary>The body could not be decoded per its <c>Content-Encoding</c>.</summary>
    IoError = 0,

    /// <summary>The <c>IC-Certificate</c> header names a version other than 1 or 2.</summary>
    UnsupportedVerificationVersion = 1,

    /// <summary>The response's version is below the minimum the caller asked for.</summary>
    RequestedVerificationVersionMismatch = 2,

    /// <summary>The <c>IC-CertificateExpression</c> header is not a default certification expression.</summary>
    CelError = 3,

    /// <summary>A field of the <c>IC-Certificate</c> header is not base64.</summary>
    Base64DecodingError = 4,

    /// <summary>The <c>version</c> field of the <c>IC-Certificate</c> header is not a number.</summary>
    ParseIntError = 5,

    /// <summary>The tree's root hash is not the canister's certified data.</summary>
    InvalidTreeRootHash = 6,

    /// <summary>The certificate has no <c>/canister/&lt;id&gt;/certified_data</c>.</summary>
    CertificateMissingCertifiedData = 7,

    /// <summary>The expression path does not start with <c>http_expr</c>.</summary>
    UnexpectedExpressionPathPrefix = 8,

    /// <summary>The expression path does not end with <c>&lt;$&gt;</c> or <c>&lt;*&gt;</c>.</summary>
    UnexpectedExpressionPathSuffix = 9,

    /// <summary>The exact expression path is not in the tree.</summary>
    ExactExpressionPathNotFoundInTree = 10,

    /// <summary>The exact expression path is not the request's path.</summary>
    ExactExpressionPathMismatch = 11,

    /// <summary>A wildcard answered although the exact path might be in the tree.</summary>
    ExactExpressionPathMightExistInTree = 12,

    /// <summary>The wildcard expression path is not in the tree.</summary>
    WildcardExpressionPathNotFoundInTree = 13,

    /// <summary>The wildcard expression path does not cover the request's path.</summary>
    WildcardExpressionPathMismatch = 14,

    /// <summary>A more specific wildcard than the one that answered might be in the tree.</summary>
    MoreSpecificWildcardExpressionMightExistInTree = 15,

    /// <summary>The expression's hash is not under the expression path.</summary>
    InvalidExpressionHash = 16,

    /// <summary>The request and response hashes are not under the expression hash.</summary>
    InvalidRequestAndResponseHashes = 17,

    /// <summary>The certification path does not end at an empty leaf.</summary>
    MissingLeafNode = 18,

    /// <summary>v1: the body's hash is not the one certified for the path.</summary>
    InvalidResponseBody = 19,

    /// <summary>The <c>IC-Certificate</c> header has no certificate.</summary>
    HeaderMissingCertificate = 20,

    /// <summary>The <c>IC-Certificate</c> header has no tree.</summary>
    HeaderMissingTree = 21,

    /// <summary>The v2 <c>IC-Certificate</c> header has no <c>expr_path</c>.</summary>
    HeaderMissingCertificateExpression = 22,

    /// <summary>The certificate expression is missing.</summary>
    MissingCertificateExpression = 23,

    /// <summary>No <c>IC-Certificate</c> header (or, for v2, no <c>IC-CertificateExpression</c> header).</summary>
    HeaderMissingCertification = 24,

    /// <summary>The certificate, tree or expression path is not valid CBOR of its kind.</summary>
    CborDecodingFailed = 25,

    /// <summary>The certificate is not valid: signature, delegation, canister ranges or time.</summary>
    CertificateVerificationFailed = 26,

    /// <summary>The request URL is malformed or its path not UTF-8.</summary>
    HttpCertificationError = 27,
}
