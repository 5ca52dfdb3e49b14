using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.HttpCertification;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Tests.Support;
using InternetIdentity.TestSupport;
using static InternetIdentity.Protocol.Tests.HttpCertification.HttpFixture;

namespace InternetIdentity.Protocol.Tests.HttpCertification;

/// <summary>
/// Differential tests against <c>@dfinity/response-verification</c> 3.0.3 (tests/js/response-verification.mjs): what
/// <see cref="CertifiedAssets"/> serves with real BLS-signed certificates must be accepted, tampered variants rejected,
/// and <see cref="HttpResponseVerifier"/> must reach the same verdict (and the same error kind) on every case.
/// </summary>
public class ResponseVerificationDifferentialTests
{
    private sealed record Case(string Name, HttpRequest Request, HttpResponse Response, bool ExpectValid, ushort MinVersion = 1, Principal? Canister = null, byte[]? RootKey = null);

    [Test]
    public void NpmVerifier_OnServedAndTamperedResponses_AgreesWithOurs()
    {
        List<Case> cases = Cases();
        var input = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
        {
            ["request"] = new JsonObject
            {
                ["method"] = c.Request.Method,
                ["url"] = c.Request.Url,
                ["headers"] = Headers(c.Request.Headers),
                ["body"] = Convert.ToHexStringLower(c.Request.Body.Span),
                ["certificate_version"] = c.Request.CertificateVersion is { } v ? JsonValue.Create((int)v) : null,
            },
            ["response"] = new JsonObject
            {
                ["status_code"] = c.Response.StatusCode,
                ["headers"] = Headers(c.Response.Headers),
                ["body"] = Convert.ToHexStringLower(c.Response.Body.Span),
            },
            ["canister_id"] = (c.Canister ?? HttpFixture.Canister).ToString(),
            ["now_ns"] = Now.ToString(CultureInfo.InvariantCulture),
            ["max_offset_ns"] = HttpResponseVerifier.DefaultMaxCertificateTimeOffsetNanos.ToString(CultureInfo.InvariantCulture),
            ["root_key"] = Convert.ToHexStringLower(c.RootKey ?? RootKeyDer),
            ["min_version"] = (int)c.MinVersion,
        })]);
        JsonElement[] verdicts = [.. JsonDocument.Parse(NodeScript.Run("response-verification.mjs", input.ToJsonString())).RootElement.EnumerateArray()];
        Assert.That(verdicts, Has.Length.EqualTo(cases.Count));

        Assert.Multiple(() =>
        {
            for (int i = 0; i < cases.Count; i++)
            {
                Case c = cases[i];
                JsonElement npm = verdicts[i];
                HttpVerificationResult ours = Verify(c.Request, c.Response, c.MinVersion, rootKey: c.RootKey, canister: c.Canister);
                bool npmOk = npm.GetProperty("ok").GetBoolean();
                string npmSays = npmOk ? "valid" : $"{npm.Str("code")}: {npm.Str("message")}";
                Assert.That(npmOk, Is.EqualTo(c.ExpectValid), $"{c.Name}: npm says {npmSays}");
                Assert.That(ours.IsValid, Is.EqualTo(npmOk), $"{c.Name}: npm says {npmSays}, we say {ours}");
                if (npmOk && ours.IsValid)
                {
                    Assert.That(ours.VerificationVersion, Is.EqualTo(npm.GetProperty("version").GetInt32()), c.Name);
                    Assert.That(ours.IsCertified, Is.EqualTo(npm.GetProperty("certified").GetBoolean()), c.Name);
                    Assert.That(Convert.ToHexStringLower(ours.Body.Span), Is.EqualTo(npm.Str("body")), c.Name);
                    JsonElement status = npm.GetProperty("status_code");
                    Assert.That(ours.StatusCode, Is.EqualTo(status.ValueKind == JsonValueKind.Null ? null : (ushort?)status.GetInt32()), c.Name);
                    Assert.That(ours.Headers.Select(h => $"{h.Name}: {h.Value}"),
                        Is.EqualTo(npm.GetProperty("headers").EnumerateArray().Select(h => $"{h[0].GetString()}: {h[1].GetString()}")), c.Name);
                }
                else if (!npmOk && !ours.IsValid)
                {
                    Assert.That(ours.Error.ToString(), Is.EqualTo(npm.Str("code")), $"{c.Name}: npm says {npmSays}, we say {ours}");
                }
            }
        });
    }

    private static JsonArray Headers(IEnumerable<HttpHeaderField> headers) => new([.. headers.Select(h => (JsonNode)new JsonArray(h.Name, h.Value))]);

    private static List<Case> Cases()
    {
        var cases = new List<Case>();
        string[] urls = ["/", "/index.html", "/about", "/about/", "/faq/answers.html", "/faq/answers/", "/_app/immutable/entry.js", "/styles/main.css?v=1", "/files/a%20b.txt"];
        foreach (string url in urls)
        {
            cases.Add(new($"v2 {url}", HttpRequest.Get(url, 2), Serve(url, 2), true, MinVersion: 2));
            cases.Add(new($"v1 {url}", HttpRequest.Get(url), Serve(url, null), true));
        }

        foreach (string url in (string[])["/missing", "/about/missing", "/faq/", "/deep/er/path/"])
        {
            cases.Add(new($"404 {url}", HttpRequest.Get(url, 2), Serve(url, 2), true, MinVersion: 2));
        }

        HttpRequest index = HttpRequest.Get("/index.html", 2);
        HttpResponse v2 = Serve("/index.html", 2);
        string B64(params string[] path) => ":" + Convert.ToBase64String(IcCertificateHeader.EncodeExprPath(path)) + ":";
        HashTree witness = Assets.Witness("/index.html", 2, Layout);
        cases.AddRange(
        [
            new("tampered body", index, v2 with { Body = "<html>evil</html>"u8.ToArray() }, false),
            new("tampered content type", index, WithHeader(v2, "Content-Type", "text/plain"), false),
            new("added header", index, WithHeader(v2, "Set-Cookie", "a=b"), false),
            new("removed header", index, WithHeader(v2, "X-Frame-Options", null), false),
            new("tampered status", index, v2 with { StatusCode = 201 }, false),
            new("other expression", index, WithHeader(v2, CertificationExpression.HeaderName, CertificationExpression.ResponseOnly(ResponseHeaderCertification.Excluding()).Text), false),
            new("unparsable expression", index, WithHeader(v2, CertificationExpression.HeaderName, "default_certification(ValidationArgs{})"), false),
            new("response of another path", index, Serve("/about", 2), false),
            new("expr_path prefix", index, WithCertificateField(v2, "expr_path", B64("index.html", "<$>")), false),
            new("expr_path suffix", index, WithCertificateField(v2, "expr_path", B64("http_expr", "index.html")), false),
            new("expr_path wildcard for exact", index, WithCertificateField(v2, "expr_path", B64("http_expr", "", "<*>")), false),
            new("expr_path missing", index, WithCertificateField(v2, "expr_path", null), false),
            new("old certificate", index, Assets.Serve("/index.html", 2, Certificate(CertifiedData, Now - (301UL * 1_000_000_000)), Layout), false),
            new("future certificate", index, Assets.Serve("/index.html", 2, Certificate(CertifiedData, Now + (301UL * 1_000_000_000)), Layout), false),
            new("recent certificate", index, Assets.Serve("/index.html", 2, Certificate(CertifiedData, Now - (299UL * 1_000_000_000)), Layout), true),
            new("wrong canister", index, v2, false, Canister: Principal.CanisterId(1)),
            new("wrong root key", index, v2, false, RootKey: TestCertificates.Der(TestCertificates.Key("another root"))),
            new("certificate of other data", index, WithHeader(v2, IcCertificateHeader.Name, V2Header(Certificate(new byte[32]), witness, ExpressionPath.Exact("/index.html"))), false),
            new("tampered tree", index, WithHeader(v2, IcCertificateHeader.Name,
                V2Header(Certificate(CertifiedData), HashTree.Fork(witness.Left!, HashTree.Pruned(new byte[32])), ExpressionPath.Exact("/index.html"))), false),
            new("tampered signature", index, WithHeader(v2, IcCertificateHeader.Name, V2Header(Flip(Certificate(CertifiedData)), witness, ExpressionPath.Exact("/index.html"))), false),
            new("delegated certificate", index, Assets.Serve("/index.html", 2, DelegatedCertificate(CertifiedData, Principal.CanisterId(0), Principal.CanisterId(100)), Layout), true),
            new("delegated out of range", index, Assets.Serve("/index.html", 2, DelegatedCertificate(CertifiedData, Principal.CanisterId(100), Principal.CanisterId(200)), Layout), false),
            new("no IC-Certificate", index, WithHeader(v2, "IC-Certificate", null), false),
            new("no expression header", index, WithHeader(v2, CertificationExpression.HeaderName, null), false),
            new("bad base64", index, WithCertificateField(v2, "certificate", ":%%%:"), false),
            new("bad cbor", index, WithCertificateField(v2, "tree", ":AAAA:"), false),
            new("no certificate field", index, WithCertificateField(v2, "certificate", null), false),
            new("no tree field", index, WithCertificateField(v2, "tree", null), false),
            new("version 3", index, WithCertificateField(v2, "version", "3"), false),
            new("version not a number", index, WithCertificateField(v2, "version", "x"), false),
            new("v1 when v2 required", HttpRequest.Get("/index.html"), Serve("/index.html", null), false, MinVersion: 2),
            new("v1 tampered body", HttpRequest.Get("/index.html"), Serve("/index.html", null) with { Body = new byte[] { 1, 2 } }, false),
            new("v1 tampered header", HttpRequest.Get("/index.html"), WithHeader(Serve("/index.html", null), "Content-Type", "text/plain"), true),
            new("malformed url", HttpRequest.Get("/%ff", 2), v2, false),
            new("404 offered for a served path", index, Serve("/missing", 2), false),
        ]);
        cases.AddRange(V1Cases());
        cases.AddRange(HandBuiltV2Cases());
        return cases;
    }

    private static byte[] Flip(byte[] bytes)
    {
        bytes[^5] ^= 1;
        return bytes;
    }

    private static IEnumerable<Case> V1Cases()
    {
        HashTree fallback = HashTree.Fork(HashTree.Fork(HashTree.Labeled("http_assets", Assets.V1Tree.Witness([["/app/route"], ["/index.html"]])),
            HashTree.Pruned(HashTree.HashLabeledDigest("http_expr"u8, Assets.V2RootHash))), HashTree.Pruned(HashTree.HashLabeledDigest("sig"u8, SignatureMapRoot)));
        var spa = new HttpResponse(200, [new("IC-Certificate", IcCertificateHeader.V1(Certificate(CertifiedData), fallback).Format())], IndexHtml);
        yield return new("v1 index fallback", HttpRequest.Get("/app/route"), spa, true);
        yield return new("v1 index fallback tampered", HttpRequest.Get("/app/route"), spa with { Body = "x"u8.ToArray() }, false);

        byte[] plain = "decoded content"u8.ToArray();
        HashTree tree = HashTree.Labeled("http_assets", LabeledTree.Node(("/data", LabeledTree.Leaf(SHA256.HashData(plain)))).ToHashTree());
        string header = IcCertificateHeader.V1(Certificate(tree.DigestArray()), tree).Format();
        foreach ((string encoding, byte[] body) in new[] { ("gzip", Gzip(plain)), ("deflate", Deflate(plain)) })
        {
            var response = new HttpResponse(200, [new("Content-Encoding", encoding), new("IC-Certificate", header)], body);
            yield return new($"v1 {encoding}", HttpRequest.Get("/data"), response, true);
            yield return new($"v1 {encoding} other content", HttpRequest.Get("/data"), response with { Body = encoding == "gzip" ? Gzip("other"u8.ToArray()) : Deflate("other"u8.ToArray()) }, false);
            yield return new($"v1 {encoding} not encoded", HttpRequest.Get("/data"), response with { Body = "\x01\x02 not compressed"u8.ToArray() }, false);
        }
    }

    private static IEnumerable<Case> HandBuiltV2Cases()
    {
        // no_certification for /metrics.
        CertificationExpression none = CertificationExpression.NoCertification();
        LabeledTree skip = LabeledTree.Node(("metrics", LabeledTree.Node(("<$>", LabeledTree.Node((none.Hash, LabeledTree.Node((Array.Empty<byte>(), LabeledTree.Node((Array.Empty<byte>(), LabeledTree.Leaf([])))))))))));
        HashTree skipTree = HashTree.Labeled("http_expr", skip.ToHashTree());
        yield return new("no_certification", HttpRequest.Get("/metrics", 2), new HttpResponse(200,
            [new("IC-Certificate", V2Header(Certificate(skipTree.DigestArray()), skipTree, ExpressionPath.Exact("/metrics"))), new(CertificationExpression.HeaderName, none.Text)], "m 1"u8.ToArray()), true);

        // Request certification.
        CertificationExpression full = CertificationExpression.Full(["Accept-Language"], ["lang"], ResponseHeaderCertification.Certified("Content-Type"));
        var request = new HttpRequest("GET", "/greeting?lang=en&x=1", [new("Accept-Language", "en")], ReadOnlyMemory<byte>.Empty, 2);
        HttpHeaderField[] headers = [new("Content-Type", "text/plain"), new(CertificationExpression.HeaderName, full.Text)];
        byte[] body = "hello"u8.ToArray();
        Assert.That(RequestHash.TryCompute(request, full, out byte[] requestHash, out _), Is.True);
        byte[] responseHash = ResponseHash.Compute(200, headers, body, full);
        HashTree tree = HashTree.Labeled("http_expr", LabeledTree.Node(("greeting", LabeledTree.Node(("<$>", LabeledTree.Node((full.Hash,
            LabeledTree.Node((requestHash, LabeledTree.Node((responseHash, LabeledTree.Leaf([]))))))))))).ToHashTree());
        var response = new HttpResponse(200, [.. headers, new("IC-Certificate", V2Header(Certificate(tree.DigestArray()), tree, ExpressionPath.Exact("/greeting"))), new("X-Uncertified", "1")], body);
        yield return new("request certification", request, response, true);
        yield return new("request certification other header", request with { Headers = [new("Accept-Language", "de")] }, response, false);
        yield return new("request certification other query", request with { Url = "/greeting?lang=de" }, response, false);
        yield return new("request certification uncertified query", request with { Url = "/greeting?x=2&lang=en" }, response, true);
        yield return new("request certification other method", request with { Method = "POST" }, response, false);

        // A root-wildcard answer whose witness leaves a more specific wildcard unknown.
        HashTree partial = Assets.V2Tree.Witness([["", "<*>"], ["about", "nope", "<$>"], ["about", "nope", "<*>"], ["about", "", "<*>"]]);
        HashTree partialTree = HashTree.Fork(HashTree.Fork(HashTree.Pruned(HashTree.HashLabeledDigest("http_assets"u8, Assets.V1RootHash)), HashTree.Labeled("http_expr", partial)),
            HashTree.Pruned(HashTree.HashLabeledDigest("sig"u8, SignatureMapRoot)));
        yield return new("more specific wildcard unknown", HttpRequest.Get("/about/nope", 2),
            WithHeader(Serve("/about/nope", 2), IcCertificateHeader.Name, V2Header(Certificate(CertifiedData), partialTree, ExpressionPath.Wildcard("/"))), false);
    }
}
