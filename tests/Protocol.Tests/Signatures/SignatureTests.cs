using System.Security.Cryptography;
using System.Text.Json;
using CsCheck;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Protocol.Tests.Support;

namespace InternetIdentity.Protocol.Tests.Signatures;

public class SignatureTests
{
    private static readonly JsonElement s_webauthn = IcVectors.Json("webauthn.json");
    private static readonly JsonElement s_canisterSig = IcVectors.Json("canister_sig.json");

    private static JsonElement WebAuthn(int i) => s_webauthn.GetProperty("vectors")[i];

    private static byte[] Challenge(JsonElement v) =>
        v.TryGetProperty("challenge_hex", out JsonElement c) ? c.Hex() : v.Hex("challenge_hex_DERIVED_HERE");

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Verify_WebAuthnVector_Valid(int index)
    {
        JsonElement v = WebAuthn(index);
        byte[] der = v.Hex("public_key_der_hex");
        Assert.That(DerPublicKey.Parse(der).Scheme, Is.EqualTo(index == 3 ? PublicKeyScheme.WebAuthnRsa : PublicKeyScheme.WebAuthnEcdsaP256));
        Assert.That(SignatureVerifier.Verify(der, Challenge(v), v.Hex("signature_cbor_hex")), Is.EqualTo(VerificationResult.Valid));
    }

    [TestCase(0)]
    [TestCase(3)]
    public void Verify_WebAuthnOtherChallenge_Invalid(int index)
    {
        JsonElement v = WebAuthn(index);
        VerificationResult r = SignatureVerifier.Verify(v.Hex("public_key_der_hex"), "hellO"u8, v.Hex("signature_cbor_hex"));
        Assert.That(r.Reason, Does.Contain("challenge"));
    }

    [Test]
    public void Verify_WebAuthnWrongKey_Invalid()
    {
        JsonElement v = WebAuthn(4);
        VerificationResult r = SignatureVerifier.Verify(v.Hex("public_key_der_hex"), "hello"u8, v.Hex("signature_cbor_hex"));
        Assert.That(r.IsValid, Is.False);
        Assert.That(r.Reason, Is.EqualTo("invalid WebAuthn signature"));
    }

    [Test]
    public void DecodeWebAuthn_ParseOnlyVector_ChallengeAndSignedBytes()
    {
        JsonElement v = WebAuthn(5);
        WebAuthnSignatures.Envelope e = WebAuthnSignatures.Decode(v.Hex("signature_cbor_hex"));
        Assert.That(Convert.ToHexStringLower(e.AuthenticatorData), Is.EqualTo(v.Str("expected_authenticator_data_hex")));
        Assert.That(Convert.ToHexStringLower(e.SignedBytes()), Is.EqualTo(v.Str("expected_signed_bytes_hex")));
        Assert.That(System.Text.Encoding.UTF8.GetString(WebAuthnSignatures.Challenge(e.ClientDataJson)!), Is.EqualTo(v.Str("expected_challenge_utf8")));
    }

    [Test]
    public void Verify_RawSchemeVectors_ValidAndTamperedInvalid()
    {
        JsonElement f = s_webauthn.GetProperty("der_key_formats");
        (string Name, PublicKeyScheme Scheme, string SigField)[] cases =
        [
            ("ed25519_pk1_der_and_sig_on_empty_msg", PublicKeyScheme.Ed25519, "sig"),
            ("secp256k1_pk_der_and_raw_sig_on_empty_msg", PublicKeyScheme.EcdsaSecp256k1, "sig_raw_r_s"),
            ("chrome_p256_pk_der_and_raw_sig_on_empty_msg", PublicKeyScheme.EcdsaP256, "sig_raw_r_s"),
        ];
        foreach ((string name, PublicKeyScheme scheme, string sigField) in cases)
        {
            JsonElement v = f.GetProperty(name);
            byte[] der = v.Hex("pk_der");
            byte[] sig = v.Hex(sigField);
            Assert.That(DerPublicKey.Parse(der).Scheme, Is.EqualTo(scheme), name);
            Assert.That(SignatureVerifier.Verify(der, [], sig).IsValid, Is.True, name);
            Assert.That(SignatureVerifier.Verify(der, [0], sig).IsValid, Is.False, name);
            sig[5] ^= 0x10;
            Assert.That(SignatureVerifier.Verify(der, [], sig).IsValid, Is.False, name);
        }
    }

