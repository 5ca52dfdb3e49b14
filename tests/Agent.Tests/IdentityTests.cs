using System.Text.Json;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Agent.Tests;

public sealed class IdentityTests
{
    private static JsonElement s_vectors;

    [OneTimeSetUp]
    public void LoadVectors() => s_vectors = JsonDocument.Parse(NodeScript.Run("agent-identities.mjs")).RootElement;

    private static string V(string name) => s_vectors.GetProperty(name).GetString()!;

    [Test]
    public void Ed25519FromJson_AgentJsIdentity_SamePrincipalAndJsonRoundTrips()
    {
        Ed25519Identity identity = Ed25519Identity.FromJson(V("ed25519_json"));
        Assert.That(identity.Principal.ToString(), Is.EqualTo(V("ed25519_principal")));
        Assert.That(identity.ToJson(), Is.EqualTo(V("ed25519_json")));
        Assert.That(identity.ExportSeed(), Is.EqualTo(Enumerable.Repeat((byte)21, 32).ToArray()));
    }

    [Test]
    public void DelegationChainFromJson_AgentJsChain_RoundTripsAndVerifies()
    {
        DelegationChain chain = DelegationChain.FromJson(V("chain_json"));
        Assert.That(chain.ToJson(), Is.EqualTo(V("chain_json")));
        Assert.That(chain.Principal.ToString(), Is.EqualTo(V("delegated_principal")));
        SignedDelegation d = chain.Delegations[0];
        Assert.That(SignatureVerifier.Verify(chain.PublicKey, d.Delegation.SignedMessage(), d.Signature).IsValid, Is.True);
        Assert.That(d.Delegation.Targets![0].ToString(), Is.EqualTo("rwlgt-iiaaa-aaaaa-aaaaa-cai"));
    }

    [Test]
    public void DelegationIdentityEnvelope_SameContentAsAgentJs_SameRequestIdAndSignatures()
    {
        var session = Ed25519Identity.FromJson(V("session_json"));
        var identity = new DelegationIdentity(session, DelegationChain.FromJson(V("chain_json")));
        Envelope theirs = Envelope.Decode(Convert.FromHexString(V("call_envelope")));
        RequestContent content = RequestContent.Call(RequestType.Call, identity.Principal, Principal.Parse("rwlgt-iiaaa-aaaaa-aaaaa-cai"), "whoami",
            [0x44, 0x49, 0x44, 0x4c, 0, 0], 1_700_000_000_000_000_000, Enumerable.Repeat((byte)5, 16).ToArray());
        Envelope ours = identity.CreateEnvelope(content);

        Assert.That(content.ComputeRequestId().ToString(), Is.EqualTo(V("call_request_id")));
        Assert.That(theirs.Content.ComputeRequestId(), Is.EqualTo(content.ComputeRequestId()));
        Assert.That(ours.SenderPublicKey, Is.EqualTo(theirs.SenderPublicKey));
        Assert.That(ours.SenderSignature, Is.EqualTo(theirs.SenderSignature), "Ed25519 is deterministic: the same signature bytes");
        Assert.That(ours.SenderDelegation![0].Signature, Is.EqualTo(theirs.SenderDelegation![0].Signature));
        Assert.That(Envelope.Decode(ours.Encode()).Content.ComputeRequestId(), Is.EqualTo(content.ComputeRequestId()));
    }

    [TestCase("pem_ed25519", typeof(Ed25519Identity))]
    [TestCase("pem_secp256k1", typeof(Secp256k1Identity))]
    [TestCase("pem_p256", typeof(EcdsaP256Identity))]
    public void IdentityPemLoad_NodeCryptoKey_SamePublicKeyAndPrincipalAndSignaturesVerify(string vector, Type expected)
    {
        JsonElement v = s_vectors.GetProperty(vector);
        SignIdentity identity = IdentityPem.Load(v.GetProperty("pem").GetString()!);
        Assert.That(identity, Is.TypeOf(expected));
        Assert.That(Convert.ToHexStringLower(identity.PublicKeyDer), Is.EqualTo(v.GetProperty("der").GetString()));
        Assert.That(identity.Principal.ToString(), Is.EqualTo(v.GetProperty("principal").GetString()));
        byte[] message = "\x0Aic-request some request id"u8.ToArray();
        Assert.That(SignatureVerifier.Verify(identity.PublicKeyDer, message, identity.Sign(message)).IsValid, Is.True);
    }

