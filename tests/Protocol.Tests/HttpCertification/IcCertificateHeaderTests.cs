using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.HttpCertification;
using static InternetIdentity.Protocol.Tests.HttpCertification.HttpFixture;

namespace InternetIdentity.Protocol.Tests.HttpCertification;

public class IcCertificateHeaderTests
{
    private static readonly byte[] s_certificate = Certificate(CertifiedData);
    private static readonly HashTree s_tree = Assets.Witness("/", 2, Layout);
    private static readonly string s_certificateB64 = Convert.ToBase64String(s_certificate);
    private static readonly string s_treeB64 = Convert.ToBase64String(s_tree.Encode(selfDescribe: true));

    [Test]
    public void Format_V2_IisFieldOrderAndSelfDescribingCbor()
    {
        string header = IcCertificateHeader.V2(s_certificate, s_tree, ["http_expr", "", "<$>"]).Format();
        string exprPath = Convert.ToBase64String(IcCertificateHeader.EncodeExprPath(["http_expr", "", "<$>"]));
        Assert.That(header, Is.EqualTo($"certificate=:{s_certificateB64}:, tree=:{s_treeB64}:, expr_path=:{exprPath}:, version=2"));
        Assert.That(Convert.FromBase64String(exprPath)[..3], Is.EqualTo(new byte[] { 0xd9, 0xd9, 0xf7 }));
        Assert.That(IcCertificateHeader.V1(s_certificate, s_tree).Format(), Is.EqualTo($"certificate=:{s_certificateB64}:, tree=:{s_treeB64}:"));
    }

    [Test]
    public void TryParse_Formatted_RoundTrips()
    {
        string header = IcCertificateHeader.V2(s_certificate, s_tree, ["http_expr", "a", "<*>"]).Format();
        Assert.That(IcCertificateHeader.TryParse(header, out IcCertificateHeader? parsed, out string? error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(parsed!.CertificateBytes.ToArray(), Is.EqualTo(s_certificate));
            Assert.That(parsed.Tree.Digest.ToArray(), Is.EqualTo(s_tree.Digest.ToArray()));
            Assert.That(parsed.ExprPath, Is.EqualTo(new[] { "http_expr", "a", "<*>" }));
            Assert.That(parsed.Version, Is.EqualTo(2));
        });
    }

    [Test]
    public void TryParse_TolerantForms_ReadAsTheVerifiersDo()
    {
        string unpadded = s_treeB64.TrimEnd('=');
        string header = $"  version=2 ,tree={unpadded},unknown=:x:, certificate=:{s_certificateB64}:, tree=:AAAA:, broken, =x, version=";
        Assert.That(IcCertificateHeader.TryParse(header, out IcCertificateHeader? parsed, out string? error), Is.True, error);
        Assert.That(parsed!.Tree.Digest.ToArray(), Is.EqualTo(s_tree.Digest.ToArray()), "the first tree field wins, padding optional");
        Assert.That((parsed.Version, parsed.ExprPath), Is.EqualTo((2, (IReadOnlyList<string>?)null)));

        Assert.That(IcCertificateHeader.TryParse($"certificate=:{s_certificateB64}:,tree=:{s_treeB64}:", out parsed, out _), Is.True);
        Assert.That(parsed!.Version, Is.EqualTo(1), "a missing version is 1");
    }

    [TestCase("certificate=:{0}:", "Tree not found")]
    [TestCase("tree=:{1}:", "Certificate not found")]
    [TestCase("certificate=:{0}:, tree=:{1}:, version=256", "Error parsing int")]
    [TestCase("certificate=:{0}x:, tree=:{1}:", "Base64")]
    [TestCase("certificate=:{1}:, tree=:{1}:", "CBOR decoding failed")]
    [TestCase("certificate=:{0}:, tree=:{1}:, expr_path=:oWFhYWI=:", "CBOR decoding failed")]
    public void TryParse_Malformed_FailsWithReason(string format, string reason)
    {
        string header = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, s_certificateB64, s_treeB64);
        Assert.That(IcCertificateHeader.TryParse(header, out IcCertificateHeader? parsed, out string? error), Is.False);
        Assert.That(parsed, Is.Null);
        Assert.That(error, Does.Contain(reason));
    }
}
