using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InternetIdentity.Protocol.HttpCertification;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Protocol.Tests.HttpCertification;

public class CertificationExpressionTests
{
    private static readonly JsonElement s_cel = JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("http-certification", "vectors.json"))).RootElement.GetProperty("cel");

    private static string Cel(string name) => s_cel.GetProperty(name).GetString()!;

    [Test]
    public void Builders_ProduceIcHttpCertificationTexts()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CertificationExpression.NoCertification().Text, Is.EqualTo(Cel("no_certification")));
            Assert.That(CertificationExpression.ResponseOnly(ResponseHeaderCertification.Certified("Cache-Control", "ETag", "Content-Length", "Content-Type", "Content-Encoding")).Text,
                Is.EqualTo(Cel("no_request_response_inclusions")));
            Assert.That(CertificationExpression.ResponseOnly(ResponseHeaderCertification.Excluding("Date", "Cookie", "Set-Cookie")).Text,
                Is.EqualTo(Cel("no_request_response_exclusions")));
            Assert.That(CertificationExpression.ResponseOnly(ResponseHeaderCertification.Excluding()).Text, Is.EqualTo(Cel("no_request_empty_response_exclusions")));
            Assert.That(CertificationExpression.Full(["Accept", "Accept-Encoding", "If-Match"], ["foo", "bar", "baz"],
                ResponseHeaderCertification.Certified("Cache-Control", "ETag", "Content-Length", "Content-Type", "Content-Encoding")).Text,
                Is.EqualTo(Cel("include_request_response_header_inclusions")));
        });
    }

    [Test]
    public void InternetIdentityAssets_IsIisTextWithTheSpace_HashIsSha256OfIt()
    {
        CertificationExpression ii = CertificationExpression.InternetIdentityAssets;
        Assert.Multiple(() =>
        {
            Assert.That(ii.Text, Is.EqualTo(Cel("internet_identity_assets")));
            Assert.That(ii.Text, Does.Contain("no_request_certification: Empty{}"));
            Assert.That(ii.Hash, Is.EqualTo(SHA256.HashData(Encoding.UTF8.GetBytes(ii.Text))));
            Assert.That(ii.Hash, Is.Not.EqualTo(CertificationExpression.ResponseOnly(ResponseHeaderCertification.Excluding()).Hash), "the space is hashed");
            Assert.That((ii.IsNoCertification, ii.CertifiesRequest, ii.Response!.IsExclusionList, ii.Response.Headers.Count), Is.EqualTo((false, false, true, 0)));
        });
    }

    [Test]
    public void Parse_BuiltExpressions_ReadBackTheirMeaning()
    {
        CertificationExpression full = CertificationExpression.Parse(Cel("include_request_response_header_inclusions"));
        Assert.Multiple(() =>
        {
            Assert.That(full.CertifiedRequestHeaders, Is.EqualTo(new[] { "Accept", "Accept-Encoding", "If-Match" }));
            Assert.That(full.CertifiedQueryParameters, Is.EqualTo(new[] { "foo", "bar", "baz" }));
            Assert.That(full.Response, Is.EqualTo(ResponseHeaderCertification.Certified("Cache-Control", "ETag", "Content-Length", "Content-Type", "Content-Encoding")).Using<ResponseHeaderCertification>(
                (a, b) => a.IsExclusionList == b.IsExclusionList && a.Headers.SequenceEqual(b.Headers)));
            Assert.That(CertificationExpression.Parse(Cel("no_certification")).IsNoCertification, Is.True);
        });
    }

    [Test]
    public void Parse_WhitespaceAnywhere_SameMeaningButOwnHash()
    {
        const string spaced = """
            default_certification (
              ValidationArgs {
                certification: Certification {
                  no_request_certification: Empty {},
                  response_certification: ResponseCertification {
                    certified_response_headers: ResponseHeaderList { headers: [ "Content-Type" , "ETag" ] }
                  }
                }
              }
            )
            """;
        CertificationExpression e = CertificationExpression.Parse(spaced);
        Assert.That((e.Response!.IsExclusionList, e.Response.Headers), Is.EqualTo((false, (IReadOnlyList<string>)["Content-Type", "ETag"])));
        Assert.That(e.Text, Is.EqualTo(spaced));
        Assert.That(e.Hash, Is.EqualTo(SHA256.HashData(Encoding.UTF8.GetBytes(spaced))));
    }

    [TestCase("default_certification(ValidationArgs{no_certification:Empty{},certification:Certification{}})", "only specify one of the no_certification or certification")]
    [TestCase("default_certification(ValidationArgs{})", "at least one of the no_certification or certification")]
    [TestCase("other_function(ValidationArgs{no_certification:Empty{}})", "to have name \"default_certification\"")]
    [TestCase("default_certification()", "Parameter at position 0")]
    [TestCase("default_certification(Args{no_certification:Empty{}})", "to have name \"ValidationArgs\"")]
    [TestCase("default_certification(ValidationArgs{certification:Certification{response_certification:ResponseCertification{certified_response_headers:ResponseHeaderList{headers:[]}}}})", "at least one of the no_request_certification or request_certification")]
    [TestCase("default_certification(ValidationArgs{certification:Certification{no_request_certification:Empty{}}})", "to have property \"response_certification\"")]
    [TestCase("default_certification(ValidationArgs{certification:Certification{no_request_certification:Empty{},response_certification:ResponseCertification{}}})", "at least one of the certified_response_headers or response_header_exclusions")]
    [TestCase("default_certification(ValidationArgs{certification:Certification{no_request_certification:Empty{},response_certification:ResponseCertification{certified_response_headers:ResponseHeaderList{headers:[\"a b\"]}}}})", "Cel Syntax")]
    [TestCase("default_certification(ValidationArgs{certification:Certification{no_request_certification:Empty{},response_certification:ResponseCertification{certified_response_headers:ResponseHeaderList{headers:[\"a\",]}}}})", "Cel Syntax")]
    [TestCase("default_certification(ValidationArgs{certification:Certification{request_certification:RequestCertification{certified_request_headers:[]},response_certification:ResponseCertification{certified_response_headers:ResponseHeaderList{headers:[]}}}})", "certified_query_parameters")]
    [TestCase("", "Cel Syntax")]
    [TestCase("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "nesting too deep")]
    public void TryParse_NotADefaultCertification_FailsWithReason(string text, string reason)
    {
        Assert.That(CertificationExpression.TryParse(text, out CertificationExpression? e, out string? error), Is.False);
        Assert.That(e, Is.Null);
        Assert.That(error, Does.Contain(reason));
        Assert.Throws<FormatException>(() => CertificationExpression.Parse(text));
    }

    [Test]
    public void Parse_TrailingText_IsIgnoredAsTheVerifiersDo()
    {
        Assert.That(CertificationExpression.Parse(Cel("no_certification") + " trailing {").IsNoCertification, Is.True);
    }

    [TestCase("Content Type")]
    [TestCase("x\"y")]
    [TestCase("under_score")]
    public void Builders_NameTheParserCannotRead_Throw(string name)
    {
        Assert.Throws<ArgumentException>(() => ResponseHeaderCertification.Certified(name));
        Assert.Throws<ArgumentException>(() => CertificationExpression.Full([name], [], ResponseHeaderCertification.Excluding()));
    }
}