    [Test]
    public void ToPem_EachKeyKind_LoadsBackToTheSameKey()
    {
        SignIdentity[] identities = [Ed25519Identity.Generate(), Secp256k1Identity.Generate(), EcdsaP256Identity.Generate()];
        string[] pems = [((Ed25519Identity)identities[0]).ToPem(), ((Secp256k1Identity)identities[1]).ToPem(), ((EcdsaP256Identity)identities[2]).ToPem()];
        for (int i = 0; i < identities.Length; i++)
        {
            Assert.That(IdentityPem.Load(pems[i]).PublicKeyDer, Is.EqualTo(identities[i].PublicKeyDer), pems[i]);
        }

        Assert.That(pems[0], Does.StartWith("-----BEGIN PRIVATE KEY-----"));
        Assert.That(pems[1], Does.StartWith("-----BEGIN EC PRIVATE KEY-----"));
    }

    [Test]
    public void IdentityPemLoad_DfxSecp256k1WithEcParameters_SkipsTheParametersBlock()
    {
        string pem = "-----BEGIN EC PARAMETERS-----\nBgUrgQQACg==\n-----END EC PARAMETERS-----\n" + s_vectors.GetProperty("pem_secp256k1").GetProperty("pem").GetString();
        Assert.That(IdentityPem.Load(pem).Principal.ToString(), Is.EqualTo(s_vectors.GetProperty("pem_secp256k1").GetProperty("principal").GetString()));
    }

    [Test]
    public void Secp256k1Sign_AnyMessage_LowSAndDeterministic()
    {
        var identity = Secp256k1Identity.FromPrivateKey(Enumerable.Repeat((byte)3, 32).ToArray());
        byte[] a = identity.Sign("m"u8), b = identity.Sign("m"u8);
        Assert.That(a, Is.EqualTo(b));
        var halfOrder = System.Numerics.BigInteger.Parse("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", System.Globalization.NumberStyles.HexNumber);
        Assert.That(new System.Numerics.BigInteger(a.AsSpan(32), isUnsigned: true, isBigEndian: true), Is.LessThanOrEqualTo(halfOrder));
    }

    [Test]
    public void DelegationChainCreate_TwoLevels_SenderIsRootAndEnvelopeCarriesBoth()
    {
        Ed25519Identity root = Ed25519Identity.Generate(), middle = Ed25519Identity.Generate(), session = Ed25519Identity.Generate();
        DelegationChain first = DelegationChain.Create(root, middle.PublicKeyDer, 1UL << 62);
        DelegationChain chain = DelegationChain.Create(middle, session.PublicKeyDer, 1UL << 62, previous: first);
        var identity = new DelegationIdentity(session, chain);
        Assert.That(identity.Principal, Is.EqualTo(root.Principal));
        Assert.That(DelegationChain.FromJson(chain.ToJson()).Delegations, Has.Count.EqualTo(2));
        Assert.Throws<ArgumentException>(() => new DelegationIdentity(root, chain));
    }

    [TestCase("[\"00\"]")]
    [TestCase("not json")]
    [TestCase("[\"302a300506032b6570032100d54207da194977dcf46adbfec2bc2e75b52d5a8a42184fedfdc00024f0e3e8da\",\"1616161616161616161616161616161616161616161616161616161616161616\"]")]
    public void Ed25519FromJson_Malformed_ThrowsIdentityFormatException(string json) =>
        Assert.Throws<IdentityFormatException>(() => Ed25519Identity.FromJson(json));

    [TestCase("{\"delegations\":[],\"publicKey\":\"00\"}")]
    [TestCase("{\"delegations\":[{\"delegation\":{\"expiration\":\"zz\",\"pubkey\":\"00\"},\"signature\":\"00\"}],\"publicKey\":\"00\"}")]
    [TestCase("[1]")]
    public void DelegationChainFromJson_Malformed_ThrowsIdentityFormatException(string json) =>
        Assert.Throws<IdentityFormatException>(() => DelegationChain.FromJson(json));

    [Test]
    public void IdentityPemLoad_NoKeyBlock_ThrowsIdentityFormatException() =>
        Assert.That(() => IdentityPem.Load("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            Throws.TypeOf<IdentityFormatException>().With.Message.Contains("no PRIVATE KEY"));
}
