using System.Security.Cryptography;
using System.Text;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.HttpCertification;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Tests.Support;
using static InternetIdentity.Protocol.Tests.HttpCertification.HttpFixture;

namespace InternetIdentity.Protocol.Tests.HttpCertification;

public class HttpResponseVerifierTests
{
    private static readonly HttpRequest s_index = HttpRequest.Get("/index.html", 2);

    private static void AssertInvalid(HttpVerificationResult result, HttpVerificationError error, string? reason = null)
    {
        Assert.That(result.IsValid, Is.False, "expected " + error);
        Assert.That(result.Error, Is.EqualTo(error), result.Reason);
        if (reason is not null)
        {
            Assert.That(result.Reason, Does.Contain(reason));
        }
    }

    [Test]
    public void Verify_ServedV2_PassesCertifiedHeadersAndCertificate()
    {
        HttpResponse response = Serve("/index.html", 2);
        HttpVerificationResult result = Verify(s_index, response);
        Assert.That(result.IsValid, Is.True, result.ToString());
        Assert.That(result.Headers[^1], Is.EqualTo(new HttpHeaderField("IC-Certificate", response.HeaderValue("IC-Certificate")!)));
        Assert.That(result.HeadersToPassOn(response), Is.SameAs(result.Headers));
        Assert.That(result.Headers.Count, Is.EqualTo(response.Headers.Count), "every header is certified under II's expression");
    }

    [Test]
    public void Verify_TamperedBody_V2_HashesNotFound()
    {
        HttpResponse response = Serve("/index.html", 2);
        AssertInvalid(Verify(s_index, response with { Body = Encoding.UTF8.GetBytes("<html>evil</html>") }), HttpVerificationError.InvalidRequestAndResponseHashes);
    }

    [TestCase("Content-Type", "text/plain")]
    [TestCase("X-Frame-Options", null)]
    [TestCase("Set-Cookie", "session=1")]
    public void Verify_TamperedHeader_V2_HashesNotFound(string name, string? value)
    {
        AssertInvalid(Verify(s_index, WithHeader(Serve("/index.html", 2), name, value)), HttpVerificationError.InvalidRequestAndResponseHashes);
    }

    [Test]
    public void Verify_TamperedStatus_V2_HashesNotFound()
    {
        AssertInvalid(Verify(s_index, Serve("/index.html", 2) with { StatusCode = 500 }), HttpVerificationError.InvalidRequestAndResponseHashes);
    }

    [Test]
    public void Verify_TamperedExpression_V2_ExpressionHashNotFound()
    {
        HttpResponse response = WithHeader(Serve("/index.html", 2), CertificationExpression.HeaderName,
            CertificationExpression.ResponseOnly(ResponseHeaderCertification.Certified("Content-Type")).Text);
        AssertInvalid(Verify(s_index, response), HttpVerificationError.InvalidExpressionHash);
        AssertInvalid(Verify(s_index, WithHeader(Serve("/index.html", 2), CertificationExpression.HeaderName, "certify(everything)")), HttpVerificationError.CelError);
    }

    [Test]
    public void Verify_ResponseOfAnotherPath_ExactPathMismatch()
    {
        AssertInvalid(Verify(s_index, Serve("/about", 2)), HttpVerificationError.ExactExpressionPathMismatch);
    }

    [Test]
    public void Verify_ExprPathRewritten_PrefixSuffixAndTreeChecks()
    {
        HttpResponse response = Serve("/index.html", 2);
        string B64(params string[] path) => ":" + Convert.ToBase64String(IcCertificateHeader.EncodeExprPath(path)) + ":";
        AssertInvalid(Verify(s_index, WithCertificateField(response, "expr_path", B64("index.html", "<$>"))), HttpVerificationError.UnexpectedExpressionPathPrefix);
        AssertInvalid(Verify(s_index, WithCertificateField(response, "expr_path", B64("http_expr", "index.html"))), HttpVerificationError.UnexpectedExpressionPathSuffix);
        AssertInvalid(Verify(s_index, WithCertificateField(response, "expr_path", B64("http_expr", "", "<*>"))), HttpVerificationError.ExactExpressionPathMightExistInTree);
        AssertInvalid(Verify(s_index, WithCertificateField(response, "expr_path", null)), HttpVerificationError.HeaderMissingCertificateExpression);
    }

