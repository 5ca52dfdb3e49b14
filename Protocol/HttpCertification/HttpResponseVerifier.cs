using System.Text;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// Response verification as an HTTP gateway (boundary node, service worker) does it, following ic-response-verification
/// step by step: the <c>IC-Certificate</c> header's certificate must be signed by the root key (or a subnet it
/// delegated to for this canister) and recent, its <c>certified_data</c> for the canister must be the root of the
/// header's tree; v2 then checks the expression path, the expression hash and the request and response hashes, v1
/// the SHA-256 of the (decoded) body under <c>http_assets</c>. Anything a canister sends, however malformed, gives a
/// result value, never an exception.
/// </summary>
public static class HttpResponseVerifier
{
    /// <summary>The lowest verification version.</summary>
    public const int MinVerificationVersion = 1;

    /// <summary>The highest verification version (what a gateway asks for in <c>certificate_version</c>).</summary>
    public const int MaxVerificationVersion = 2;

    /// <summary>The clock skew boundary nodes allow between a certificate's time and theirs: 5 minutes.</summary>
    public const ulong DefaultMaxCertificateTimeOffsetNanos = 300UL * 1_000_000_000;

    /// <summary>The label of the v1 tree.</summary>
    public const string AssetsV1Label = "http_assets";

    /// <summary>Verifies a canister's response to a request; the root key must be a BLS key (133-byte DER or 96 raw bytes).</summary>
    /// <exception cref="ArgumentException">the root key is not a BLS key.</exception>
    public static HttpVerificationResult Verify(
        HttpRequest request,
        HttpResponse response,
        Principal canisterId,
        ulong nowNanos,
        ulong maxCertificateTimeOffsetNanos,
        ReadOnlySpan<byte> rootKeyDer,
        ushort minRequestedVerificationVersion)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(canisterId);
        if (!CertificateVerifier.TryRawBlsKey(rootKeyDer, out _))
        {
            throw new ArgumentException("the root key must be a 133-byte DER or 96-byte raw BLS12-381 key", nameof(rootKeyDer));
        }

