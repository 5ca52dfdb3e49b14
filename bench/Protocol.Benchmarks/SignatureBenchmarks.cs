using System.Security.Cryptography;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Protocol.Benchmarks;

/// <summary>Envelope and signature checks per scheme (each verifies one valid signature).</summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private sealed record Case(byte[] Der, byte[] Message, byte[] Signature);

    private Case _ed25519 = null!, _p256 = null!, _secp256k1 = null!, _webAuthnP256 = null!, _webAuthnRsa = null!, _canister = null!;
    private Envelope _envelope = null!;
    private Envelope _delegatedEnvelope = null!;
    private byte[] _rootKey = null!;

    private static byte[] Hex(JsonElement e, string p) => Convert.FromHexString(e.GetProperty(p).GetString()!);

    [GlobalSetup]
    public void Setup()
    {
        JsonElement web = JsonDocument.Parse(File.ReadAllText(BenchVectors.Path("webauthn.json"))).RootElement;
        JsonElement formats = web.GetProperty("der_key_formats");
        JsonElement ed = formats.GetProperty("ed25519_pk1_der_and_sig_on_empty_msg");
        _ed25519 = new Case(Hex(ed, "pk_der"), [], Hex(ed, "sig"));
        JsonElement p256 = formats.GetProperty("chrome_p256_pk_der_and_raw_sig_on_empty_msg");
        _p256 = new Case(Hex(p256, "pk_der"), [], Hex(p256, "sig_raw_r_s"));
        JsonElement k1 = formats.GetProperty("secp256k1_pk_der_and_raw_sig_on_empty_msg");
        _secp256k1 = new Case(Hex(k1, "pk_der"), [], Hex(k1, "sig_raw_r_s"));
        JsonElement w0 = web.GetProperty("vectors")[0], w3 = web.GetProperty("vectors")[3];
        _webAuthnP256 = new Case(Hex(w0, "public_key_der_hex"), "hello"u8.ToArray(), Hex(w0, "signature_cbor_hex"));
        _webAuthnRsa = new Case(Hex(w3, "public_key_der_hex"), "hello"u8.ToArray(), Hex(w3, "signature_cbor_hex"));
        JsonElement cs = JsonDocument.Parse(File.ReadAllText(BenchVectors.Path("canister_sig.json"))).RootElement.GetProperty("vectors")[1];
        _canister = new Case(Hex(cs, "public_key_der_hex"), Hex(cs, "message_hex"), Hex(cs, "signature_cbor_hex"));
        _rootKey = Hex(JsonDocument.Parse(File.ReadAllText(BenchVectors.Path("ic_root_key.json"))).RootElement, "mainnet_root_key_der_hex");

        byte[] seed = SHA256.HashData("bench"u8), session = SHA256.HashData("session"u8);
        byte[] der = DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(seed));
        var content = RequestContent.Call(RequestType.Call, Principal.SelfAuthenticating(der), Principal.CanisterId(7), "m", new byte[100], 1_700_000_000_000_000_000);
        _envelope = new Envelope(content, der, Ed25519Signatures.Sign(seed, content.ComputeRequestId().SignedMessage()));
        var d = new Delegation(DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(session)), 1_800_000_000_000_000_000);
        _delegatedEnvelope = new Envelope(content, der, Ed25519Signatures.Sign(session, content.ComputeRequestId().SignedMessage()),
            [new SignedDelegation(d, Ed25519Signatures.Sign(seed, d.SignedMessage()))]);
    }

    private VerificationResult Run(Case c) => SignatureVerifier.Verify(c.Der, c.Message, c.Signature, _rootKey);

    [Benchmark]
    public VerificationResult Ed25519() => Run(_ed25519);

    [Benchmark]
    public VerificationResult EcdsaP256() => Run(_p256);

    [Benchmark]
    public VerificationResult EcdsaSecp256k1() => Run(_secp256k1);

    [Benchmark]
    public VerificationResult WebAuthnP256() => Run(_webAuthnP256);

    [Benchmark]
    public VerificationResult WebAuthnRsa() => Run(_webAuthnRsa);

    [Benchmark]
    public VerificationResult CanisterSignatureWithDelegation() => Run(_canister);

    [Benchmark]
    public VerificationResult Ed25519Envelope() => EnvelopeVerifier.Verify(_envelope, 1_699_999_999_000_000_000);

    [Benchmark]
    public VerificationResult Ed25519EnvelopeWithDelegation() => EnvelopeVerifier.Verify(_delegatedEnvelope, 1_699_999_999_000_000_000);
}