    [Test]
    public void Verify_TamperedTree_RootHashMismatch()
    {
        HttpResponse response = Serve("/index.html", 2);
        HashTree witness = Assets.Witness("/index.html", 2, Layout);
        HashTree tampered = HashTree.Fork(witness.Left!, HashTree.Pruned(new byte[32]));
        string header = V2Header(Certificate(CertifiedData), tampered, ExpressionPath.Exact("/index.html"));
        AssertInvalid(Verify(s_index, WithHeader(response, IcCertificateHeader.Name, header)), HttpVerificationError.InvalidTreeRootHash);
    }

    [Test]
    public void Verify_TamperedCertificate_SignatureFails()
    {
        HttpResponse response = Serve("/index.html", 2);
        byte[] certificate = Certificate(CertifiedData);
        certificate[^5] ^= 1;
        string header = V2Header(certificate, Assets.Witness("/index.html", 2, Layout), ExpressionPath.Exact("/index.html"));
        AssertInvalid(Verify(s_index, WithHeader(response, IcCertificateHeader.Name, header)), HttpVerificationError.CertificateVerificationFailed, "signature");
    }

    [Test]
    public void Verify_CertificateForOtherData_RootHashMismatch()
    {
        byte[] other = Certificate(new byte[32]);
        string header = V2Header(other, Assets.Witness("/index.html", 2, Layout), ExpressionPath.Exact("/index.html"));
        AssertInvalid(Verify(s_index, WithHeader(Serve("/index.html", 2), IcCertificateHeader.Name, header)), HttpVerificationError.InvalidTreeRootHash);
    }

    [TestCase(-301L, "too far in the past")]
    [TestCase(301L, "too far in the future")]
    public void Verify_CertificateTimeOutsideOffset_Fails(long seconds, string reason)
    {
        HttpResponse response = Assets.Serve("/index.html", 2, Certificate(CertifiedData, (ulong)((long)Now + (seconds * 1_000_000_000))), Layout);
        AssertInvalid(Verify(s_index, response), HttpVerificationError.CertificateVerificationFailed, reason);
    }

    [Test]
    public void Verify_CertificateTimeWithinOffset_Valid()
    {
        HttpResponse response = Assets.Serve("/index.html", 2, Certificate(CertifiedData, Now - (299UL * 1_000_000_000)), Layout);
        Assert.That(Verify(s_index, response).IsValid, Is.True);
    }

    [Test]
    public void Verify_WrongCanisterId_CertifiedDataMissing()
    {
        AssertInvalid(Verify(s_index, Serve("/index.html", 2), canister: Principal.CanisterId(1)), HttpVerificationError.CertificateMissingCertifiedData, "rrkah");
    }

    [Test]
    public void Verify_WrongRootKey_SignatureFails()
    {
        byte[] otherRoot = TestCertificates.Der(TestCertificates.Key("another root"));
        AssertInvalid(Verify(s_index, Serve("/index.html", 2), rootKey: otherRoot), HttpVerificationError.CertificateVerificationFailed);
        Assert.Throws<ArgumentException>(() => Verify(s_index, Serve("/index.html", 2), rootKey: new byte[10]));
    }

    [Test]
    public void Verify_DelegatedCertificate_ValidInRangeInvalidOutside()
    {
        byte[] inRange = DelegatedCertificate(CertifiedData, Principal.CanisterId(0), Principal.CanisterId(100));
        byte[] outside = DelegatedCertificate(CertifiedData, Principal.CanisterId(100), Principal.CanisterId(200));
        Assert.That(Verify(s_index, Assets.Serve("/index.html", 2, inRange, Layout)).IsValid, Is.True);
        AssertInvalid(Verify(s_index, Assets.Serve("/index.html", 2, outside, Layout)), HttpVerificationError.CertificateVerificationFailed, "not in the canister ranges");
    }

