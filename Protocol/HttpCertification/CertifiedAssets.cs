using System.Text;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Http;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// A set of certified static assets, as Internet Identity's <c>asset_util</c> serves its frontend and as any assets
/// canister can: every asset under each of its URL paths (<see cref="AssetUrlPaths"/>) is certified both for v1
/// (<c>http_assets</c>: URL path → SHA-256 of the body) and for v2 (<c>http_expr</c>: exact path, II's expression
/// <see cref="CertificationExpression.InternetIdentityAssets"/>, no request certification, the hash of status 200,
/// every header and the body), and a 404 answer is certified for v2 under the root wildcard. The owner puts
/// <see cref="CertifiedData"/> of its <see cref="CertifiedTreeLayout"/> in its certified data and answers
/// <c>http_request</c> with <see cref="Serve"/>. Immutable and deterministic: the same assets give the same trees,
/// hashes and response bytes on every replica.
/// </summary>
public sealed class CertifiedAssets
{
    /// <summary>The label of the v1 tree.</summary>
    public const string AssetsV1Label = HttpResponseVerifier.AssetsV1Label;

    /// <summary>The label of the v2 tree.</summary>
    public const string AssetsV2Label = ExpressionPath.Prefix;

    /// <summary>The body of the certified 404 answer.</summary>
    public const string NotFoundBody = "Not found.";

    private static readonly byte[] s_emptyLeaf = [];
    private readonly Dictionary<string, Entry> _entries;
    private readonly Entry _notFound;

    /// <summary>
    /// Certifies the assets; <paramref name="sharedHeaders"/> (e.g. security headers) are served and certified with
    /// every response, before each asset's own headers. Throws <see cref="ArgumentException"/> when two assets claim
    /// the same URL path.
    /// </summary>
    public CertifiedAssets(IEnumerable<HttpAsset> assets, IEnumerable<HttpHeaderField>? sharedHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(assets);
        HttpHeaderField[] shared = [.. sharedHeaders ?? []];
        SharedHeaders = shared;
        CertificationExpression expression = CertificationExpression.InternetIdentityAssets;
        var expressionHeader = new HttpHeaderField(CertificationExpression.HeaderName, expression.Text);
        _entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var v1 = new List<KeyValuePair<Label, LabeledTree>>();
        var v2 = new List<Label[]>();
        foreach (HttpAsset asset in assets)
        {
            ArgumentNullException.ThrowIfNull(asset, nameof(assets));
            List<HttpHeaderField> headers = [.. shared, new("Content-Type", asset.ContentType)];
            if (asset.ContentEncoding is { } encoding)
            {
                headers.Add(new("Content-Encoding", encoding));
            }

            headers.AddRange(asset.Headers ?? []);
            byte[] bodyHash = Sha256.HashData(asset.Body.Span);
            byte[] responseHash = ResponseHash.Compute(200, ResponseHash.CertifiedHeaders([.. headers, expressionHeader], expression.Response!), asset.Body.Span);
            foreach (string urlPath in AssetUrlPaths.For(asset.Path))
            {
                if (_entries.ContainsKey(urlPath))
                {
                    throw new ArgumentException($"two assets are served under {urlPath} (the second is {asset.Path})", nameof(assets));
                }

                IReadOnlyList<string> exprPath = ExpressionPath.Exact(urlPath);
                _entries[urlPath] = new Entry(200, asset.Body, headers, exprPath);
                v1.Add(new(urlPath, LabeledTree.Leaf(bodyHash)));
                v2.Add(ExpressionPath.TreePath(exprPath.Skip(1), expression.Hash, [], responseHash));
            }
        }

        // The 404 answer, for v2 under the root wildcard: a verifier accepts it for any path the tree proves absent.
        List<HttpHeaderField> notFoundHeaders = [.. shared, new("Content-Type", "text/plain; charset=utf-8")];
        byte[] notFoundBody = Encoding.UTF8.GetBytes(NotFoundBody);
        IReadOnlyList<string> wildcard = ExpressionPath.Wildcard("/");
        _notFound = new Entry(404, notFoundBody, notFoundHeaders, wildcard);
        byte[] notFoundHash = ResponseHash.Compute(404, ResponseHash.CertifiedHeaders([.. notFoundHeaders, expressionHeader], expression.Response!), notFoundBody);
        v2.Add(ExpressionPath.TreePath(wildcard.Skip(1), expression.Hash, [], notFoundHash));

        V1Tree = LabeledTree.Node(v1);
        V2Tree = Nested(v2, 0);
        Expression = expression;
    }

    /// <summary>The headers served and certified with every response.</summary>
    public IReadOnlyList<HttpHeaderField> SharedHeaders { get; }

    /// <summary>The certification expression of every response (II's).</summary>
    public CertificationExpression Expression { get; }

