using System.Text;
using System.Text.RegularExpressions;
using InternetIdentity.IdentityCanister.Candid;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using static InternetIdentity.IdentityCanister.Tests.CanisterHarness;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>The Candid interface, metadata, stats, whoami, /metrics and the v2 authentication-method API.</summary>
public class InterfaceTests
{
    [Test]
    public void CandidService_ListsEveryMethodWithItsQueryAnnotation()
    {
        string did = InternetIdentityCanister.CandidService;
        var metadata = new CanisterHarness().Canister.Metadata["candid:service"];
        Assert.That(Encoding.UTF8.GetString(metadata.Content.Span), Is.EqualTo(did));
        Assert.That(metadata.IsPublic, Is.True);
        foreach (Method m in Methods.Table.All.Where(m => !m.Name.StartsWith("__", StringComparison.Ordinal)))
        {
            Match line = Regex.Match(did, $@"^\s*{m.Name} : \(.*\) -> \(.*\)( query)?;\s*$", RegexOptions.Multiline);
            Assert.That(line.Success, Is.True, $"{m.Name} is not in the .did");
            Assert.That(line.Groups[1].Success, Is.EqualTo(m.IsQuery), $"{m.Name} query annotation");
        }
    }

    [Test]
    public void GetCandidInterfaceTmpHack_ReturnsTheDid()
    {
        var h = new CanisterHarness();
        Assert.That(((CandidText)h.Query(Principal.Anonymous, "__get_candid_interface_tmp_hack").Single).Value, Is.EqualTo(InternetIdentityCanister.CandidService));
    }

    [Test]
    public void Stats_AndWhoami()
    {
        var h = new CanisterHarness(captcha: false, range: (127, 200));
        h.Register(Device("a"));
        var stats = (CandidRecord)h.Query(Principal.Anonymous, "stats").Single;
        Assert.That(U64(stats["users_registered"]), Is.EqualTo(1UL));
        Assert.That(stats["assigned_user_number_range"], Is.EqualTo(V.Tuple(V.Nat64(127), V.Nat64(200))));
        Principal me = PrincipalOf(Device("me"));
        Assert.That(((CandidPrincipalValue)h.Query(me, "whoami").Single).Principal.Span.ToArray(), Is.EqualTo(me.Bytes.ToArray()));
    }

    [Test]
    public void HttpRequest_Metrics_PrometheusText_OtherPaths404()
    {
        var h = new CanisterHarness(captcha: false) { Certificate = null };
        h.Register(Device("a"));
        static V Request(string url) => V.Record(("method", V.Text("GET")), ("url", V.Text(url)), ("headers", V.Vec()), ("body", V.Blob([])), ("certificate_version", V.None));
        var response = (CandidRecord)h.Query(Principal.Anonymous, "http_request", Request("/metrics")).Single;
        Assert.That(response["status_code"], Is.EqualTo(V.Nat16(200)));
        string body = Encoding.UTF8.GetString(((CandidBlob)response["body"]).Bytes.Span);
        Assert.That(body, Does.Contain("# TYPE internet_identity_user_count gauge\ninternet_identity_user_count 1 "));
        var missing = (CandidRecord)h.Query(Principal.Anonymous, "http_request", Request("/nope")).Single;
        Assert.That(missing["status_code"], Is.EqualTo(V.Nat16(404)));
    }

    private static V Method(string pubkey, string alias, string purpose = "Authentication") => V.Record(
        ("authn_method", V.Variant("PubKey", V.Record(("pubkey", V.Blob(Encoding.UTF8.GetBytes(pubkey)))))),
        ("security_settings", V.Record(("protection", V.Variant("Unprotected")), ("purpose", V.Variant(purpose)))),
        ("metadata", V.Vec(V.Tuple(V.Text("alias"), V.Variant("String", V.Text(alias))))),
        ("last_authentication", V.None));

