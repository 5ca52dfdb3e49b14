using System.Text.Json;
using CsCheck;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Protocol.Tests.Support;

namespace InternetIdentity.Protocol.Tests.Envelopes;

public class EnvelopeTests
{
    private static readonly JsonElement s_ed = IcVectors.Json("self_derived_ed25519.json");
    private const ulong Now = 1_699_999_900_000_000_000;

    private static byte[] Seed(byte b) => Enumerable.Repeat(b, 32).ToArray();

    private static byte[] Der(byte[] seed) => DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(seed));

    [Test]
    public void Decode_SelfDerivedEnvelope_RequestIdAndSignatureVerify()
    {
        Envelope e = Envelope.Decode(s_ed.Hex("envelope_cbor_hex"));
        Assert.That(e.Content.ComputeRequestId().ToString(), Is.EqualTo(s_ed.Str("request_id")));
        Assert.That(e.Content.Sender.ToString(), Is.EqualTo(s_ed.Str("sender_principal_text")));
        Assert.That(Convert.ToHexStringLower(e.SenderSignature!), Is.EqualTo(s_ed.Str("sender_sig")));
        Assert.That(EnvelopeVerifier.Verify(e, Now), Is.EqualTo(VerificationResult.Valid));
        Envelope again = Envelope.Decode(e.Encode());
        Assert.That(again.Content.ComputeRequestId(), Is.EqualTo(e.Content.ComputeRequestId()));
    }

    [Test]
    public void Verify_TamperedContentOrWrongSender_Invalid()
    {
        Envelope e = Envelope.Decode(s_ed.Hex("envelope_cbor_hex"));
        Assert.That(EnvelopeVerifier.Verify(e with { Content = e.Content with { MethodName = "greeT" } }, Now).Reason, Does.Contain("sender_sig"));
        Assert.That(EnvelopeVerifier.Verify(e with { Content = e.Content with { Sender = Principal.CanisterId(1) } }, Now).Reason, Does.Contain("self-authenticating"));
        Assert.That(EnvelopeVerifier.Verify(e with { SenderSignature = null }, Now).IsValid, Is.False);
        Assert.That(EnvelopeVerifier.Verify(e with { Content = e.Content with { Sender = Principal.Anonymous } }, Now).Reason, Does.Contain("anonymous"));
    }

    [Test]
    public void Decode_AgentJsAnonymousEnvelopes_RequestIdsMatchAndVerify()
    {
        foreach (JsonElement v in IcVectors.Json("request_id.json").GetProperty("real_envelopes_from_agent_js_calls_test_json").EnumerateArray())
        {
            Envelope e = Envelope.Decode(v.Hex("body_cbor_hex"));
            Assert.That(e.Content.ComputeRequestId().ToString(), Is.EqualTo(v.Str("request_id_COMPUTED_HERE")));
            Assert.That(e.Content.Sender.IsAnonymous, Is.True);
            Assert.That(EnvelopeVerifier.Verify(e, Now), Is.EqualTo(VerificationResult.Valid));
        }
    }

    [Test]
    public void DelegationHash_AgentJsVectorWithTargets_Matches()
    {
        var d = new Delegation(
            Convert.FromHexString("302a300506032b6570032100819d9fe3ac251039f934cdc925da0b019848af9d650d4136fb5d955cff17f78e"),
            1611365875951000000,
            [Principal.FromBytes(Convert.FromHexString("000000000030004d0101")), Principal.FromBytes(Convert.FromHexString("000000000020002b0101"))]);
        Assert.That(Convert.ToHexStringLower(d.Hash()), Is.EqualTo("f0c66015041eccb5528fc7fd817bb4d0707369d7e1383d3cdaa074b2b2236824"));
    }

    [Test]
    public void DelegationHash_SelfDerivedVector_MatchesAndSignatureVerifies()
    {
        JsonElement v = s_ed.GetProperty("delegation");
        var d = new Delegation(v.Hex("pubkey_der"), ulong.Parse(v.Str("expiration")));
        Assert.That(Convert.ToHexStringLower(d.Hash()), Is.EqualTo(v.Str("hash_of_map")));
        Assert.That(SignatureVerifier.Verify(s_ed.Hex("ed25519_public_der"), d.SignedMessage(), v.Hex("signature")).IsValid, Is.True);
    }

    private static (Envelope Envelope, byte[][] Seeds) Delegated(int length, ulong expiration = Now + 1_000_000_000_000, IReadOnlyList<Principal>? targets = null, byte[]? lastSeedOverride = null)
    {
        byte[][] seeds = Enumerable.Range(1, length + 1).Select(i => Seed((byte)i)).ToArray();
        if (lastSeedOverride is not null)
        {
            seeds[^1] = lastSeedOverride;
        }

        var chain = new List<SignedDelegation>();
        for (int i = 1; i <= length; i++)
        {
            var d = new Delegation(Der(seeds[i]), expiration, targets);
            chain.Add(new SignedDelegation(d, Ed25519Signatures.Sign(seeds[i - 1], d.SignedMessage())));
        }

        var content = RequestContent.Call(RequestType.Call, Principal.SelfAuthenticating(Der(seeds[0])), Principal.CanisterId(7), "lookup", [1, 2], Now + 60_000_000_000);
        byte[] sig = Ed25519Signatures.Sign(seeds[^1], content.ComputeRequestId().SignedMessage());
        return (new Envelope(content, Der(seeds[0]), sig, chain), seeds);
    }

    [Test]
    public void Verify_WithSignatureCache_RecordsValidSignaturesThenAnswersFromIt()
    {
        Envelope e = Delegated(2).Envelope;
        var cache = new RecordingSignatureCache();
        Assert.That(EnvelopeVerifier.Verify(e, Now, default, null, null, cache), Is.EqualTo(VerificationResult.Valid));
        Assert.That((cache.Added, cache.Hits), Is.EqualTo((3, 0)), "two delegations and the request signature");
        Assert.That(EnvelopeVerifier.Verify(e, Now, default, null, null, cache), Is.EqualTo(VerificationResult.Valid));
        Assert.That((cache.Added, cache.Hits), Is.EqualTo((3, 3)));
    }

    [Test]
    public void Verify_WithSignatureCache_InvalidSignaturesAreNotRecorded()
    {
        Envelope e = Delegated(1).Envelope;
        var cache = new RecordingSignatureCache();
        Envelope tampered = e with { Content = e.Content with { MethodName = "other" } };
        Assert.That(EnvelopeVerifier.Verify(tampered, Now, default, null, null, cache).Reason, Does.Contain("sender_sig"));
        Assert.That(cache.Added, Is.EqualTo(1), "only the delegation's signature was valid");
        Assert.That(EnvelopeVerifier.Verify(tampered, Now, default, null, null, cache).IsValid, Is.False, "still invalid the second time");
    }

    [Test]
    public void Verify_CachedSignatures_ExpiryTargetsAndSenderStillChecked()
    {
        ulong expiration = Now + 1_000;
        Envelope e = Delegated(1, expiration, targets: [Principal.CanisterId(7)]).Envelope;
        var cache = new RecordingSignatureCache();
        Assert.That(EnvelopeVerifier.Verify(e, Now, default, null, null, cache).IsValid, Is.True);
        Assert.That(EnvelopeVerifier.Verify(e, expiration + 1, default, null, null, cache).Reason, Does.Contain("expired"));
        Assert.That(EnvelopeVerifier.Verify(e, Now, default, Principal.CanisterId(8), null, cache).Reason, Does.Contain("not a target"));
        Assert.That(EnvelopeVerifier.Verify(e with { Content = e.Content with { Sender = Principal.CanisterId(1) } }, Now, default, null, null, cache).Reason,
            Does.Contain("self-authenticating"));
    }

    [Test]
    public void Verify_DelegationChains_ValidUpToTwentyThenInvalid()
    {
        Assert.That(EnvelopeVerifier.Verify(Delegated(1).Envelope, Now), Is.EqualTo(VerificationResult.Valid));
        Assert.That(EnvelopeVerifier.Verify(Delegated(20).Envelope, Now), Is.EqualTo(VerificationResult.Valid));
        Assert.That(EnvelopeVerifier.Verify(Delegated(21).Envelope, Now).Reason, Does.Contain("at most 20"));
        Envelope decoded = Envelope.Decode(Delegated(3).Envelope.Encode());
        Assert.That(EnvelopeVerifier.Verify(decoded, Now), Is.EqualTo(VerificationResult.Valid));
    }

    [Test]
    public void Verify_ExpiredDelegation_Invalid()
    {
        Envelope e = Delegated(2, expiration: Now - 1).Envelope;
        Assert.That(EnvelopeVerifier.Verify(e, Now).Reason, Does.Contain("expired"));
        Assert.That(EnvelopeVerifier.Verify(e, Now - 1).IsValid, Is.True);
    }

    [Test]
    public void Verify_Targets_Respected()
    {
        Assert.That(EnvelopeVerifier.Verify(Delegated(1, targets: [Principal.CanisterId(7)]).Envelope, Now).IsValid, Is.True);
        Assert.That(EnvelopeVerifier.Verify(Delegated(1, targets: [Principal.CanisterId(8)]).Envelope, Now).Reason, Does.Contain("not a target"));
        Assert.That(EnvelopeVerifier.Verify(Delegated(1, targets: [Principal.CanisterId(8)]).Envelope, Now, effectiveCanisterId: Principal.CanisterId(8)).IsValid, Is.True);
    }

    [Test]
    public void Verify_CycleOrSelfDelegation_Invalid()
    {
        // The last key equals the sender key: a cycle back to the start.
        Envelope cycle = Delegated(2, lastSeedOverride: Seed(1)).Envelope;
        Assert.That(EnvelopeVerifier.Verify(cycle, Now).Reason, Does.Contain("repeats a key"));
    }

    [Test]
    public void Verify_RequestSignedBySenderInsteadOfLastKey_Invalid()
    {
        (Envelope e, byte[][] seeds) = Delegated(2);
        byte[] bySender = Ed25519Signatures.Sign(seeds[0], e.Content.ComputeRequestId().SignedMessage());
        Assert.That(EnvelopeVerifier.Verify(e with { SenderSignature = bySender }, Now).IsValid, Is.False);
        var broken = e.SenderDelegation!.ToList();
        broken[1] = broken[1] with { Signature = broken[0].Signature };
        Assert.That(EnvelopeVerifier.Verify(e with { SenderDelegation = broken }, Now).Reason, Does.Contain("delegation 1"));
    }

    [Test]
    public void CheckIngressExpiry_Window()
    {
        RequestContent c = Delegated(0).Envelope.Content;
        Assert.That(EnvelopeVerifier.CheckIngressExpiry(c, Now).IsValid, Is.True);
        Assert.That(EnvelopeVerifier.CheckIngressExpiry(c, c.IngressExpiry + 1).Reason, Does.Contain("past"));
        Assert.That(EnvelopeVerifier.CheckIngressExpiry(c, c.IngressExpiry - 331_000_000_000).Reason, Does.Contain("future"));
    }

    [Test]
    public void ReadStateContent_RequestIdMatchesIcRefPathsRule()
    {
        var content = RequestContent.ReadState(Principal.Anonymous, [["subnet"u8.ToArray()]], 0x178f57eae7fc4600);
        Assert.That(content.ComputeRequestId().ToString(), Is.EqualTo("76c861f7639690af4290166b351b557ba1973fa5522ccfd86d48f149866a99ab"));
    }

    [Test]
    public void QueryResponseSignatures_SelfDerivedVectors_HashAndVerify()
    {
        var rid = new RequestId(s_ed.Hex("request_id"));
        JsonElement replied = s_ed.GetProperty("query_response_replied");
        byte[] hash = QueryResponseSignatures.RepliedHash(replied.Hex("reply_arg_hex"), ulong.Parse(replied.Str("timestamp")), rid);
        Assert.That(Convert.ToHexStringLower(hash), Is.EqualTo(replied.Str("hash_of_map")));
        Assert.That(SignatureVerifier.Verify(s_ed.Hex("ed25519_public_der"), QueryResponseSignatures.SignedMessage(hash), replied.Hex("signature")).IsValid, Is.True);
        JsonElement rejected = s_ed.GetProperty("query_response_rejected");
        byte[] rhash = QueryResponseSignatures.RejectedHash(4, "no", "IC0406", ulong.Parse(rejected.Str("timestamp")), rid);
        Assert.That(Convert.ToHexStringLower(rhash), Is.EqualTo(rejected.Str("hash_of_map")));
        Assert.That(SignatureVerifier.Verify(s_ed.Hex("ed25519_public_der"), QueryResponseSignatures.SignedMessage(rhash), rejected.Hex("signature")).IsValid, Is.True);
    }

    [Test]
    public void Decode_TruncatedRandomAndMutatedEnvelopes_OnlyCborFormatException()
    {
        byte[] body = Delegated(2).Envelope.Encode();
        for (int n = 0; n < body.Length; n++)
        {
            Assert.Throws<CborFormatException>(() => Envelope.Decode(body.AsMemory(0, n)));
        }

        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            try
            {
                Envelope.Decode(bytes);
            }
            catch (CborFormatException)
            {
            }
        });
        Gen.Int[0, body.Length - 1].Select(Gen.Byte).Sample((pos, value) =>
        {
            byte[] m = (byte[])body.Clone();
            m[pos] = value;
            try
            {
                _ = EnvelopeVerifier.Verify(Envelope.Decode(m), Now);
            }
            catch (CborFormatException)
            {
            }
        });
    }

    [Test]
    public void Decode_BignumExpiryAndIndefiniteLengths_Accepted()
    {
        // {content: {request_type: "query", sender: h'04', ingress_expiry: 2(h'01'), canister_id: h'', method_name: "m", arg: h''}}
        byte[] cbor = Convert.FromHexString("a167636f6e74656e74a66c726571756573745f74797065657175657279" + "6673656e64657241046e696e67726573735f657870697279c241016b63616e69737465725f6964406b6d6574686f645f6e616d65616d6361726740");
        Envelope e = Envelope.Decode(cbor);
        Assert.That(e.Content.IngressExpiry, Is.EqualTo(1UL));
        Assert.That(e.Content.RequestType, Is.EqualTo(RequestType.Query));
        byte[] dup = Convert.FromHexString("a267636f6e74656e74a067636f6e74656e74a0");
        Assert.Throws<CborFormatException>(() => Envelope.Decode(dup));
        byte[] withFloat = Convert.FromHexString("a167636f6e74656e74a36c726571756573745f7479706565717565727966" + "73656e64657241046e696e67726573735f657870697279f93c00");
        Assert.Throws<CborFormatException>(() => Envelope.Decode(withFloat));
    }

    [Test]
    public void DelegationChain_CanisterSignedDelegation_IccsaVectorValid()
    {
        // The ICCSA vector is an Internet Identity-style canister signature on Delegation{pubkey: "MY PUBLIC KEY", expiration}.
        JsonElement v = IcVectors.Json("canister_sig.json").GetProperty("vectors")[0];
        var d = new Delegation("MY PUBLIC KEY"u8.ToArray(), 1650114196974266000);
        Assert.That(d.SignedMessage(), Is.EqualTo(v.Hex("message_hex_DERIVED_HERE")));
        SignedDelegation[] chain = [new(d, v.Hex("signature_cbor_hex"))];
        byte[] sender = v.Hex("public_key_der_hex_DERIVED_HERE");
        byte[] root = v.Hex("root_public_key_der_hex");
        Assert.That(DelegationChainVerifier.Verify(sender, chain, 1650114196974266000, null, root, out byte[] effective), Is.EqualTo(VerificationResult.Valid));
        Assert.That(effective, Is.EqualTo("MY PUBLIC KEY"u8.ToArray()));
        Assert.That(DelegationChainVerifier.Verify(sender, chain, 1650114196974266001, null, root, out _).Reason, Does.Contain("expired"));
        Assert.That(DelegationChainVerifier.Verify(sender, chain, 0, null, IcVectors.MainnetRootKeyDer, out _).IsValid, Is.False);
    }
}