    [Test]
    public void Verify_MissingHeaders_HeaderMissingCertification()
    {
        HttpResponse response = Serve("/index.html", 2);
        AssertInvalid(Verify(s_index, WithHeader(response, "ic-certificate", null)), HttpVerificationError.HeaderMissingCertification);
        AssertInvalid(Verify(s_index, WithHeader(response, "ic-certificateexpression", null)), HttpVerificationError.HeaderMissingCertification);
    }

    [Test]
    public void Verify_MalformedCertificateHeader_FailsWithTheVerifiersKinds()
    {
        HttpResponse response = Serve("/index.html", 2);
        AssertInvalid(Verify(s_index, WithCertificateField(response, "certificate", ":not base64!:")), HttpVerificationError.Base64DecodingError);
        AssertInvalid(Verify(s_index, WithCertificateField(response, "tree", ":AAAA:")), HttpVerificationError.CborDecodingFailed);
        AssertInvalid(Verify(s_index, WithCertificateField(response, "certificate", null)), HttpVerificationError.HeaderMissingCertificate);
        AssertInvalid(Verify(s_index, WithCertificateField(response, "tree", null)), HttpVerificationError.HeaderMissingTree);
        AssertInvalid(Verify(s_index, WithCertificateField(response, "version", "two")), HttpVerificationError.ParseIntError);
        AssertInvalid(Verify(s_index, WithCertificateField(response, "version", "3")), HttpVerificationError.UnsupportedVerificationVersion);
        AssertInvalid(Verify(s_index, WithHeader(response, "IC-Certificate", "garbage")), HttpVerificationError.HeaderMissingCertificate);
    }

    [Test]
    public void Verify_V1ResponseWhenV2Required_VersionMismatch()
    {
        AssertInvalid(Verify(HttpRequest.Get("/index.html"), Serve("/index.html", null), minVersion: 2), HttpVerificationError.RequestedVerificationVersionMismatch);
    }

    [Test]
    public void Verify_V1TamperedBody_InvalidResponseBody()
    {
        HttpResponse response = Serve("/index.html", null);
        AssertInvalid(Verify(HttpRequest.Get("/index.html"), response with { Body = new byte[] { 1 } }), HttpVerificationError.InvalidResponseBody);
    }

    [Test]
    public void Verify_V1HeadersUncertified_TamperedHeaderStillValidButCacheControlNotPassedOn()
    {
        HttpResponse response = WithHeader(Serve("/_app/immutable/entry.js", null), "X-Extra", "1");
        HttpVerificationResult result = Verify(HttpRequest.Get("/_app/immutable/entry.js"), response);
        Assert.That(result.IsValid, Is.True, result.ToString());
        Assert.That(result.HeadersToPassOn(response).Select(h => h.Name), Does.Contain("X-Extra").And.No.Contain("Cache-Control"));
    }

    [Test]
    public void Verify_V1UnknownPath_FallsBackToIndexHtml()
    {
        // A witness revealing /index.html and proving /app/route absent: an SPA may answer any route with its index page.
        HashTree v1 = Assets.V1Tree.Witness([["/app/route"], ["/index.html"]]);
        HashTree tree = HashTree.Fork(HashTree.Fork(HashTree.Labeled("http_assets", v1),
            HashTree.Pruned(HashTree.HashLabeledDigest("http_expr"u8, Assets.V2RootHash))), HashTree.Pruned(HashTree.HashLabeledDigest("sig"u8, SignatureMapRoot)));
        string header = IcCertificateHeader.V1(Certificate(CertifiedData), tree).Format();
        var response = new HttpResponse(200, [new("IC-Certificate", header)], IndexHtml);
        Assert.That(Verify(HttpRequest.Get("/app/route"), response).IsValid, Is.True);
        AssertInvalid(Verify(HttpRequest.Get("/app/route"), response with { Body = "<html>other</html>"u8.ToArray() }), HttpVerificationError.InvalidResponseBody);
    }

