using System.IO.Compression;
using System.Text;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.HttpCertification;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Tests.Support;
using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.Protocol.Tests.HttpCertification;

/// <summary>
/// A certified asset set like II's (shared security headers, an index page, a nested page, a gzipped script), a
/// canister with II's certified-data layout (a <c>sig</c> subtree next to the assets) and real BLS-signed certificates.
/// </summary>
internal static class HttpFixture
{
    public const ulong Now = 1_750_000_000_000_000_000;
    public static readonly Principal Canister = Principal.Parse("rdmx6-jaaaa-aaaaa-aaadq-cai");
    public static readonly SecretKey RootKey = TestCertificates.Key("http root");
    public static readonly byte[] RootKeyDer = TestCertificates.Der(RootKey);
    public static readonly byte[] SignatureMapRoot = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
    public static readonly byte[] IndexHtml = Encoding.UTF8.GetBytes("<!doctype html><html><head><title>Internet Identity</title></head><body></body></html>");
    public static readonly byte[] Script = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("console.log('internet identity');\n", 40)));

    public static readonly HttpHeaderField[] SecurityHeaders =
    [
        new("X-Frame-Options", "DENY"),
        new("X-Content-Type-Options", "nosniff"),
        new("Content-Security-Policy", "default-src 'none'; script-src 'self' 'unsafe-eval'; frame-ancestors 'none';"),
        new("Strict-Transport-Security", "max-age=31536000 ; includeSubDomains"),
        new("Referrer-Policy", "same-origin"),
    ];

    public static readonly HttpAsset[] AssetList =
    [
        HttpAsset.FromFile("index.html", IndexHtml),
        HttpAsset.FromFile("about/index.html", Encoding.UTF8.GetBytes("<html>about</html>")),
        HttpAsset.FromFile("faq/answers.html", Encoding.UTF8.GetBytes("<html>answers</html>")),
        HttpAsset.FromFile("_app/immutable/entry.js.gz", Gzip(Script), [new("Cache-Control", "public, max-age=31536000")]),
        HttpAsset.FromFile("styles/main.css", Encoding.UTF8.GetBytes("body { color: black; }")),
        HttpAsset.FromFile("files/a b.txt", Encoding.UTF8.GetBytes("a file with a space")),
        HttpAsset.FromFile(".well-known/ic-domains", Encoding.UTF8.GetBytes("identity.example.org")),
    ];

    public static readonly CertifiedAssets Assets = new(AssetList, SecurityHeaders);

    /// <summary>II's layout: fork(fork(http_assets, http_expr), labeled sig).</summary>
    public static readonly CertifiedTreeLayout Layout = CertifiedTreeLayout.AssetsWith("sig", SignatureMapRoot);

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A certificate whose state holds <paramref name="certifiedData"/> for the canister and the time, signed by the root key.</summary>
    public static byte[] Certificate(byte[] certifiedData, ulong time = Now, SecretKey? key = null, Principal? canister = null) =>
        TestCertificates.Sign(key ?? RootKey, State(certifiedData, time, canister ?? Canister).ToHashTree()).Encode();

    /// <summary>The same state signed by a subnet key that the root key delegated canister ids [low, high] to.</summary>
    public static byte[] DelegatedCertificate(byte[] certifiedData, Principal low, Principal high, ulong time = Now)
    {
        SecretKey subnetKey = TestCertificates.Key("http subnet");
        Principal subnet = Principal.SelfAuthenticating(TestCertificates.Der(subnetKey));
        CertificateDelegation delegation = TestCertificates.Delegation(RootKey, subnetKey, subnet, low, high);
        return TestCertificates.Sign(subnetKey, State(certifiedData, time, Canister).ToHashTree(), delegation).Encode();
    }

    public static byte[] CertifiedData => Assets.CertifiedData(Layout);

    /// <summary>What the canister answers to a GET of <paramref name="url"/>.</summary>
    public static HttpResponse Serve(string url, ushort? version) => Assets.Serve(url, version, Certificate(CertifiedData), Layout);

    public static HttpVerificationResult Verify(HttpRequest request, HttpResponse response, ushort minVersion = 1, ulong now = Now, byte[]? rootKey = null, Principal? canister = null) =>
        HttpResponseVerifier.Verify(request, response, canister ?? Canister, now, HttpResponseVerifier.DefaultMaxCertificateTimeOffsetNanos, rootKey ?? RootKeyDer, minVersion);

    /// <summary>The response with the headers named replaced (or appended) by the given values.</summary>
    public static HttpResponse WithHeader(HttpResponse response, string name, string? value)
    {
        List<HttpHeaderField> headers = [.. response.Headers.Where(h => !string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))];
        if (value is not null)
        {
            headers.Add(new HttpHeaderField(name, value));
        }

        return response with { Headers = headers };
    }

    /// <summary>A copy of the IC-Certificate header with one field's value replaced.</summary>
    public static HttpResponse WithCertificateField(HttpResponse response, string field, string? value)
    {
        string header = response.HeaderValue(IcCertificateHeader.Name)!;
        IEnumerable<string> fields = header.Split(", ").Where(f => !f.StartsWith(field + "=", StringComparison.Ordinal));
        if (value is not null)
        {
            fields = fields.Append($"{field}={value}");
        }

        return WithHeader(response, IcCertificateHeader.Name, string.Join(", ", fields));
    }

    /// <summary>A v2 IC-Certificate header value built from parts.</summary>
    public static string V2Header(byte[] certificate, HashTree tree, IReadOnlyList<string> exprPath) =>
        IcCertificateHeader.V2(certificate, tree, exprPath).Format();

    private static LabeledTree State(byte[] certifiedData, ulong time, Principal canister) => LabeledTree.Node(
        ("canister", LabeledTree.Node((canister, LabeledTree.Node(("certified_data", LabeledTree.Leaf(certifiedData)))))),
        ("time", TestCertificates.Time(time)));
}
