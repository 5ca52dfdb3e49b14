using System.Text.Json;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.HttpCertification;
using InternetIdentity.Protocol.Tests.Support;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Protocol.Tests.HttpCertification;

/// <summary>Request and response hashes (ic-http-certification's vectors), request URLs, expression paths and asset URL paths.</summary>
public class HashAndPathTests
{
    private static readonly JsonElement s_vectors = JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("http-certification", "vectors.json"))).RootElement;

    private static HttpHeaderField[] Headers(JsonElement e) =>
        [.. e.EnumerateArray().Select(h => new HttpHeaderField(h[0].GetString()!, h[1].GetString()!))];

    private static string[] Strings(JsonElement e) => [.. e.EnumerateArray().Select(s => s.GetString()!)];

    [Test]
    public void RequestHash_IcHttpCertificationVectors_Match()
    {
        JsonElement v = s_vectors.GetProperty("request_hash");
        foreach (JsonElement c in v.GetProperty("cases").EnumerateArray())
        {
            var request = new HttpRequest(v.Str("method"), c.Str("url"), Headers(v.GetProperty("headers")), v.Hex("body_hex"));
            var expression = CertificationExpression.Full(Strings(c.GetProperty("certified_headers")), Strings(c.GetProperty("certified_query")), ResponseHeaderCertification.Excluding());
            Assert.That(RequestHash.TryCompute(request, expression, out byte[] hash, out string? error), Is.True, error);
            Assert.That(Convert.ToHexStringLower(hash), Is.EqualTo(c.Str("hash")), c.Str("name"));
        }
    }

    [Test]
    public void RequestHash_QueryOrderAndMethodMatter_FragmentDoesNot()
    {
        var expression = CertificationExpression.Full(["host"], ["q", "name"], ResponseHeaderCertification.Excluding());
        byte[] Hash(string method, string url)
        {
            Assert.That(RequestHash.TryCompute(new HttpRequest(method, url, [new("Host", "ic0.app")], new byte[] { 1 }), expression, out byte[] h, out _), Is.True);
            return h;
        }

        byte[] baseline = Hash("GET", "/?q=a&name=foo&name=bar");
        Assert.Multiple(() =>
        {
            Assert.That(Hash("GET", "/?q=a&name=bar&name=foo"), Is.Not.EqualTo(baseline));
            Assert.That(Hash("POST", "/?q=a&name=foo&name=bar"), Is.Not.EqualTo(baseline));
            Assert.That(Hash("GET", "/?q=a&name=foo&name=bar#frag"), Is.EqualTo(baseline));
            Assert.That(Hash("GET", "/?q=a&name=foo&name=bar&color=red"), Is.EqualTo(baseline), "uncertified parameters are not hashed");
        });
        Assert.Throws<ArgumentException>(() => RequestHash.TryCompute(HttpRequest.Get("/"), CertificationExpression.InternetIdentityAssets, out _, out _));
    }

    [Test]
    public void ResponseHash_IcHttpCertificationVectors_Match()
    {
        JsonElement v = s_vectors.GetProperty("response_hash");
        foreach (JsonElement c in v.GetProperty("cases").EnumerateArray())
        {
            var certification = new ResponseHeaderCertification(c.GetProperty("exclusions").GetBoolean(), Strings(c.GetProperty("listed")));
            IReadOnlyList<HttpHeaderField> certified = ResponseHash.CertifiedHeaders(Headers(c.GetProperty("headers")), certification);
            byte[] hash = ResponseHash.Compute((ushort)v.GetProperty("status_code").GetInt32(), certified, v.Hex("body_hex"));
            Assert.That(Convert.ToHexStringLower(hash), Is.EqualTo(c.Str("hash")), c.Str("name"));
        }
    }

    [Test]
    public void CertifiedHeaders_AlwaysExpressionNeverCertificate_NamesLowerCasedRepeatsKept()
    {
        HttpHeaderField[] headers =
        [
            new("IC-Certificate", "x"), new("IC-CertificateExpression", "e"), new("Cache-Control", "a"), new("Cache-Control", "b"), new("ETag", "1"),
        ];
        Assert.Multiple(() =>
        {
            Assert.That(ResponseHash.CertifiedHeaders(headers, ResponseHeaderCertification.Certified("cache-control")),
                Is.EqualTo(new HttpHeaderField[] { new("ic-certificateexpression", "e"), new("cache-control", "a"), new("cache-control", "b") }));
            Assert.That(ResponseHash.CertifiedHeaders(headers, ResponseHeaderCertification.Excluding("CACHE-CONTROL", "IC-CertificateExpression")),
                Is.EqualTo(new HttpHeaderField[] { new("ic-certificateexpression", "e"), new("etag", "1") }));
        });
    }

    [Test]
    public void ResponseHash_StatusHeadersAndBody_EachChangeTheHash()
    {
        CertificationExpression e = CertificationExpression.InternetIdentityAssets;
        HttpHeaderField[] headers = [new("Content-Type", "text/html")];
        byte[] baseline = ResponseHash.Compute(200, headers, "body"u8, e);
        Assert.Multiple(() =>
        {
            Assert.That(ResponseHash.Compute(404, headers, "body"u8, e), Is.Not.EqualTo(baseline));
            Assert.That(ResponseHash.Compute(200, [new("Content-Type", "text/plain")], "body"u8, e), Is.Not.EqualTo(baseline));
            Assert.That(ResponseHash.Compute(200, headers, "bodY"u8, e), Is.Not.EqualTo(baseline));
            Assert.That(ResponseHash.Compute(200, [new("content-type", "text/html")], "body"u8, e), Is.EqualTo(baseline), "names are hashed lower-cased");
        });
        Assert.Throws<ArgumentException>(() => ResponseHash.Compute(200, headers, "body"u8, CertificationExpression.NoCertification()));
    }

    [TestCase("/", new[] { "" })]
    [TestCase("/index.html", new[] { "index.html" })]
    [TestCase("/a/b", new[] { "a", "b" })]
    [TestCase("/a/b/", new[] { "a", "b", "" })]
    [TestCase("//a//b", new[] { "a", "b" })]
    [TestCase("", new string[0])]
    public void Segments_RequestPath_SplitAsVerifiersDo(string path, string[] segments)
    {
        Assert.That(ExpressionPath.Segments(path), Is.EqualTo(segments));
        Assert.That(ExpressionPath.Exact(path), Is.EqualTo((string[])["http_expr", .. segments, "<$>"]));
        Assert.That(ExpressionPath.Wildcard(path), Is.EqualTo((string[])["http_expr", .. segments, "<*>"]));
    }

    [Test]
    public void MoreSpecificWildcards_ForNestedPath_ListsEachLevelAndDirectory()
    {
        Assert.That(ExpressionPath.MoreSpecificWildcards(["http_expr", "a", "b", "c"], ["http_expr", "a", "b", "<*>"]),
            Is.EqualTo(new[] { new[] { "http_expr", "a", "b", "c", "<*>" }, ["http_expr", "a", "b", "", "<*>"] }));
        Assert.That(ExpressionPath.MoreSpecificWildcards(["http_expr", "a", "b"], ExpressionPath.Wildcard("/")),
            Is.EqualTo(new[] { new[] { "http_expr", "a", "b", "<*>" }, ["http_expr", "a", "", "<*>"], ["http_expr", "a", "<*>"] }));
        Assert.That(ExpressionPath.MoreSpecificWildcards(["http_expr", "a"], ["http_expr", "<*>"]),
            Is.EqualTo(new[] { new[] { "http_expr", "a", "<*>" }, ["http_expr", "", "<*>"] }));
        Assert.That(ExpressionPath.MoreSpecificWildcards(["http_expr", ""], ExpressionPath.Wildcard("/")), Is.Empty);
    }

    [Test]
    public void WildcardCovers_PrefixOrDirectoryPrefix()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ExpressionPath.WildcardCovers(["a"], ["a", "b"]), Is.True);
            Assert.That(ExpressionPath.WildcardCovers(["a", ""], ["a", "b"]), Is.True);
            Assert.That(ExpressionPath.WildcardCovers([""], ["a", "b"]), Is.True);
            Assert.That(ExpressionPath.WildcardCovers(["b"], ["a", "b"]), Is.False);
            Assert.That(ExpressionPath.WildcardCovers(["a", "b", "c"], ["a", "b"]), Is.False);
        });
    }

    [TestCase("/a%20b.txt?x=1", "/a b.txt")]
    [TestCase("/caf%C3%A9", "/café")]
    [TestCase("/100%zz", "/100%zz")]
    [TestCase("/x#frag", "/x")]
    [TestCase("https://ic0.app", "/")]
    [TestCase("https://ic0.app/a/b?c", "/a/b")]
    [TestCase("http://h:4943?x", "/")]
    public void TryGetPath_Urls_PercentDecodedPath(string url, string path)
    {
        Assert.That(HttpRequestUrl.TryGetPath(url, out string decoded, out string? error), Is.True, error);
        Assert.That(decoded, Is.EqualTo(path));
    }

    [TestCase("/%ff")]
    [TestCase("/a b")]
    [TestCase("")]
    [TestCase("relative/path")]
    public void TryGetPath_MalformedOrNotUtf8_FailsWithReason(string url)
    {
        Assert.That(HttpRequestUrl.TryGetPath(url, out _, out string? error), Is.False);
        Assert.That(error, Is.Not.Null.And.Not.Empty);
    }

    [TestCase("index.html", new[] { "/", "/index.html" })]
    [TestCase("/index.html", new[] { "/", "/index.html" })]
    [TestCase("x/index.html", new[] { "/x", "/x/", "/x/index.html" })]
    [TestCase("x/y.html", new[] { "/x/y", "/x/y/", "/x/y/index.html", "/x/y.html" })]
    [TestCase("app.js", new[] { "/app.js" })]
    [TestCase("a/b/c.css", new[] { "/a/b/c.css" })]
    public void AssetUrlPaths_IiAliasing(string file, string[] urls)
    {
        Assert.That(AssetUrlPaths.For(file), Is.EqualTo(urls));
    }

    [Test]
    public void FromFile_GzipSuffixAndContentTypes()
    {
        HttpAsset js = HttpAsset.FromFile("_app/immutable/a.js.gz", new byte[] { 1 });
        Assert.Multiple(() =>
        {
            Assert.That((js.Path, js.ContentType, js.ContentEncoding), Is.EqualTo(("_app/immutable/a.js", "text/javascript", (string?)"gzip")));
            Assert.That(HttpAsset.ContentTypeFor("index.html"), Is.EqualTo("text/html"));
            Assert.That(HttpAsset.ContentTypeFor("font.woff2"), Is.EqualTo("application/font-woff2"));
            Assert.That(HttpAsset.ContentTypeFor("favicon.ico"), Is.EqualTo("image/vnd.microsoft.icon"));
            Assert.That(HttpAsset.ContentTypeFor(".well-known/ic-domains"), Is.EqualTo("application/octet-stream"));
        });
    }
}
