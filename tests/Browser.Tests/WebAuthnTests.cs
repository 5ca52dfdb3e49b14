using System.Security.Cryptography;
using System.Text.Json;
using InternetIdentity.Browser.Tests.Support;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.TestSupport;
using Microsoft.Playwright;

namespace InternetIdentity.Browser.Tests;

/// <summary>
/// Passkeys in headless Chromium with a CDP virtual authenticator, on a page at <c>http://&lt;name&gt;.localhost:&lt;port&gt;/</c>
/// served by an in-test server: the key is wrapped as II wraps it, the assertion signs an II frontend delegation, and
/// our Protocol verifiers accept it as the IC does (and refuse it tampered). A refusing authenticator rejects promptly.
/// </summary>
[TestFixture]
public sealed class WebAuthnTests : ChromiumTest
{
    /// <summary>The II canister, target of II's own frontend delegation.</summary>
    private static readonly Principal s_ii = Principal.Parse("rdmx6-jaaaa-aaaaa-aaadq-cai");

    private TestWebServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await TestWebServer.StartAsync(Path.Combine(AppContext.BaseDirectory, "Pages"));

    [OneTimeTearDown]
    public async Task StopServerAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Assertion_VirtualPasskeySignsIiDelegation_VerifiesAsIcWebAuthnSignature()
    {
        await OpenCeremonyAsync(Page, "passkey-test");
        VirtualAuthenticator authenticator = await VirtualAuthenticator.AddAsync(Page);
        Passkey passkey = await CreatePasskeyAsync(Page);
        (Delegation delegation, _) = FrontendDelegation();

        JsonElement assertion = await SignAsync(Page, passkey, delegation.SignedMessage());
        byte[] signature = IcSignature(assertion);

        Assert.Multiple(() =>
        {
            // II's wrapping of a P-256 COSE key (spec: 305e300c060a2b0601040183b8430101034e00 then the 77-byte COSE map).
            Assert.That(Convert.ToHexStringLower(passkey.Der), Does.StartWith("305e300c060a2b0601040183b8430101034e00"));
            Assert.That(DerPublicKey.Parse(passkey.Der).Scheme, Is.EqualTo(PublicKeyScheme.WebAuthnEcdsaP256));
            Assert.That(passkey.Attachment, Is.EqualTo("cross-platform"), "a usb authenticator (II names it 'FIDO Passkey')");
            Assert.That(SignatureVerifier.Verify(passkey.Der, delegation.SignedMessage(), signature), Is.EqualTo(VerificationResult.Valid));

            // The client data the IC ignores but a reader expects: a get ceremony from this page's origin.
            using JsonDocument clientData = JsonDocument.Parse(Convert.FromBase64String(assertion.GetProperty("clientDataJSON").GetString()!));
            Assert.That(clientData.RootElement.GetProperty("type").GetString(), Is.EqualTo("webauthn.get"));
            Assert.That(clientData.RootElement.GetProperty("origin").GetString(), Is.EqualTo(_server.Url("passkey-test").GetLeftPart(UriPartial.Authority)));
        });

        // The passkey as a sender key: the delegation chain it starts is valid for II, as the gateway checks it.
        VerificationResult chain = DelegationChainVerifier.Verify(passkey.Der, [new SignedDelegation(delegation, signature)],
            delegation.Expiration - 1, s_ii, default, out byte[] effectiveKey);
        Assert.That(chain, Is.EqualTo(VerificationResult.Valid));
        Assert.That(effectiveKey, Is.EqualTo(delegation.PublicKey));
        Assert.That((await authenticator.GetCredentialsAsync()).Single().RpId, Is.EqualTo("passkey-test.localhost"));
    }