    [TestCase("gzip")]
    [TestCase("deflate")]
    public void Verify_V1EncodedBody_DecodedBodyHashAccepted(string encoding)
    {
        // A tree certifying the decoded bytes, and a response carrying them encoded.
        byte[] plain = "decoded content"u8.ToArray();
        byte[] encoded = encoding == "gzip" ? Gzip(plain) : Deflate(plain);
        LabeledTree v1 = LabeledTree.Node(("/data", LabeledTree.Leaf(SHA256.HashData(plain))));
        HashTree tree = HashTree.Labeled("http_assets", v1.Witness([["/data"]]));
        byte[] certificate = Certificate(tree.DigestArray());
        var response = new HttpResponse(200, [new("Content-Encoding", encoding), new("IC-Certificate", IcCertificateHeader.V1(certificate, tree).Format())], encoded);
        HttpVerificationResult result = Verify(HttpRequest.Get("/data"), response);
        Assert.That(result.IsValid, Is.True, result.ToString());
        Assert.That(result.Body.ToArray(), Is.EqualTo(encoded), "the body is passed on as sent");
        AssertInvalid(Verify(HttpRequest.Get("/data"), response with { Body = encoding == "gzip" ? Gzip("other"u8.ToArray()) : Deflate("other"u8.ToArray()) }),
            HttpVerificationError.InvalidResponseBody);
        AssertInvalid(Verify(HttpRequest.Get("/data"), response with { Body = "\x1f\x8b not compressed"u8.ToArray() }),
            HttpVerificationError.IoError);
    }

    [Test]
    public void Verify_NoCertificationExpression_ValidButNotCertified()
    {
        CertificationExpression none = CertificationExpression.NoCertification();
        LabeledTree v2 = LabeledTree.Node(("metrics", LabeledTree.Node(("<$>", LabeledTree.Node((none.Hash, LabeledTree.Node((Array.Empty<byte>(), LabeledTree.Node((Array.Empty<byte>(), LabeledTree.Leaf([])))))))))));
        HashTree tree = HashTree.Labeled("http_expr", v2.ToHashTree());
        string header = V2Header(Certificate(tree.DigestArray()), tree, ExpressionPath.Exact("/metrics"));
        var response = new HttpResponse(200, [new("IC-Certificate", header), new(CertificationExpression.HeaderName, none.Text), new("Content-Type", "text/plain")], "m 1"u8.ToArray());
        HttpVerificationResult result = Verify(HttpRequest.Get("/metrics", 2), response);
        Assert.That((result.IsValid, result.IsCertified, result.VerificationVersion), Is.EqualTo((true, false, 2)), result.ToString());
        Assert.That(result.HeadersToPassOn(response), Is.SameAs(response.Headers));
    }

    [Test]
    public void Verify_RequestCertification_RequestHeaderChangeIsDetected()
    {
        CertificationExpression full = CertificationExpression.Full(["Accept-Language"], ["lang"], ResponseHeaderCertification.Certified("Content-Type"));
        var request = new HttpRequest("GET", "/greeting?lang=en&x=1", [new("Accept-Language", "en")], ReadOnlyMemory<byte>.Empty, 2);
        HttpHeaderField[] responseHeaders = [new("Content-Type", "text/plain"), new(CertificationExpression.HeaderName, full.Text)];
        byte[] body = "hello"u8.ToArray();
        Assert.That(RequestHash.TryCompute(request, full, out byte[] requestHash, out _), Is.True);
        byte[] responseHash = ResponseHash.Compute(200, responseHeaders, body, full);
        LabeledTree v2 = LabeledTree.Node(("greeting", LabeledTree.Node(("<$>", LabeledTree.Node((full.Hash, LabeledTree.Node((requestHash, LabeledTree.Node((responseHash, LabeledTree.Leaf([])))))))))));
        HashTree tree = HashTree.Labeled("http_expr", v2.ToHashTree());
        string header = V2Header(Certificate(tree.DigestArray()), tree, ExpressionPath.Exact("/greeting"));
        var response = new HttpResponse(200, [.. responseHeaders, new("IC-Certificate", header), new("X-Uncertified", "1")], body);

        HttpVerificationResult ok = Verify(request, response);
        Assert.That(ok.IsValid, Is.True, ok.ToString());
        Assert.That(ok.Headers.Select(h => h.Name), Is.EqualTo(new[] { "content-type", "ic-certificateexpression", "IC-Certificate" }), "uncertified headers are not passed on");
        AssertInvalid(Verify(request with { Headers = [new("Accept-Language", "de")] }, response), HttpVerificationError.InvalidRequestAndResponseHashes);
        AssertInvalid(Verify(request with { Url = "/greeting?lang=de" }, response), HttpVerificationError.InvalidRequestAndResponseHashes);
        Assert.That(Verify(request with { Url = "/greeting?lang=en&x=2" }, response).IsValid, Is.True, "an uncertified query parameter may change");
    }