        var context = new Context(request, response, canisterId, nowNanos, maxCertificateTimeOffsetNanos, rootKeyDer.ToArray());
        string? certificateHeader = response.HeaderValue(IcCertificateHeader.Name);
        if (certificateHeader is null)
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.HeaderMissingCertification,
                "Certification values not found: the response has no IC-Certificate header");
        }

        (IcCertificateHeader? header, HttpVerificationError parseError, string? parseReason) = IcCertificateHeader.Parse(certificateHeader);
        if (header is null)
        {
            return HttpVerificationResult.Invalid(parseError, parseReason!);
        }

        if (header.Version < minRequestedVerificationVersion)
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.RequestedVerificationVersionMismatch,
                $"The requested verification version {header.Version} is lower than the minimum requested version {minRequestedVerificationVersion}");
        }

        switch (header.Version)
        {
            case 1:
                return VerifyV1(context, header);
            case 2:
                string? expressionHeader = response.HeaderValue(CertificationExpression.HeaderName);
                if (expressionHeader is null)
                {
                    return HttpVerificationResult.Invalid(HttpVerificationError.HeaderMissingCertification,
                        "Certification values not found: a version 2 response has no IC-CertificateExpression header");
                }

                if (header.ExprPath is null)
                {
                    return HttpVerificationResult.Invalid(HttpVerificationError.HeaderMissingCertificateExpression,
                        "Certificate expression path not found: a version 2 IC-Certificate header has no expr_path");
                }

                if (!CertificationExpression.TryParse(expressionHeader, out CertificationExpression? expression, out string? celError))
                {
                    return HttpVerificationResult.Invalid(HttpVerificationError.CelError, "Cel parser error: " + celError);
                }

                return VerifyV2(context, header, expression!);
            default:
                return HttpVerificationResult.Invalid(HttpVerificationError.UnsupportedVerificationVersion,
                    $"The requested verification version {header.Version} is not supported, the current supported range is {MinVerificationVersion}-{MaxVerificationVersion}");
        }
    }

    private sealed record Context(HttpRequest Request, HttpResponse Response, Principal CanisterId, ulong NowNanos, ulong MaxOffsetNanos, byte[] RootKey);

    private static HttpVerificationResult VerifyV1(Context c, IcCertificateHeader header)
    {
        if (VerifyCertificate(c, header.Certificate) is { } certificateFailure)
        {
            return certificateFailure;
        }

        if (!HttpRequestUrl.TryGetPath(c.Request.Url, out string path, out string? urlError))
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.HttpCertificationError, "HTTP Certification error: " + urlError);
        }

        string? encoding = c.Response.HeaderValue("Content-Encoding");
        if (!ContentDecoding.TryDecode(c.Response.Body, encoding, out byte[] decoded, out string? decodeError))
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.IoError, decodeError!);
        }

        if (ValidateTree(c, header) is { } treeFailure)
        {
            return treeFailure;
        }

        bool valid = BodyMatches(header.Tree, path, Sha256.HashData(decoded));
        if (!valid && encoding is not null)
        {
            // The canister may have certified the encoded bytes (II hashes its .gz assets as stored).
            valid = BodyMatches(header.Tree, path, Sha256.HashData(c.Response.Body.Span));
        }

        return valid
            ? HttpVerificationResult.Certified(1, null, [], c.Response.Body)
            : HttpVerificationResult.Invalid(HttpVerificationError.InvalidResponseBody,
                $"Invalid response body: its SHA-256 is not the one certified under http_assets for \"{path}\" (or \"/index.html\")");
    }

    // The hash under ["http_assets", path], or under ["http_assets", "/index.html"] when the path is not found.
    private static bool BodyMatches(HashTree tree, string path, byte[] bodyHash)
    {
        LookupResult found = tree.LookupPath(AssetsV1Label, path);
        if (!found.IsFound)
        {
            found = tree.LookupPath(AssetsV1Label, "/index.html");
        }

        return found.IsFound && found.Value.Span.SequenceEqual(bodyHash);
    }

    private static HttpVerificationResult VerifyV2(Context c, IcCertificateHeader header, CertificationExpression expression)
    {
        if (!HttpRequestUrl.TryGetPath(c.Request.Url, out string path, out string? urlError))
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.HttpCertificationError, "HTTP Certification error: " + urlError);
        }

        if (VerifyCertificate(c, header.Certificate) is { } certificateFailure)
        {
            return certificateFailure;
        }

        if (ValidateTree(c, header) is { } treeFailure)
        {
            return treeFailure;
        }

        IReadOnlyList<string> exprPath = header.ExprPath!;
        if (ValidateExprPath(exprPath, path, header.Tree) is { } pathFailure)
        {
            return pathFailure;
        }

        Label[] exprLabels = ExpressionPath.Labels(exprPath);
        SubtreeLookupResult exprTree = header.Tree.LookupSubtree([.. exprLabels, new Label(expression.Hash)]);
        if (exprTree.Status != LookupStatus.Found)
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.InvalidExpressionHash,
                $"The hash of the CEL expression provided by the \"IC-Certificate-Expression\" response header does not exist at the path provided by the \"IC-Certificate\" response header ({Show(exprPath)})");
        }

        if (expression.IsNoCertification)
        {
            return HttpVerificationResult.NotCertified();
        }

        byte[] requestHash = [];
        if (expression.CertifiesRequest && !RequestHash.TryCompute(c.Request, expression, out requestHash, out string? requestError))
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.HttpCertificationError, "HTTP Certification error: " + requestError);
        }

        IReadOnlyList<HttpHeaderField> certified = ResponseHash.CertifiedHeaders(c.Response.Headers, expression.Response!);
        byte[] responseHash = ResponseHash.Compute(c.Response.StatusCode, certified, c.Response.Body.Span);
        SubtreeLookupResult leaf = exprTree.Tree!.LookupSubtree(new Label(requestHash), new Label(responseHash));
        if (leaf.Status != LookupStatus.Found)
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.InvalidRequestAndResponseHashes,
                $"The hash of the request and response was not found in the tree at the expression path provided by the \"IC-Certificate\" response header ({Show(exprPath)})");
        }

        if (leaf.Tree!.Kind != HashTreeKind.Leaf || leaf.Tree.Bytes.Length != 0)
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.MissingLeafNode,
                $"The required empty leaf node was not found in the tree at the expression path provided by the \"IC-Certificate\" response header ({Show(exprPath)})");
        }

        // The certificate header the verifier read is the last one; it is passed on with the certified headers.
        List<HttpHeaderField> headers = [.. certified, new HttpHeaderField(IcCertificateHeader.Name, c.Response.HeaderValue(IcCertificateHeader.Name)!)];
        return HttpVerificationResult.Certified(2, c.Response.StatusCode, headers, c.Response.Body);
    }

    // validate_expr_path: the expression path must be the most specific one the tree could hold for the request.
    private static HttpVerificationResult? ValidateExprPath(IReadOnlyList<string> exprPath, string requestPath, HashTree tree)
    {
        if (exprPath.Count == 0 || exprPath[0] != ExpressionPath.Prefix)
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.UnexpectedExpressionPathPrefix,
                $"The expression path provided by the \"IC-Certificate\" response header ({Show(exprPath)}) has an unexpected prefix and should start with \"http_expr\"");
        }

        if (exprPath[^1] != ExpressionPath.ExactTerminator && exprPath[^1] != ExpressionPath.WildcardTerminator)
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.UnexpectedExpressionPathSuffix,
                $"The expression path provided by the \"IC-Certificate\" response header ({Show(exprPath)}) has an unexpected suffix and should end with \"<$>\" or \"<*>\"");
        }

        IReadOnlyList<string> exact = ExpressionPath.Exact(requestPath);
        if (exprPath.SequenceEqual(exact, StringComparer.Ordinal))
        {
            return Exists(tree, exprPath) ? null : HttpVerificationResult.Invalid(HttpVerificationError.ExactExpressionPathNotFoundInTree,
                $"The exact expression path provided by the \"IC-Certificate\" response header ({Show(exprPath)}) was not found in the tree");
        }

        if (exprPath[^1] == ExpressionPath.ExactTerminator)
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.ExactExpressionPathMismatch,
                $"The exact expression path provided by the \"IC-Certificate\" response header ({Show(exprPath)}) is not valid for the request path ({Show(exact)})");
        }

        if (MightExist(tree, exact))
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.ExactExpressionPathMightExistInTree,
                $"A wildcard expression path was provided by the \"IC-Certificate\" response header ({Show(exprPath)}), but a potential exact expression path ({Show(exact)}) is valid for the request path (\"{requestPath}\") and might exist in the tree");
        }

        IReadOnlyList<string> requestSegments = exact.Take(exact.Count - 1).ToList();
        IReadOnlyList<string> wildcard = exprPath.Take(exprPath.Count - 1).ToList();
        if (!ExpressionPath.WildcardCovers(wildcard, requestSegments))
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.WildcardExpressionPathMismatch,
                $"The wildcard expression path provided by the \"IC-Certificate\" response header ({Show(wildcard)}) is not valid for the request path (\"{requestPath}\")");
        }

        foreach (IReadOnlyList<string> moreSpecific in ExpressionPath.MoreSpecificWildcards(requestSegments, exprPath))
        {
            if (MightExist(tree, moreSpecific))
            {
                return HttpVerificationResult.Invalid(HttpVerificationError.MoreSpecificWildcardExpressionMightExistInTree,
                    $"A more specific wildcard expression path ({Show(moreSpecific)}) than the one provided by the \"IC-Certificate\" response header ({Show(exprPath)}) that is valid for the request path (\"{requestPath}\") might exist in the tree");
            }
        }

        return Exists(tree, exprPath) ? null : HttpVerificationResult.Invalid(HttpVerificationError.WildcardExpressionPathNotFoundInTree,
            $"The wildcard expression path provided by the \"IC-Certificate\" response header ({Show(exprPath)}) is valid for the request path (\"{requestPath}\"), but was not found in the tree");
    }

    private static bool Exists(HashTree tree, IReadOnlyList<string> path) => tree.LookupSubtree(ExpressionPath.Labels(path)).Status == LookupStatus.Found;

    private static bool MightExist(HashTree tree, IReadOnlyList<string> path) => tree.LookupSubtree(ExpressionPath.Labels(path)).Status != LookupStatus.Absent;

    // The certificate must name the tree's root as the canister's certified data.
    private static HttpVerificationResult? ValidateTree(Context c, IcCertificateHeader header)
    {
        LookupResult certifiedData = header.Certificate.Lookup("canister", c.CanisterId, "certified_data");
        if (!certifiedData.IsFound)
        {
            return HttpVerificationResult.Invalid(HttpVerificationError.CertificateMissingCertifiedData,
                $"The certificate provided by the \"IC-Certificate\" response header is missing the certified data witness for the canister with ID {c.CanisterId}");
        }

        return certifiedData.Value.Span.SequenceEqual(header.Tree.Digest) ? null : HttpVerificationResult.Invalid(HttpVerificationError.InvalidTreeRootHash,
            "Invalid tree root hash: the tree's root hash is not the canister's certified_data in the certificate");
    }

    // ic-certificate-verification: time first, then the delegation (for this canister) and the signature.
    private static HttpVerificationResult? VerifyCertificate(Context c, Certificate certificate)
    {
        LookupResult time = certificate.Lookup("time");
        if (!time.IsFound)
        {
            return CertificateFailure("Time not found in certificate at path: [\"time\"]");
        }

        if (!Leb128.TryDecodeUnsigned(time.Value.Span, out ulong certificateTime))
        {
            return CertificateFailure("Certificate time decoding failed due to an overflow");
        }

        ulong max = c.NowNanos > ulong.MaxValue - c.MaxOffsetNanos ? ulong.MaxValue : c.NowNanos + c.MaxOffsetNanos;
        ulong min = c.NowNanos < c.MaxOffsetNanos ? 0 : c.NowNanos - c.MaxOffsetNanos;
        if (certificateTime > max)
        {
            return CertificateFailure($"Certificate time is too far in the future. Received {certificateTime}, expected {max} or earlier");
        }

        if (certificateTime < min)
        {
            return CertificateFailure($"Certificate time is too far in the past. Received {certificateTime}, expected {min} or later");
        }

        VerificationResult verified = CertificateVerifier.Verify(certificate, new CertificateVerificationOptions
        {
            RootKey = c.RootKey,
            EffectiveCanisterId = c.CanisterId,
        });
        return verified.IsValid ? null : CertificateFailure(verified.Reason!);
    }

    private static HttpVerificationResult CertificateFailure(string reason) =>
        HttpVerificationResult.Invalid(HttpVerificationError.CertificateVerificationFailed, "Certificate verification failed: " + reason);

    private static string Show(IEnumerable<string> path)
    {
        var text = new StringBuilder("[");
        foreach (string s in path)
        {
            text.Append(text.Length > 1 ? ", \"" : "\"").Append(s).Append('"');
        }

        return text.Append(']').ToString();
    }
}