    [Test]
    public async Task Assertion_Tampered_IsRefused()
    {
        await OpenCeremonyAsync(Page, "tamper-test");
        await VirtualAuthenticator.AddAsync(Page);
        Passkey passkey = await CreatePasskeyAsync(Page);
        (Delegation delegation, _) = FrontendDelegation();
        JsonElement assertion = await SignAsync(Page, passkey, delegation.SignedMessage());
        byte[] authenticatorData = Convert.FromBase64String(assertion.GetProperty("authenticatorData").GetString()!);
        byte[] clientData = Convert.FromBase64String(assertion.GetProperty("clientDataJSON").GetString()!);
        byte[] ecdsa = Convert.FromBase64String(assertion.GetProperty("signature").GetString()!);

        byte[] badSignature = (byte[])ecdsa.Clone();
        badSignature[^1] ^= 0x01;
        byte[] badAuthenticatorData = (byte[])authenticatorData.Clone();
        badAuthenticatorData[33] ^= 0x01; // the signature counter
        Delegation longer = delegation with { Expiration = delegation.Expiration + 1 };

        Assert.Multiple(() =>
        {
            Assert.That(SignatureVerifier.Verify(passkey.Der, delegation.SignedMessage(), IiWebAuthn.Signature(authenticatorData, clientData, badSignature)).Reason,
                Is.EqualTo("invalid WebAuthn signature"));
            Assert.That(SignatureVerifier.Verify(passkey.Der, delegation.SignedMessage(), IiWebAuthn.Signature(badAuthenticatorData, clientData, ecdsa)).Reason,
                Is.EqualTo("invalid WebAuthn signature"));
            // A valid assertion over another delegation: the challenge gives it away.
            Assert.That(SignatureVerifier.Verify(passkey.Der, longer.SignedMessage(), IiWebAuthn.Signature(authenticatorData, clientData, ecdsa)).Reason,
                Is.EqualTo("WebAuthn challenge does not match the signed message"));
            Assert.That(DelegationChainVerifier.Verify(passkey.Der, [new SignedDelegation(longer, IcSignature(assertion))], 0, s_ii, default, out _).IsValid,
                Is.False);
        });

        // Another passkey's key does not verify this one's assertion.
        Passkey other = await CreatePasskeyAsync(Page);
        Assert.That(SignatureVerifier.Verify(other.Der, delegation.SignedMessage(), IcSignature(assertion)).Reason, Is.EqualTo("invalid WebAuthn signature"));
    }

    [Test]
    public async Task Assertion_CredentialsCopiedToAnotherPage_SignThere()
    {
        await OpenCeremonyAsync(Page, "copy-test");
        VirtualAuthenticator first = await VirtualAuthenticator.AddAsync(Page);
        Passkey passkey = await CreatePasskeyAsync(Page);
        IPage second = await Context.NewPageAsync();
        await OpenCeremonyAsync(second, "copy-test");
        VirtualAuthenticator secondAuthenticator = await VirtualAuthenticator.AddAsync(second);

        Assert.That(await first.CopyCredentialsToAsync(secondAuthenticator), Is.EqualTo(1));
        byte[] message = FrontendDelegation().Delegation.SignedMessage();
        JsonElement assertion = await SignAsync(second, passkey, message);

        Assert.That(SignatureVerifier.Verify(passkey.Der, message, IcSignature(assertion)), Is.EqualTo(VerificationResult.Valid));
    }

    [Test]
    public async Task Assertion_AuthenticatorRefuses_PageGetsNotAllowedErrorPromptly()
    {
        await OpenCeremonyAsync(Page, "refuse-test");
        VirtualAuthenticator authenticator = await VirtualAuthenticator.AddAsync(Page);
        Passkey passkey = await CreatePasskeyAsync(Page);
        await authenticator.RefuseAsync();

        // The page's own timeout is 10 s; the bound of 8 s shows the refusal does not merely run out the clock.
        JsonElement result = await Bounded.WaitAsync(Ceremony(Page, "signChallenge", passkey.RawId, Convert.ToBase64String(new byte[32])),
            "navigator.credentials.get on a refusing authenticator to settle", TimeSpan.FromSeconds(8));

        Assert.That(result.TryGetProperty("error", out JsonElement error), Is.True, $"the assertion succeeded: {result}");
        Assert.That(error.GetString(), Is.EqualTo("NotAllowedError"), result.ToString());
        Assert.That(await Page.Locator("#status").TextContentAsync(), Does.StartWith("NotAllowedError"));
    }

    [Test]
    public async Task Ceremonies_UserVerificationFails_PageGetsNotAllowedErrorEvenWhenOnlyPreferred()
    {
        await OpenCeremonyAsync(Page, "uv-test");
        VirtualAuthenticator authenticator = await VirtualAuthenticator.AddAsync(Page);
        Passkey passkey = await CreatePasskeyAsync(Page);
        await authenticator.SetUserVerifiedAsync(false);

        // II asks for "preferred"; an authenticator able to verify the user does so, and a failed check refuses.
        JsonElement required = await Ceremony(Page, "signChallenge", passkey.RawId, Convert.ToBase64String(new byte[32]), new { userVerification = "required" });
        JsonElement preferred = await Ceremony(Page, "signChallenge", passkey.RawId, Convert.ToBase64String(new byte[32]), new { userVerification = "preferred" });
        JsonElement create = await Ceremony(Page, "createPasskey", new { userVerification = "preferred" });

        Assert.Multiple(() =>
        {
            Assert.That(required.TryGetProperty("error", out JsonElement e1) ? e1.GetString() : "(signed)", Is.EqualTo("NotAllowedError"), required.ToString());
            Assert.That(preferred.TryGetProperty("error", out JsonElement e2) ? e2.GetString() : "(signed)", Is.EqualTo("NotAllowedError"), preferred.ToString());
            Assert.That(create.TryGetProperty("error", out JsonElement e3) ? e3.GetString() : "(created)", Is.EqualTo("NotAllowedError"), create.ToString());
        });

        await authenticator.SetUserVerifiedAsync(true);
        JsonElement again = await SignAsync(Page, passkey, new byte[32]);
        byte[] authenticatorData = Convert.FromBase64String(again.GetProperty("authenticatorData").GetString()!);
        Assert.That(authenticatorData[32] & 0x05, Is.EqualTo(0x05), "user present and verified flags once verification succeeds");
    }

