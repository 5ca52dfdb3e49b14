using System.Text;
using System.Text.RegularExpressions;
using InternetIdentity.IdentityCanister.Candid;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.HttpCertification;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Tests.Support;
using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>II serves its web frontend from http_request, certified so that a verifying gateway accepts it.</summary>
public class FrontendServingTests
{
    private static readonly SecretKey RootKey = TestCertificates.Key("ii frontend");

    [OneTimeTearDown]
    public void DisposeKey() => RootKey.Dispose();

    // A certificate of the canister's current certified data, as a query sees it.
    private static byte[] CertificateFor(CanisterHarness h) =>
        TestCertificates.Sign(RootKey, LabeledTree.Node(
            ("canister", LabeledTree.Node((h.Canister.CanisterId.Bytes.ToArray(), LabeledTree.Node(("certified_data", LabeledTree.Leaf(h.Canister.CertifiedData)))))),
            ("time", LabeledTree.Leaf(Leb128.EncodeUnsigned(h.Now)))).ToHashTree()).Encode();

    private static (HttpRequest, HttpResponse) Get(CanisterHarness h, string url, ushort? version = 2)
    {
        h.Certificate = CertificateFor(h);
        var request = new HttpRequest("GET", url, [], ReadOnlyMemory<byte>.Empty, version);
        CandidValue reply = h.Query(Principal.Anonymous, "http_request", CanisterHttpInterface.ToCandid(request)).Single;
        return (request, CanisterHttpInterface.DecodeResponse(CandidEncoder.Encode(CanisterHttpInterface.HttpResponseType, reply)));
    }

    private static HttpVerificationResult Verify(CanisterHarness h, HttpRequest request, HttpResponse response) =>
        HttpResponseVerifier.Verify(request, response, h.Canister.CanisterId, h.Now, HttpResponseVerifier.DefaultMaxCertificateTimeOffsetNanos,
            TestCertificates.Der(RootKey), 1);

    [TestCase("/", 2)]
    [TestCase("/index.html", 2)]
    [TestCase("/authorize", 2)]
    [TestCase("/index.js", 2)]
    [TestCase("/index.css", 1)]
    [TestCase("/favicon.ico", null)]
    public void HttpRequest_Asset_VerifiesAgainstTheCertifiedData(string url, int? version)
    {
        var h = new CanisterHarness(captcha: false);
        (HttpRequest request, HttpResponse response) = Get(h, url, (ushort?)version);
        Assert.That(response.StatusCode, Is.EqualTo(200));
        HttpVerificationResult verified = Verify(h, request, response);
        Assert.That(verified.IsValid, Is.True, verified.ToString());
        Assert.That(verified.VerificationVersion, Is.EqualTo(version is >= 2 ? 2 : 1));
    }

    [Test]
    public void HttpRequest_AfterADelegation_AssetsStillVerify()
    {
        // prepare_delegation changes the signature map, so the certified data changes with it; the assets' witness follows.
        var h = new CanisterHarness(captcha: false);
        byte[] before = h.Canister.CertifiedData;
        var device = CanisterHarness.Device("frontend device");
        ulong anchor = h.Register(device);
        h.Update(CanisterHarness.PrincipalOf(device), "prepare_delegation", CandidValue.Nat64(anchor), CandidValue.Text("https://dapp.example"),
            CandidValue.Blob([1, 2, 3]), CandidValue.None);
        Assert.That(h.Canister.CertifiedData, Is.Not.EqualTo(before));
        (HttpRequest request, HttpResponse response) = Get(h, "/");
        Assert.That(Verify(h, request, response).IsValid, Is.True);
    }

    [Test]
    public void HttpRequest_Html_CarriesCanisterIdConfigAndSecurityHeaders()
    {
        var h = new CanisterHarness(captcha: true, dummyAuth: true);
        (_, HttpResponse response) = Get(h, "/");
        string html = Encoding.UTF8.GetString(response.Body.Span);
        Assert.That(html, Does.Contain("<title>Internet Identity</title>"));
        Assert.That(html, Does.Contain($"<body data-canister-id=\"{CanisterHarness.IiCanisterId}\" data-canister-config=\""));
        string config = Regex.Match(html, "data-canister-config=\"([^\"]+)\"").Groups[1].Value;
        var init = (CandidRecord)CandidDecoder.Decode(Convert.FromBase64String(config), [DidTypes.InternetIdentityInit])[0];
        Assert.That(((CandidOpt)init["dummy_auth"]).HasValue, Is.True);
        Assert.That(response.HeaderValue("Content-Type"), Is.EqualTo("text/html"));
        Assert.That(response.HeaderValue("X-Frame-Options"), Is.EqualTo("DENY"));
        string csp = response.HeaderValue("Content-Security-Policy")!;
        Assert.That(csp, Does.Contain("'sha384-").And.Contain("connect-src 'self' https: http:"));
    }

