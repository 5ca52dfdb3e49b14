using System.Security.Cryptography;
using System.Text;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.HttpCertification;
using static InternetIdentity.Protocol.Tests.HttpCertification.HttpFixture;

namespace InternetIdentity.Protocol.Tests.HttpCertification;

public class CertifiedAssetsTests
{
    private static readonly string[] s_servedUrls =
    [
        "/", "/index.html", "/about", "/about/", "/about/index.html", "/faq/answers", "/faq/answers/", "/faq/answers.html",
        "/faq/answers/index.html", "/_app/immutable/entry.js", "/styles/main.css?v=3", "/files/a%20b.txt", "/.well-known/ic-domains",
    ];

    [TestCaseSource(nameof(s_servedUrls))]
    public void Serve_V2_CertifiedResponseVerifies(string url)
    {
        HttpResponse response = Serve(url, 2);
        HttpVerificationResult result = Verify(HttpRequest.Get(url, 2), response, minVersion: 2);
        Assert.That(result.IsValid, Is.True, result.ToString());
        Assert.Multiple(() =>
        {
            Assert.That((response.StatusCode, result.VerificationVersion, result.StatusCode, result.IsCertified), Is.EqualTo(((ushort)200, 2, (ushort?)200, true)));
            Assert.That(result.Body.ToArray(), Is.EqualTo(response.Body.ToArray()));
            Assert.That(result.Headers.Select(h => h.Name), Is.SupersetOf(new[] { "x-frame-options", "content-type", "ic-certificateexpression", "IC-Certificate" }));
            Assert.That(response.HeaderValue(CertificationExpression.HeaderName), Is.EqualTo(CertificationExpression.InternetIdentityAssetsText));
        });
    }

    [TestCaseSource(nameof(s_servedUrls))]
    public void Serve_V1_CertifiedBodyVerifies(string url)
    {
        HttpResponse response = Serve(url, null);
        HttpVerificationResult result = Verify(HttpRequest.Get(url), response);
        Assert.That(result.IsValid, Is.True, result.ToString());
        Assert.That((result.VerificationVersion, result.StatusCode, result.Headers.Count), Is.EqualTo((1, (ushort?)null, 0)));
        Assert.That(response.HeaderValue(IcCertificateHeader.Name), Does.Not.Contain("version"));
        Assert.That(response.HeaderValue(CertificationExpression.HeaderName), Is.Null);
    }