    [Test]
    public void Verify_WildcardWhenExactPathExists_Rejected()
    {
        // The 404 answer (root wildcard) offered for a path the tree serves exactly.
        HttpResponse notFound = Serve("/missing", 2);
        HashTree witness = Assets.V2Tree.Witness([["", "<*>"], ["index.html", "<$>"]]);
        HashTree tree = HashTree.Fork(HashTree.Fork(HashTree.Pruned(HashTree.HashLabeledDigest("http_assets"u8, Assets.V1RootHash)), HashTree.Labeled("http_expr", witness)),
            HashTree.Pruned(HashTree.HashLabeledDigest("sig"u8, SignatureMapRoot)));
        string header = V2Header(Certificate(CertifiedData), tree, ExpressionPath.Wildcard("/"));
        AssertInvalid(Verify(s_index, WithHeader(notFound, IcCertificateHeader.Name, header)), HttpVerificationError.ExactExpressionPathMightExistInTree);
    }

    [Test]
    public void Verify_WildcardWithoutAbsenceProof_MoreSpecificMightExist()
    {
        // A 404 witness that proves /about/nope/<$> absent but prunes the neighbours of "<*>" under "about".
        HttpResponse notFound = Serve("/about/nope", 2);
        HashTree full = Assets.V2Tree.Witness([["", "<*>"], ["about", "nope", "<$>"], ["about", "nope", "<*>"], ["about", "", "<*>"]]);
        HashTree tree = HashTree.Fork(HashTree.Fork(HashTree.Pruned(HashTree.HashLabeledDigest("http_assets"u8, Assets.V1RootHash)), HashTree.Labeled("http_expr", full)),
            HashTree.Pruned(HashTree.HashLabeledDigest("sig"u8, SignatureMapRoot)));
        string header = V2Header(Certificate(CertifiedData), tree, ExpressionPath.Wildcard("/"));
        AssertInvalid(Verify(HttpRequest.Get("/about/nope", 2), WithHeader(notFound, IcCertificateHeader.Name, header)),
            HttpVerificationError.MoreSpecificWildcardExpressionMightExistInTree, "\"about\", \"<*>\"");
    }

    [Test]
    public void Verify_MalformedUrl_HttpCertificationError()
    {
        AssertInvalid(Verify(HttpRequest.Get("/%ff", 2), Serve("/index.html", 2)), HttpVerificationError.HttpCertificationError);
    }

    [Test]
    public void Verify_MutatedHeaders_NeverThrow()
    {
        HttpResponse response = Serve("/about/", 2);
        string certificate = response.HeaderValue(IcCertificateHeader.Name)!;
        string expression = response.HeaderValue(CertificationExpression.HeaderName)!;
        var request = HttpRequest.Get("/about/", 2);
        int valid = 0;
        for (int i = 0; i < certificate.Length; i += 7)
        {
            foreach (char c in ",=:A/+ ")
            {
                string mutated = certificate[..i] + c + certificate[(i + 1)..];
                valid += Verify(request, WithHeader(response, IcCertificateHeader.Name, mutated)).IsValid ? 1 : 0;
            }
        }

        for (int i = 0; i < expression.Length; i += 3)
        {
            HttpVerificationResult r = Verify(request, WithHeader(response, CertificationExpression.HeaderName, expression[..i]));
            Assert.That(r.IsValid, Is.False);
        }

        Assert.That(valid, Is.LessThan(certificate.Length / 7), "most mutations must fail");
    }
}