    [Test]
    public void HttpRequest_OtherCanisterId_OtherHtmlAndRoot()
    {
        var a = new CanisterHarness(captcha: false);
        var b = new CanisterHarness(captcha: true);
        Assert.That(a.Canister.Assets.RootHash, Is.Not.EqualTo(b.Canister.Assets.RootHash), "the configuration is in the HTML");
        Assert.That(new CanisterHarness(captcha: false).Canister.Assets.RootHash, Is.EqualTo(a.Canister.Assets.RootHash), "same bytes on every replica");
    }

    [Test]
    public void NpmResponseVerification_EveryFrontendAsset_AcceptedAndTamperedRefused()
    {
        // Every URL II serves, v1 and v2, through @dfinity/response-verification 3.0.3 (what boundary nodes run).
        var h = new CanisterHarness(captcha: false, dummyAuth: true);
        var cases = new List<(HttpRequest Request, HttpResponse Response, bool Valid)>();
        foreach (string url in h.Canister.Assets.UrlPaths)
        {
            foreach (ushort? version in new ushort?[] { 2, null })
            {
                (HttpRequest request, HttpResponse response) = Get(h, url, version);
                cases.Add((request, response, true));
            }
        }

        (HttpRequest r, HttpResponse served) = Get(h, "/index.js");
        cases.Add((r, served with { Body = Encoding.UTF8.GetBytes("alert('x')") }, false));
        var input = new System.Text.Json.Nodes.JsonArray([.. cases.Select(c => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
        {
            ["request"] = new System.Text.Json.Nodes.JsonObject
            {
                ["method"] = c.Request.Method, ["url"] = c.Request.Url, ["headers"] = new System.Text.Json.Nodes.JsonArray(), ["body"] = "",
                ["certificate_version"] = c.Request.CertificateVersion is { } v ? System.Text.Json.Nodes.JsonValue.Create((int)v) : null,
            },
            ["response"] = new System.Text.Json.Nodes.JsonObject
            {
                ["status_code"] = c.Response.StatusCode,
                ["headers"] = new System.Text.Json.Nodes.JsonArray([.. c.Response.Headers.Select(x => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonArray(x.Name, x.Value))]),
                ["body"] = Convert.ToHexStringLower(c.Response.Body.Span),
            },
            ["canister_id"] = h.Canister.CanisterId.ToString(),
            ["now_ns"] = h.Now.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["max_offset_ns"] = HttpResponseVerifier.DefaultMaxCertificateTimeOffsetNanos.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["root_key"] = Convert.ToHexStringLower(TestCertificates.Der(RootKey)),
            ["min_version"] = 1,
        })]);
        var verdicts = System.Text.Json.JsonDocument.Parse(InternetIdentity.TestSupport.NodeScript.Run("response-verification.mjs", input.ToJsonString()))
            .RootElement.EnumerateArray().ToArray();
        Assert.That(verdicts, Has.Length.EqualTo(cases.Count));
        Assert.Multiple(() =>
        {
            for (int i = 0; i < cases.Count; i++)
            {
                Assert.That(verdicts[i].GetProperty("ok").GetBoolean(), Is.EqualTo(cases[i].Valid),
                    $"{cases[i].Request.Url} (v{cases[i].Request.CertificateVersion}): {verdicts[i]}");
            }
        });
    }

    [Test]
    public void HttpRequest_TamperedAsset_DoesNotVerify()
    {
        var h = new CanisterHarness(captcha: false);
        (HttpRequest request, HttpResponse response) = Get(h, "/index.js");
        HttpResponse tampered = response with { Body = Encoding.UTF8.GetBytes("alert('x')") };
        Assert.That(Verify(h, request, tampered).IsValid, Is.False);
    }

    [Test]
    public void HttpRequest_UnknownPath_IsCertified404()
    {
        var h = new CanisterHarness(captcha: false);
        (HttpRequest request, HttpResponse response) = Get(h, "/no-such-page");
        Assert.That(response.StatusCode, Is.EqualTo(404));
        Assert.That(Verify(h, request, response).IsValid, Is.True);
    }
}