    [Test]
    public void Verify_IccsaVector_ValidWithTestnetRootKey()
    {
        JsonElement v = s_canisterSig.GetProperty("vectors")[0];
        byte[] der = v.Hex("public_key_der_hex_DERIVED_HERE");
        DerPublicKey key = DerPublicKey.Parse(der);
        Assert.That(key.Scheme, Is.EqualTo(PublicKeyScheme.Canister));
        Assert.That(key.SigningCanister!.ToString(), Is.EqualTo(v.Str("signing_canister_text")));
        Assert.That(DerPublicKey.EncodeCanisterSignatureKey(key.SigningCanister, "10000"u8), Is.EqualTo(der));
        byte[] message = v.Hex("message_hex_DERIVED_HERE");
        byte[] root = v.Hex("root_public_key_der_hex");
        Assert.That(SignatureVerifier.Verify(der, message, v.Hex("signature_cbor_hex"), root), Is.EqualTo(VerificationResult.Valid));
        Assert.That(SignatureVerifier.Verify(der, message.AsSpan(1), v.Hex("signature_cbor_hex"), root).IsValid, Is.False);
        Assert.That(SignatureVerifier.Verify(der, message, v.Hex("signature_cbor_hex"), IcVectors.MainnetRootKeyDer).IsValid, Is.False);
        Assert.That(SignatureVerifier.Verify(der, message, v.Hex("signature_cbor_hex")).Reason, Does.Contain("root key"));
    }

    [Test]
    public void Verify_MainnetInternetIdentityJws_ValidWithDelegation()
    {
        JsonElement v = s_canisterSig.GetProperty("vectors")[1];
        byte[] der = v.Hex("public_key_der_hex");
        byte[] message = v.Hex("message_hex");
        byte[] sig = v.Hex("signature_cbor_hex");
        Assert.That(SignatureVerifier.Verify(der, message, sig, IcVectors.MainnetRootKeyDer), Is.EqualTo(VerificationResult.Valid));
        message[^1] ^= 1;
        Assert.That(SignatureVerifier.Verify(der, message, sig, IcVectors.MainnetRootKeyDer).Reason, Does.Contain("/sig/"));
        // The same seed under another canister: the certificate holds no certified_data for it.
        byte[] other = DerPublicKey.EncodeCanisterSignatureKey(Principal.Parse("rdmx6-jaaaa-aaaaa-aaadq-cai"), DerPublicKey.Parse(der).Key);
        Assert.That(SignatureVerifier.Verify(other, v.Hex("message_hex"), sig, IcVectors.MainnetRootKeyDer).IsValid, Is.False);
    }

    [Test]
    public void Ed25519_SignAndVerify_Rfc8032Test1()
    {
        JsonElement v = IcVectors.Json("self_derived_ed25519.json");
        byte[] seed = v.Hex("ed25519_secret_seed");
        Assert.That(Convert.ToHexStringLower(Ed25519Signatures.PublicKeyFromSeed(seed)), Is.EqualTo(v.Str("ed25519_public_raw")));
        // RFC 8032 TEST 1 signature of the empty message.
        Assert.That(Convert.ToHexStringLower(Ed25519Signatures.Sign(seed, [])),
            Is.EqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
        Assert.That(DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(seed)), Is.EqualTo(v.Hex("ed25519_public_der")));
    }

