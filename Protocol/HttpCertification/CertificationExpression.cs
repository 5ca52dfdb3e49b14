using System.Text;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// The CEL certification expression of response verification v2, <c>default_certification(ValidationArgs{...})</c>, sent
/// in the <c>IC-CertificateExpression</c> header: no certification at all, or a certification of the response (some or
/// all headers, status and body) with or without the request (some headers, some query parameters, method and body).
/// Its hash is SHA-256 of the header value's exact bytes, so the text is kept as written.
/// </summary>
public sealed class CertificationExpression
{
    /// <summary>The response header that carries the expression.</summary>
    public const string HeaderName = "IC-CertificateExpression";

    /// <summary>
    /// The expression Internet Identity puts on its assets (<c>asset_util</c>): response only, no header excluded. The
    /// space after <c>no_request_certification:</c> is part of the hashed bytes.
    /// </summary>
    public const string InternetIdentityAssetsText =
        "default_certification(ValidationArgs{certification:Certification{no_request_certification: Empty{},"
        + "response_certification:ResponseCertification{response_header_exclusions:ResponseHeaderList{headers:[]}}}})";

    private CertificationExpression(string text, bool noCertification, IReadOnlyList<string>? requestHeaders, IReadOnlyList<string>? queryParameters, ResponseHeaderCertification? response)
    {
        Text = text;
        Hash = Sha256.HashData(Encoding.UTF8.GetBytes(text));
        IsNoCertification = noCertification;
        CertifiedRequestHeaders = requestHeaders;
        CertifiedQueryParameters = queryParameters;
        Response = response;
    }

    /// <summary>The expression text exactly as sent in the header.</summary>
    public string Text { get; }

    /// <summary>SHA-256 of the UTF-8 text: the label under the expression path in the <c>http_expr</c> tree.</summary>
    public byte[] Hash { get; }

    /// <summary>True for <c>no_certification</c>: the path is certified to be served without verification.</summary>
    public bool IsNoCertification { get; }

    /// <summary>Whether the request is certified too (<c>request_certification</c>).</summary>
    public bool CertifiesRequest => CertifiedRequestHeaders is not null;

    /// <summary>The certified request headers (null without request certification).</summary>
    public IReadOnlyList<string>? CertifiedRequestHeaders { get; }

    /// <summary>The certified query parameters (null without request certification).</summary>
    public IReadOnlyList<string>? CertifiedQueryParameters { get; }

    /// <summary>Which response headers are certified (null for <c>no_certification</c>).</summary>
    public ResponseHeaderCertification? Response { get; }

    /// <summary>The expression Internet Identity certifies its assets with (<see cref="InternetIdentityAssetsText"/>).</summary>
    public static CertificationExpression InternetIdentityAssets { get; } = Parse(InternetIdentityAssetsText);

    /// <summary><c>default_certification(ValidationArgs{no_certification:Empty{}})</c></summary>
    public static CertificationExpression NoCertification() =>
        new("default_certification(ValidationArgs{no_certification:Empty{}})", true, null, null, null);

    /// <summary>A response-only certification (<c>no_request_certification:Empty{}</c>).</summary>
    public static CertificationExpression ResponseOnly(ResponseHeaderCertification response)
    {
        ArgumentNullException.ThrowIfNull(response);
        CheckNames(response.Headers, nameof(response));
        string text = "default_certification(ValidationArgs{certification:Certification{no_request_certification:Empty{},"
            + ResponseText(response) + "}})";
        return new(text, false, null, null, response);
    }

    /// <summary>A certification of the request (these headers and query parameters, method, body) and the response.</summary>
    public static CertificationExpression Full(IEnumerable<string> requestHeaders, IEnumerable<string> queryParameters, ResponseHeaderCertification response)
    {
        ArgumentNullException.ThrowIfNull(response);
        string[] headers = CheckNames(requestHeaders, nameof(requestHeaders));
        string[] query = CheckNames(queryParameters, nameof(queryParameters));
        CheckNames(response.Headers, nameof(response));
        string text = "default_certification(ValidationArgs{certification:Certification{request_certification:RequestCertification{"
            + "certified_request_headers:" + List(headers) + ",certified_query_parameters:" + List(query) + "},"
            + ResponseText(response) + "}})";
        return new(text, false, headers, query, response);
    }

    /// <summary>Parses an expression as verifiers do (whitespace anywhere, trailing text ignored); throws <see cref="FormatException"/>.</summary>
    public static CertificationExpression Parse(string text) =>
        TryParse(text, out CertificationExpression? expression, out string? error) ? expression! : throw new FormatException(error);