    [Test]
    public async Task Create_OnIpAddressOrigin_FailsWithSecurityError()
    {
        // WebAuthn refuses an IP address as RP ID: passkeys work on http://<id>.localhost:<port>/, not on 127.0.0.1.
        await Bounded.WaitAsync(Page.GotoAsync($"http://127.0.0.1:{_server.Port}/webauthn.html"), "the ceremony page on 127.0.0.1");
        await VirtualAuthenticator.AddAsync(Page);

        JsonElement result = await Ceremony(Page, "createPasskey");

        Assert.That(result.TryGetProperty("error", out JsonElement error) ? error.GetString() : "(created)", Is.EqualTo("SecurityError"), result.ToString());
    }

    [Test]
    public void CoseKeyFromAttestationObject_NotAttestation_ThrowsFormatException()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => IiWebAuthn.CoseKeyFromAttestationObject([0x01]), Throws.TypeOf<FormatException>().With.Message.Contains("not a CBOR map"));
            Assert.That(() => IiWebAuthn.CoseKeyFromAttestationObject([0xa0]), Throws.TypeOf<FormatException>().With.Message.EqualTo("attestationObject has no authData"));
            // authData of 55 bytes without the attested-credential flag
            byte[] noCredential = [0xa1, 0x68, .. "authData"u8, 0x58, 55, .. new byte[55]];
            Assert.That(() => IiWebAuthn.CoseKeyFromAttestationObject(noCredential), Throws.TypeOf<FormatException>().With.Message.Contains("no attested credential"));
        });
    }

    /// <summary>A passkey as II stores it: the credential id and the DER-wrapped COSE key.</summary>
    private sealed record Passkey(string RawId, byte[] Der, string? Attachment);

    private async Task OpenCeremonyAsync(IPage page, string host)
    {
        Uri url = _server.Url(host, "/webauthn.html");
        await Bounded.WaitAsync(page.GotoAsync(url.ToString()), "the ceremony page at " + url);
        Assert.That(await page.EvaluateAsync<bool>("() => window.isSecureContext"), Is.True, $"{url} is not a secure context");
    }

    private static async Task<Passkey> CreatePasskeyAsync(IPage page)
    {
        JsonElement created = await Ceremony(page, "createPasskey");
        Assert.That(created.TryGetProperty("error", out _), Is.False, $"navigator.credentials.create failed: {created}");
        byte[] cose = IiWebAuthn.CoseKeyFromAttestationObject(Convert.FromBase64String(created.GetProperty("attestationObject").GetString()!));
        return new Passkey(created.GetProperty("rawId").GetString()!, DerPublicKey.EncodeWebAuthn(cose),
            created.TryGetProperty("attachment", out JsonElement a) ? a.GetString() : null);
    }

    private static async Task<JsonElement> SignAsync(IPage page, Passkey passkey, byte[] challenge)
    {
        JsonElement assertion = await Ceremony(page, "signChallenge", passkey.RawId, Convert.ToBase64String(challenge));
        Assert.That(assertion.TryGetProperty("error", out _), Is.False, $"navigator.credentials.get failed: {assertion}");
        return assertion;
    }

    private static Task<JsonElement> Ceremony(IPage page, string function, params object[] args) =>
        Bounded.WaitAsync(page.EvaluateAsync<JsonElement>($"args => window.{function}(...args)", args), $"{function} on {page.Url}");

    private static byte[] IcSignature(JsonElement assertion) => IiWebAuthn.Signature(
        Convert.FromBase64String(assertion.GetProperty("authenticatorData").GetString()!),
        Convert.FromBase64String(assertion.GetProperty("clientDataJSON").GetString()!),
        Convert.FromBase64String(assertion.GetProperty("signature").GetString()!));

    /// <summary>
    /// What II's frontend asks the passkey to sign at login: a delegation to a fresh P-256 session key for 10 minutes,
    /// targeted at II itself.
    /// </summary>
    private static (Delegation Delegation, ECDsa SessionKey) FrontendDelegation()
    {
        var session = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters p = session.ExportParameters(includePrivateParameters: false);
        byte[] sessionDer = DerPublicKey.EncodeEcdsa([0x04, .. p.Q.X!, .. p.Q.Y!]);
        ulong expiration = (ulong)(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(10)).ToUnixTimeMilliseconds() * 1_000_000UL;
        return (new Delegation(sessionDer, expiration, [s_ii]), session);
    }
}