    [Test]
    public void AuthnMethods_AddReplaceMetadataSettingsRemove_ThroughV2()
    {
        var h = new CanisterHarness(captcha: false);
        DeviceData d = Device("owner", credentialId: "c");
        ulong anchor = h.Register(d);
        Principal p = PrincipalOf(d);
        static string Case(CallResult r) => ((CandidVariant)r.Single).Label.Id == CandidLabel.Hash("Ok") ? "Ok" : "Err";

        Assert.That(Case(h.Update(p, "authn_method_add", V.Nat64(anchor), Method("second", "phone"))), Is.EqualTo("Ok"));
        Assert.That(Case(h.Update(p, "authn_method_replace", V.Nat64(anchor), V.Blob("second"u8), Method("third", "laptop"))), Is.EqualTo("Ok"));
        Assert.That(Case(h.Update(p, "authn_method_replace", V.Nat64(anchor), V.Blob("missing"u8), Method("fourth", "x"))), Is.EqualTo("Err"));
        Assert.That(Case(h.Update(p, "authn_method_metadata_replace", V.Nat64(anchor), V.Blob("third"u8),
            V.Vec(V.Tuple(V.Text("alias"), V.Variant("String", V.Text("renamed")))))), Is.EqualTo("Ok"));
        Assert.That(Case(h.Update(p, "authn_method_security_settings_replace", V.Nat64(anchor), V.Blob("third"u8),
            V.Record(("protection", V.Variant("Unprotected")), ("purpose", V.Variant("Recovery"))))), Is.EqualTo("Ok"));

        var info = (CandidRecord)((CandidVariant)h.Update(p, "identity_info", V.Nat64(anchor)).Single).Value;
        var methods = ((CandidVec)info["authn_methods"]).Elements.Cast<CandidRecord>().ToList();
        Assert.That(methods, Has.Count.EqualTo(2));
        Assert.That(methods[1]["metadata"].ToString(), Does.Contain("renamed"));

        var authn = (CandidRecord)((CandidVariant)h.Query(Principal.Anonymous, "identity_authn_info", V.Nat64(anchor)).Single).Value;
        Assert.That(((CandidVec)authn["recovery_authn_methods"]).Elements, Has.Count.EqualTo(1));

        Assert.That(Case(h.Update(p, "authn_method_remove", V.Nat64(anchor), V.Blob("third"u8))), Is.EqualTo("Ok"));
        Assert.That(Case(h.Update(p, "authn_method_remove", V.Nat64(anchor), V.Blob("third"u8))), Is.EqualTo("Err"));
    }

    [Test]
    public void IdentityInfo_Stranger_IsUnauthorized()
    {
        var h = new CanisterHarness(captcha: false);
        ulong anchor = h.Register(Device("owner"));
        Principal stranger = PrincipalOf(Device("stranger"));
        var err = (CandidVariant)((CandidVariant)h.Update(stranger, "identity_info", V.Nat64(anchor)).Single).Value;
        Assert.That(err.Label.Id, Is.EqualTo(CandidLabel.Hash("Unauthorized")));
    }

    [Test]
    public void AuthnMethodAdd_ReservedMetadata_IsInvalidMetadata()
    {
        var h = new CanisterHarness(captcha: false);
        DeviceData d = Device("owner");
        ulong anchor = h.Register(d);
        V method = V.Record(
            ("authn_method", V.Variant("PubKey", V.Record(("pubkey", V.Blob("k"u8))))),
            ("security_settings", V.Record(("protection", V.Variant("Unprotected")), ("purpose", V.Variant("Authentication")))),
            ("metadata", V.Vec(V.Tuple(V.Text("key_type"), V.Variant("String", V.Text("x"))))),
            ("last_authentication", V.None));
        var err = (CandidVariant)((CandidVariant)h.Update(PrincipalOf(d), "authn_method_add", V.Nat64(anchor), method).Single).Value;
        Assert.That(err.Label.Id, Is.EqualTo(CandidLabel.Hash("InvalidMetadata")));
    }

    [Test]
    public void Captcha_SameSeed_SamePngBytes_DifferentSeed_Different()
    {
        byte[] a = Captchas.CaptchaImage.RenderPng(new byte[32]);
        byte[] b = Captchas.CaptchaImage.RenderPng(new byte[32]);
        byte[] c = Captchas.CaptchaImage.RenderPng(Enumerable.Repeat((byte)1, 32).ToArray());
        Assert.That(a, Is.EqualTo(b));
        Assert.That(c, Is.Not.EqualTo(a));
        Assert.That(Captchas.CaptchaImage.SolutionOf(new byte[32]), Has.Length.EqualTo(5));
    }

    [Test]
    public void Png_ZlibStream_InflatesToTheScanlines()
    {
        byte[] pixels = Enumerable.Range(0, 160 * 50).Select(i => (byte)i).ToArray();
        byte[] png = Captchas.PngEncoder.EncodeGrayscale(160, 50, pixels);
        // IDAT starts after signature (8) + IHDR chunk (25) + length and type (8).
        int idatLength = (png[33] << 24) | (png[34] << 16) | (png[35] << 8) | png[36];
        using var zlib = new System.IO.Compression.ZLibStream(new MemoryStream(png, 41, idatLength), System.IO.Compression.CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] scanlines = raw.ToArray();
        Assert.That(scanlines, Has.Length.EqualTo(50 * 161));
        Assert.That(scanlines.AsSpan(1, 160).ToArray(), Is.EqualTo(pixels[..160]));
        Assert.That(Captchas.PngEncoder.Crc32("IEND"u8), Is.EqualTo(0xAE426082u));
    }
}