    [Test]
    public void Serve_Aliases_SameBodyAndTypes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Serve("/", 2).Body.ToArray(), Is.EqualTo(IndexHtml));
            Assert.That(Serve("/index.html", 2).Body.ToArray(), Is.EqualTo(IndexHtml));
            Assert.That(Serve("/about/", 2).HeaderValue("Content-Type"), Is.EqualTo("text/html"));
            HttpResponse script = Serve("/_app/immutable/entry.js", 2);
            Assert.That((script.HeaderValue("Content-Encoding"), script.HeaderValue("Content-Type"), script.HeaderValue("Cache-Control")),
                Is.EqualTo(("gzip", "text/javascript", "public, max-age=31536000")));
            Assert.That(Serve("/files/a%20b.txt", 2).Body.ToArray(), Is.EqualTo("a file with a space"u8.ToArray()));
        });
    }

    [TestCase("/missing", (ushort)2)]
    [TestCase("/about/missing/deeper", (ushort)2)]
    [TestCase("/faq/", null)]
    [TestCase("/styles/", (ushort)1)]
    [TestCase("/%ff", (ushort)2)]
    public void Serve_UnknownPath_CertifiedNotFoundUnderRootWildcard(string url, ushort? version)
    {
        HttpResponse response = Serve(url, version);
        Assert.That(response.StatusCode, Is.EqualTo((ushort)404));
        Assert.That(Encoding.UTF8.GetString(response.Body.Span), Is.EqualTo(CertifiedAssets.NotFoundBody));
        Assert.That(IcCertificateHeader.TryParse(response.HeaderValue(IcCertificateHeader.Name)!, out IcCertificateHeader? header, out _), Is.True);
        Assert.That(header!.ExprPath, Is.EqualTo(new[] { "http_expr", "", "<*>" }));
        if (url != "/%ff")
        {
            HttpVerificationResult result = Verify(HttpRequest.Get(url, 2), response);
            Assert.That((result.IsValid, result.StatusCode), Is.EqualTo((true, (ushort?)404)), result.ToString());
        }
    }

    [Test]
    public void Serve_WithoutDataCertificate_NotCertified()
    {
        HttpResponse response = Assets.Serve("/", 2, null, Layout);
        Assert.That(response.HeaderValue(IcCertificateHeader.Name), Is.Null);
        Assert.That(Verify(HttpRequest.Get("/", 2), response).Error, Is.EqualTo(HttpVerificationError.HeaderMissingCertification));
    }

    [Test]
    public void Assets_SameFilesInAnyOrder_SameRootsAndBytes()
    {
        var shuffled = new CertifiedAssets(AssetList.Reverse(), SecurityHeaders);
        byte[] certificate = Certificate(CertifiedData);
        Assert.Multiple(() =>
        {
            Assert.That(shuffled.RootHash, Is.EqualTo(Assets.RootHash));
            Assert.That(shuffled.CertifiedData(Layout), Is.EqualTo(CertifiedData));
            foreach (string url in s_servedUrls.Append("/missing"))
            {
                HttpResponse a = Assets.Serve(url, 2, certificate, Layout), b = shuffled.Serve(url, 2, certificate, Layout);
                Assert.That(b.Headers, Is.EqualTo(a.Headers), url);
                Assert.That(b.Body.ToArray(), Is.EqualTo(a.Body.ToArray()), url);
            }
        });
    }

    [Test]
    public void CertifiedData_IiLayout_IsForkOfAssetsRootAndLabeledSig()
    {
        byte[] assetsRoot = HashTree.HashForkDigests(
            HashTree.HashLabeledDigest("http_assets"u8, Assets.V1RootHash), HashTree.HashLabeledDigest("http_expr"u8, Assets.V2RootHash));
        Assert.Multiple(() =>
        {
            Assert.That(Assets.RootHash, Is.EqualTo(assetsRoot));
            Assert.That(CertifiedData, Is.EqualTo(HashTree.HashForkDigests(assetsRoot, HashTree.HashLabeledDigest("sig"u8, SignatureMapRoot))));
            Assert.That(Assets.CertifiedData(CertifiedTreeLayout.Assets), Is.EqualTo(assetsRoot));
        });
    }

    [Test]
    public void Witness_V1_RevealsThePathAndPrunesV2AndSig()
    {
        HashTree w = Assets.Witness("/index.html", 1, Layout);
        Assert.Multiple(() =>
        {
            Assert.That(w.Digest.ToArray(), Is.EqualTo(CertifiedData));
            Assert.That(w.LookupPath("http_assets", "/index.html").Value.ToArray(), Is.EqualTo(SHA256.HashData(IndexHtml)));
            Assert.That(w.LookupSubtree("http_expr").Status, Is.EqualTo(LookupStatus.Unknown));
            Assert.That(w.LookupSubtree("sig").Status, Is.EqualTo(LookupStatus.Unknown));
            Assert.That(w.LookupPath("http_assets", "/about").Status, Is.EqualTo(LookupStatus.Unknown), "other assets stay pruned");
        });
    }

    [Test]
    public void Witness_V2_RevealsTheExpressionPathAndPrunesV1()
    {
        HashTree w = Assets.Witness("/about/", 2, Layout);
        Assert.Multiple(() =>
        {
            Assert.That(w.Digest.ToArray(), Is.EqualTo(CertifiedData));
            Assert.That(w.LookupSubtree("http_expr", "about", "", "<$>", CertificationExpression.InternetIdentityAssets.Hash).Status, Is.EqualTo(LookupStatus.Found));
            Assert.That(w.LookupSubtree("http_assets").Status, Is.EqualTo(LookupStatus.Unknown));
        });
    }

    [Test]
    public void Constructor_TwoAssetsOnOneUrl_Throws()
    {
        HttpAsset[] clash = [HttpAsset.FromFile("x.html", "a"u8.ToArray()), HttpAsset.FromFile("x/index.html", "b"u8.ToArray())];
        Assert.That(() => new CertifiedAssets(clash), Throws.ArgumentException.With.Message.Contains("/x"));
    }

    [Test]
    public void Layout_WithoutBothAssetParts_Throws()
    {
        CertifiedTreeLayout onlyV1 = CertifiedTreeLayout.Fork(CertifiedTreeLayout.AssetsV1, CertifiedTreeLayout.LabeledHash("sig", SignatureMapRoot));
        CertifiedTreeLayout twice = CertifiedTreeLayout.Fork(CertifiedTreeLayout.Assets, CertifiedTreeLayout.AssetsV2);
        Assert.Throws<ArgumentException>(() => Assets.CertifiedData(onlyV1));
        Assert.Throws<ArgumentException>(() => Assets.Serve("/", 2, Certificate(CertifiedData), twice));
        Assert.Throws<ArgumentException>(() => CertifiedTreeLayout.Pruned(new byte[31]));
    }
}