    [Test]
    public void Ed25519SigningKey_Rfc8032Test1_SignsAsTheSeedDoes()
    {
        JsonElement v = IcVectors.Json("self_derived_ed25519.json");
        using var key = Ed25519SigningKey.FromSeed(v.Hex("ed25519_secret_seed"));
        Assert.That(Convert.ToHexStringLower(key.PublicKey), Is.EqualTo(v.Str("ed25519_public_raw")));
        Assert.That(Convert.ToHexStringLower(key.Sign([])),
            Is.EqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
        byte[] message = [1, 2, 3];
        Assert.That(Ed25519Signatures.Verify(key.PublicKey, message, key.Sign(message)), Is.True);
        Assert.That(Ed25519Signatures.Verify(key.PublicKey, [1, 2, 4], key.Sign(message)), Is.False);
    }

    [Test]
    public void Ed25519SigningKey_SeedNot32Bytes_Throws() =>
        Assert.Throws<ArgumentException>(() => Ed25519SigningKey.FromSeed(new byte[31]));

    [Test]
    public void DerPublicKey_EncodersAndParser_RoundTrip()
    {
        JsonElement f = s_webauthn.GetProperty("der_key_formats");
        byte[] p256 = f.GetProperty("chrome_p256_pk_der_and_raw_sig_on_empty_msg").Hex("pk_der");
        byte[] k1 = f.GetProperty("secp256k1_pk_der_and_raw_sig_on_empty_msg").Hex("pk_der");
        Assert.That(DerPublicKey.EncodeEcdsa(DerPublicKey.Parse(p256).Key), Is.EqualTo(p256));
        Assert.That(DerPublicKey.EncodeEcdsa(DerPublicKey.Parse(k1).Key, secp256k1: true), Is.EqualTo(k1));
        byte[] bls = IcVectors.MainnetRootKeyDer;
        Assert.That(DerPublicKey.EncodeBls(DerPublicKey.Parse(bls).Key), Is.EqualTo(bls));
        byte[] cose = WebAuthn(0).Hex("public_key_der_hex");
        Assert.That(DerPublicKey.EncodeWebAuthn(cose.AsSpan(19)), Is.EqualTo(cose));
    }

    [Test]
    public void DerPublicKey_RandomAndTruncatedBytes_OnlyFalse()
    {
        byte[][] keys = [IcVectors.MainnetRootKeyDer, WebAuthn(3).Hex("public_key_der_hex"), s_canisterSig.GetProperty("vectors")[1].Hex("public_key_der_hex")];
        foreach (byte[] key in keys)
        {
            for (int n = 0; n < key.Length; n++)
            {
                Assert.That(DerPublicKey.TryParse(key.AsSpan(0, n), out _, out _), Is.False);
            }
        }

        Gen.Byte.Array[0, 120].Sample(bytes => !DerPublicKey.TryParse(bytes, out _, out _) || bytes.Length > 30);
        Gen.Int[0, keys[1].Length - 1].Select(Gen.Byte).Sample((pos, value) =>
        {
            byte[] m = (byte[])keys[1].Clone();
            m[pos] = value;
            _ = DerPublicKey.TryParse(m, out _, out _);
            _ = SignatureVerifier.Verify(m, "hello"u8, WebAuthn(3).Hex("signature_cbor_hex"));
        });
        Assert.Throws<DerFormatException>(() => DerPublicKey.Parse([0x30, 0x00]));
    }

    [Test]
    public void Verify_MalformedSignatures_InvalidNotThrowing()
    {
        byte[] ed = DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(new byte[32]));
        Gen.Byte.Array[0, 100].Sample(sig =>
            !SignatureVerifier.Verify(ed, "m"u8, sig).IsValid
            && !SignatureVerifier.Verify(WebAuthn(0).Hex("public_key_der_hex"), "hello"u8, sig).IsValid
            && !SignatureVerifier.Verify(s_canisterSig.GetProperty("vectors")[1].Hex("public_key_der_hex"), "m"u8, sig, IcVectors.MainnetRootKeyDer).IsValid
            && !SignatureVerifier.Verify(IcVectors.MainnetRootKeyDer, "m"u8, sig).IsValid);
    }

    [Test]
    public void Sha224_SelfAuthenticatingOfEmptyInput_MatchesCandidVector()
    {
        Assert.That(Principal.SelfAuthenticating([]).ToHex(), Is.EqualTo("d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f02"));
        Assert.That(SHA256.HashData([]).Length, Is.EqualTo(32));
    }
}