    /// <summary>The URL paths served, in ordinal order.</summary>
    public IReadOnlyList<string> UrlPaths => [.. _entries.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The v1 tree (under <c>http_assets</c>): URL path → SHA-256 of the body.</summary>
    public LabeledTree V1Tree { get; }

    /// <summary>The v2 tree (under <c>http_expr</c>): expression paths → expression hash → "" → response hash → "".</summary>
    public LabeledTree V2Tree { get; }

    /// <summary>The root hash of the v1 tree.</summary>
    public byte[] V1RootHash => V1Tree.Digest.ToArray();

    /// <summary>The root hash of the v2 tree.</summary>
    public byte[] V2RootHash => V2Tree.Digest.ToArray();

    /// <summary>The root hash of <c>fork(labeled("http_assets", v1), labeled("http_expr", v2))</c> (II's <c>asset_util</c> root_hash).</summary>
    public byte[] RootHash => CertifiedData(CertifiedTreeLayout.Assets);

    /// <summary>Whether a (decoded) URL path is served.</summary>
    public bool Contains(string urlPath) => _entries.ContainsKey(urlPath);

    /// <summary>The certified data of a canister whose certified tree has this layout.</summary>
    public byte[] CertifiedData(CertifiedTreeLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        layout.CheckComplete(nameof(layout));
        return layout.RootHash(V1Tree.Digest, V2Tree.Digest);
    }

    /// <summary>
    /// The answer to <c>http_request</c> for <paramref name="url"/> (query ignored, path percent-decoded): the asset
    /// with status 200, its headers and body, or the 404 answer; with <c>IC-Certificate</c> from the canister's data
    /// certificate (the one its query sees; none in an update call, then the response is not certified) and a witness
    /// of <paramref name="layout"/>. Assets are certified for v2 when <paramref name="certificateVersion"/> is 2 or more
    /// and for v1 otherwise (as II does); the 404 answer only for v2 (v1 cannot certify it).
    /// </summary>
    public HttpResponse Serve(string url, ushort? certificateVersion, ReadOnlyMemory<byte>? dataCertificate, CertifiedTreeLayout layout)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(layout);
        layout.CheckComplete(nameof(layout));
        string path = HttpRequestUrl.TryGetPath(url, out string decoded, out _) ? decoded : url;
        bool found = _entries.TryGetValue(path, out Entry? entry);
        entry ??= _notFound;
        int version = found && certificateVersion is not >= 2 ? 1 : 2;
        List<HttpHeaderField> headers = [.. entry.Headers];
        if (version == 2)
        {
            headers.Add(new HttpHeaderField(CertificationExpression.HeaderName, Expression.Text));
        }

        if (dataCertificate is { } certificate)
        {
            HashTree tree = Witness(path, version, layout);
            IcCertificateHeader header = version == 1 ? IcCertificateHeader.V1(certificate, tree) : IcCertificateHeader.V2(certificate, tree, entry.ExprPath);
            headers.Add(new HttpHeaderField(IcCertificateHeader.Name, header.Format()));
        }

        return new HttpResponse(entry.StatusCode, headers, entry.Body);
    }

    /// <summary>
    /// The witness of <paramref name="layout"/> for a URL path: v1 reveals <c>["http_assets", path]</c> and prunes
    /// <c>http_expr</c>; v2 reveals the path's expression path (or, for a path not served, the root wildcard and the
    /// absence of every more specific path) and prunes <c>http_assets</c>; other parts of the layout stay pruned.
    /// </summary>
    public HashTree Witness(string urlPath, int version, CertifiedTreeLayout layout)
    {
        ArgumentNullException.ThrowIfNull(urlPath);
        ArgumentNullException.ThrowIfNull(layout);
        layout.CheckComplete(nameof(layout));
        HashTree v1Pruned = HashTree.Pruned(HashTree.HashLabeledDigest(Encoding.UTF8.GetBytes(AssetsV1Label), V1Tree.Digest));
        HashTree v2Pruned = HashTree.Pruned(HashTree.HashLabeledDigest(Encoding.UTF8.GetBytes(AssetsV2Label), V2Tree.Digest));
        switch (version)
        {
            case 1:
                return layout.Build(HashTree.Labeled(AssetsV1Label, V1Tree.Witness([[urlPath]])), v2Pruned);
            case 2:
                return layout.Build(v1Pruned, HashTree.Labeled(AssetsV2Label, V2Tree.Witness(V2WitnessPaths(urlPath))));
            default:
                throw new ArgumentException($"certification version {version} is neither 1 nor 2", nameof(version));
        }
    }

    // Paths under http_expr to reveal: the exact path when served; otherwise the root wildcard, the exact path and
    // every more specific wildcard, which the witness then proves absent.
    private List<IReadOnlyList<Label>> V2WitnessPaths(string urlPath)
    {
        IReadOnlyList<string> exact = ExpressionPath.Exact(urlPath);
        if (_entries.ContainsKey(urlPath))
        {
            return [ExpressionPath.Labels(exact.Skip(1))];
        }

        List<IReadOnlyList<Label>> paths = [ExpressionPath.Labels(_notFound.ExprPath.Skip(1)), ExpressionPath.Labels(exact.Skip(1))];
        foreach (IReadOnlyList<string> wildcard in ExpressionPath.MoreSpecificWildcards(exact.Take(exact.Count - 1).ToList(), _notFound.ExprPath))
        {
            paths.Add(ExpressionPath.Labels(wildcard.Skip(1)));
        }

        return paths;
    }

    // A labeled tree holding an empty leaf at the end of each path.
    private static LabeledTree Nested(List<Label[]> paths, int depth) =>
        LabeledTree.Node(paths.GroupBy(p => p[depth]).Select(g => new KeyValuePair<Label, LabeledTree>(g.Key,
            g.Any(p => p.Length == depth + 1) ? LabeledTree.Leaf(s_emptyLeaf) : Nested([.. g], depth + 1))));

    private sealed record Entry(ushort StatusCode, ReadOnlyMemory<byte> Body, IReadOnlyList<HttpHeaderField> Headers, IReadOnlyList<string> ExprPath);
}