    /// <summary>Parses an expression as verifiers do; false with the parser's reason when it is not a default certification.</summary>
    public static bool TryParse(string text, out CertificationExpression? expression, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        expression = null;
        if (!CertificationExpressionParser.TryParse(text, out CertificationExpressionParser.Node? root, out error))
        {
            return false;
        }

        try
        {
            expression = FromSyntax(text, root!);
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    internal static string[] CheckNames(IEnumerable<string> names, string parameter)
    {
        ArgumentNullException.ThrowIfNull(names, parameter);
        string[] list = [.. names];
        foreach (string n in list)
        {
            // What the verifiers' CEL string grammar admits unescaped.
            if (n is null || n.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"))
            {
                throw new ArgumentException($"\"{n}\" is not a name a certification expression can hold (letters, digits and '-')", parameter);
            }
        }

        return list;
    }

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "[]" : "[\"" + string.Join("\",\"", items) + "\"]";

    private static string ResponseText(ResponseHeaderCertification response) =>
        "response_certification:ResponseCertification{" + (response.IsExclusionList ? "response_header_exclusions" : "certified_response_headers")
        + ":ResponseHeaderList{headers:" + List(response.Headers) + "}}";

    // map_cel_ast of ic-response-verification, with its error texts.
    private static CertificationExpression FromSyntax(string text, CertificationExpressionParser.Node root)
    {
        IReadOnlyList<CertificationExpressionParser.Node> parameters = Function(root, "default_certification");
        if (parameters.Count == 0)
        {
            throw new FormatException("Parameter at position 0 for function \"default_certification\" is missing, expected \"ValidationArgs\" with type \"Object\"");
        }

        IReadOnlyDictionary<string, CertificationExpressionParser.Node> args = Object(parameters[0], "ValidationArgs");
        bool hasNone = args.ContainsKey("no_certification");
        args.TryGetValue("certification", out CertificationExpressionParser.Node? certificationNode);
        if (hasNone && certificationNode is not null)
        {
            throw new FormatException("The ValidationArgs parameter must only specify one of the no_certification or certification properties, not both");
        }

        if (hasNone)
        {
            return new(text, true, null, null, null);
        }

        if (certificationNode is null)
        {
            throw new FormatException("The ValidationArgs parameter must specify at least one of the no_certification or certification properties");
        }

        IReadOnlyDictionary<string, CertificationExpressionParser.Node> certification = Object(certificationNode, "Certification");
        bool noRequest = certification.ContainsKey("no_request_certification");
        certification.TryGetValue("request_certification", out CertificationExpressionParser.Node? requestNode);
        if (noRequest && requestNode is not null)
        {
            throw new FormatException("The request_certification object must only specify one of the no_request_certification or request_certification properties, not both");
        }

        if (!noRequest && requestNode is null)
        {
            throw new FormatException("The request_certification object must specify at least one of the no_request_certification or request_certification properties");
        }

        IReadOnlyList<string>? requestHeaders = null, queryParameters = null;
        if (requestNode is not null)
        {
            IReadOnlyDictionary<string, CertificationExpressionParser.Node> request = Object(requestNode, "RequestCertification");
            requestHeaders = StringArray(Property(request, "RequestCertification", "certified_request_headers"), "certified_request_headers");
            queryParameters = StringArray(Property(request, "RequestCertification", "certified_query_parameters"), "certified_query_parameters");
        }

        IReadOnlyDictionary<string, CertificationExpressionParser.Node> response =
            Object(Property(certification, "RequestCertification", "response_certification"), "ResponseCertification");
        IReadOnlyList<string>? certified = HeaderList(response, "certified_response_headers");
        IReadOnlyList<string>? excluded = HeaderList(response, "response_header_exclusions");
        ResponseHeaderCertification responseCertification = (certified, excluded) switch
        {
            (not null, not null) => throw new FormatException("The response_certification object must only specify one of the certified_response_headers or response_header_exclusions properties, not both"),
            (null, null) => throw new FormatException("The response_certification object must specify at least one of the certified_response_headers or response_header_exclusions properties"),
            (not null, null) => new ResponseHeaderCertification(false, certified),
            _ => new ResponseHeaderCertification(true, excluded!),
        };
        return new(text, false, requestHeaders, queryParameters, responseCertification);
    }

    // A ResponseHeaderList's headers; a list without a headers property counts as absent, as in the verifiers.
    private static IReadOnlyList<string>? HeaderList(IReadOnlyDictionary<string, CertificationExpressionParser.Node> response, string property)
    {
        if (!response.TryGetValue(property, out CertificationExpressionParser.Node? node))
        {
            return null;
        }

        IReadOnlyDictionary<string, CertificationExpressionParser.Node> list = Object(node, "ResponseHeaderList");
        return list.TryGetValue("headers", out CertificationExpressionParser.Node? headers) ? StringArray(headers, property) : null;
    }

    private static CertificationExpressionParser.Node Property(IReadOnlyDictionary<string, CertificationExpressionParser.Node> o, string objectName, string property) =>
        o.TryGetValue(property, out CertificationExpressionParser.Node? node)
            ? node
            : throw new FormatException($"Expected object \"{objectName}\" to have property \"{property}\"");

    private static IReadOnlyList<CertificationExpressionParser.Node> Function(CertificationExpressionParser.Node node, string name)
    {
        if (node.Kind != CertificationExpressionParser.NodeKind.Function)
        {
            throw new FormatException($"Expected node with name \"{name}\" to have type \"Function\", found {node.Kind}");
        }

        return node.Name == name ? node.Items : throw new FormatException($"Expected node with type \"Function\" to have name \"{name}\", found \"{node.Name}\"");
    }

    private static IReadOnlyDictionary<string, CertificationExpressionParser.Node> Object(CertificationExpressionParser.Node node, string name)
    {
        if (node.Kind != CertificationExpressionParser.NodeKind.Object)
        {
            throw new FormatException($"Expected node with name \"{name}\" to have type \"Object\", found {node.Kind}");
        }

        return node.Name == name ? node.Properties : throw new FormatException($"Expected node with type \"Object\" to have name \"{name}\", found \"{node.Name}\"");
    }

    private static string[] StringArray(CertificationExpressionParser.Node node, string name)
    {
        if (node.Kind != CertificationExpressionParser.NodeKind.Array)
        {
            throw new FormatException($"Expected node with name \"{name}\" to have type \"Array\", found {node.Kind}");
        }

        return [.. node.Items.Select(e => e.Kind == CertificationExpressionParser.NodeKind.String
            ? e.Name
            : throw new FormatException($"Expected node with name \"{name}\" to have type \"String\", found {e.Kind}"))];
    }
}
