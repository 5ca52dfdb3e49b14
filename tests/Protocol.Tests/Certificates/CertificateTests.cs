using System.Text;
using System.Text.Json;
using CsCheck;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Protocol.Tests.Support;

namespace InternetIdentity.Protocol.Tests.Certificates;

public class CertificateTests
{
    private static readonly JsonElement s_index = IcVectors.Json("certificates.json");

    private static JsonElement Entry(string file) => s_index.GetProperty("entries").EnumerateArray().Single(e => e.Str("file") == "certificates/" + file);

    private static Certificate Load(string file) => Certificate.DecodeCertificateOrResponse(IcVectors.CertificateFile(file));

    private static VerificationResult Verify(string file, Principal? canister = null, Principal? subnet = null) =>
        CertificateVerifier.Verify(Load(file), new CertificateVerificationOptions
        {
            RootKey = IcVectors.MainnetRootKeyDer,
            EffectiveCanisterId = canister,
            EffectiveSubnetId = subnet,
        });

    private static readonly string[] s_mainnetFiles =
    [
        "ivg37_time.bin", "ivg37_delegated_v2.bin", "224od_subnet.bin", "uzr34_node_keys.bin", "o3ow2_subnet_key.bin",
        "agentjs_golden_mainnetSystem.cert.hex", "agentjs_golden_localSystem.cert.hex", "agentjs_golden_localApplication.cert.hex",
        "agentjs_golden_mainnetApplication.cert.hex",
    ];

    [TestCaseSource(nameof(s_mainnetFiles))]
    public void Decode_MainnetCertificate_RootHashTimeAndDelegationMatchIndex(string file)
    {
        JsonElement entry = Entry(file);
        Certificate c = Load(file);
        Assert.That(Convert.ToHexStringLower(c.Tree.Digest), Is.EqualTo(entry.Str("root_hash")));
        Assert.That(c.Time, Is.EqualTo(ulong.Parse(entry.Str("time_ns"))));
        Assert.That(c.Tree.IsWellFormed(), Is.True);
        JsonElement subnet = entry.GetProperty("delegation_subnet");
        Assert.That(c.Delegation?.SubnetId.ToString(), Is.EqualTo(subnet.ValueKind == JsonValueKind.Null ? null : subnet.GetString()));
        Assert.That(Certificate.Decode(c.Encode()).Tree.Digest.ToArray(), Is.EqualTo(c.Tree.Digest.ToArray()), "re-encoding keeps the tree");
    }

    [TestCaseSource(nameof(s_mainnetFiles))]
    public void Verify_MainnetCertificate_ValidAgainstMainnetRootKey(string file)
    {
        JsonElement entry = Entry(file);
        Principal? canister = entry.TryGetProperty("effective_canister", out JsonElement c) && c.ValueKind == JsonValueKind.String ? Principal.Parse(c.GetString()!) : null;
        Principal? subnet = entry.TryGetProperty("effective_subnet", out JsonElement s) ? Principal.Parse(s.GetString()!) : null;
        Assert.That(Verify(file, canister, subnet), Is.EqualTo(VerificationResult.Valid));
    }

    [TestCase("ivg37_time.bin", "ryjl3-tyaaa-aaaaa-aaaba-cai")]
    [TestCase("ivg37_delegated_v2.bin", "ryjl3-tyaaa-aaaaa-aaaba-cai")]
    [TestCase("224od_subnet.bin", "rdmx6-jaaaa-aaaaa-aaadq-cai")]
    public void Verify_CanisterOutsideDelegationRanges_NotAuthorized(string file, string canister)
    {
        VerificationResult r = Verify(file, Principal.Parse(canister));
        Assert.That(r.IsValid, Is.False);
        Assert.That(r.Reason, Does.Contain("not authorized"));
    }

    [TestCase("ivg37_time_pruned_ranges.bin")]
    [TestCase("ivg37_delegated_v2_pruned_subnet.bin")]
    public void Verify_PrunedRanges_Rejected(string file)
    {
        VerificationResult r = Verify(file, Principal.Parse("ivg37-qiaaa-aaaab-aaaga-cai"));
        Assert.That(r.IsValid, Is.False);
        Assert.That(r.Reason, Does.Contain("Unknown"));
    }

    [Test]
    public void Verify_WrongSubnet_Rejected()
    {
        VerificationResult r = Verify("uzr34_node_keys.bin", subnet: Principal.Parse("tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe"));
        Assert.That(r.IsValid, Is.False);
    }

    [Test]
    public void Verify_NestedDelegation_Rejected()
    {
        // A certificate whose delegation certificate is itself delegated (agent-rs CertificateHasTooManyDelegations).
        Certificate c = Load("uzr34_node_keys.bin");
        var nested = new Certificate(c.Tree, c.Signature, new CertificateDelegation(c.Delegation!.SubnetId, c.Encode()));
        VerificationResult r = CertificateVerifier.Verify(nested, new CertificateVerificationOptions { RootKey = IcVectors.MainnetRootKeyDer });
        Assert.That(r.Reason, Does.Contain("too many delegations"));
    }

    [Test]
    public void Verify_TamperedTreeOrSignature_Invalid()
    {
        Certificate c = Load("agentjs_golden_mainnetSystem.cert.hex");
        byte[] sig = (byte[])c.Signature.Clone();
        sig[10] ^= 1;
        var badSig = new Certificate(c.Tree, sig);
        var badTree = new Certificate(HashTree.Fork(c.Tree, HashTree.Empty), c.Signature);
        var options = new CertificateVerificationOptions { RootKey = IcVectors.MainnetRootKeyDer };
        Assert.That(CertificateVerifier.Verify(badSig, options).IsValid, Is.False);
        Assert.That(CertificateVerifier.Verify(badTree, options).IsValid, Is.False);
        Assert.That(CertificateVerifier.Verify(c, options).IsValid, Is.True);
    }

    [Test]
    public void Verify_Time_CheckedAgainstWindow()
    {
        Certificate c = Load("ivg37_time.bin");
        ulong t = c.Time!.Value;
        CertificateVerificationOptions Opts(ulong now) => new()
        {
            RootKey = IcVectors.MainnetRootKeyDer,
            EffectiveCanisterId = Principal.Parse("ivg37-qiaaa-aaaab-aaaga-cai"),
            NowNanos = now,
            MaxAgeNanos = 60_000_000_000,
        };
        Assert.That(CertificateVerifier.Verify(c, Opts(t + 30_000_000_000)).IsValid, Is.True);
        Assert.That(CertificateVerifier.Verify(c, Opts(t + 61_000_000_000)).Reason, Does.Contain("outdated"));
        Assert.That(CertificateVerifier.Verify(c, Opts(t - 61_000_000_000)).Reason, Does.Contain("future"));
    }

    [Test]
    public void Lookup_RejectedRequestStatus_MatchesIndex()
    {
        JsonElement lookups = Entry("ivg37_delegated_v2.bin").GetProperty("lookups");
        Certificate c = Load("ivg37_delegated_v2.bin");
        byte[] rid = lookups.Hex("request_id");
        Assert.That(Encoding.UTF8.GetString(c.Lookup("request_status", rid, "status").Value.Span), Is.EqualTo("rejected"));
        Assert.That(c.Lookup("request_status", rid, "reject_code").Value.ToArray(), Is.EqualTo(new byte[] { 3 }));
        Assert.That(Encoding.UTF8.GetString(c.Lookup("request_status", rid, "reject_message").Value.Span), Is.EqualTo(lookups.Str("reject_message")));
        Assert.That(c.Lookup("request_status", rid, "reply").Status, Is.EqualTo(LookupStatus.Absent));
        Assert.That(c.Lookup("request_status", rid, "error_code").Status, Is.EqualTo(LookupStatus.Absent));
    }

    [Test]
    public void Lookup_CanisterStatusLocal_ModuleHashControllersMetadata()
    {
        JsonElement lookups = Entry("agentjs_canisterStatus_local.cert.hex").GetProperty("lookups");
        Certificate c = Load("agentjs_canisterStatus_local.cert.hex");
        Principal canister = Principal.Parse(lookups.Str("canister"));
        Assert.That(Convert.ToHexStringLower(c.Lookup("canister", canister, "module_hash").Value.Span), Is.EqualTo(lookups.Str("module_hash")));
        Assert.That(Convert.ToHexStringLower(c.Lookup("canister", canister, "controllers").Value.Span), Is.EqualTo(lookups.Str("controllers_cbor")));
        Assert.That(Encoding.UTF8.GetString(c.Lookup("canister", canister, "metadata", "candid:service").Value.Span),
            Is.EqualTo(lookups.Str("candid_service_metadata_utf8")));
    }

    [Test]
    public void Lookup_SubnetNodeKeys_ThirteenNodes()
    {
        JsonElement lookups = Entry("224od_subnet.bin").GetProperty("lookups");
        Certificate c = Load("224od_subnet.bin");
        Principal subnet = c.Delegation!.SubnetId;
        SubtreeLookupResult nodes = c.Tree.LookupSubtree("subnet", subnet, "node");
        Assert.That(nodes.Tree!.Children(), Has.Count.EqualTo(lookups.GetProperty("node_count_under_subnet_o3ow2").GetInt32()));
        byte[] key = c.Lookup("subnet", subnet, "node", Principal.Parse(lookups.Str("example_node")), "public_key").Value.ToArray();
        Assert.That(Convert.ToHexStringLower(key), Is.EqualTo(lookups.Str("example_node_public_key_der")));
        Assert.That(Principal.SelfAuthenticating(key).ToString(), Is.EqualTo(lookups.Str("example_node")));
    }

    [Test]
    public void SelfDerivedBls_RootAndDelegatedCertificates_Verify()
    {
        JsonElement v = IcVectors.Json("self_derived_bls.json");
        byte[] root = v.GetProperty("root").Hex("pk_der_hex");
        Certificate timeOnly = Certificate.Decode(v.GetProperty("cert_time_only").Hex("cbor_hex"));
        Assert.That(CertificateVerifier.Verify(timeOnly, new CertificateVerificationOptions { RootKey = root }).IsValid, Is.True);
        Assert.That(CertificateVerifier.Verify(timeOnly, new CertificateVerificationOptions { RootKey = IcVectors.MainnetRootKeyDer }).IsValid, Is.False);
        JsonElement delegated = v.GetProperty("subnet_cert_with_delegation");
        Certificate sub = Certificate.Decode(delegated.Hex("cbor_hex"));
        Principal canister = Principal.FromBytes(delegated.Hex("canister_id_hex"));
        var opts = new CertificateVerificationOptions { RootKey = root, EffectiveCanisterId = canister };
        Assert.That(CertificateVerifier.Verify(sub, opts), Is.EqualTo(VerificationResult.Valid));
        Assert.That(CertificateVerifier.Verify(sub, opts with { EffectiveCanisterId = Principal.CanisterId(0x100000) }).IsValid, Is.False);
        Assert.That(Convert.ToHexStringLower(sub.Lookup("canister", canister, "certified_data").Value.Span), Is.EqualTo(delegated.Str("certified_data_hex")));
    }

    [Test]
    public void Decode_TruncatedAndMutatedCertificates_OnlyCborFormatExceptionOrInvalid()
    {
        byte[] body = IcVectors.CertificateFile("ivg37_time.bin");
        for (int n = 0; n < body.Length; n += 7)
        {
            Assert.Throws<CborFormatException>(() => Certificate.DecodeCertificateOrResponse(body.AsMemory(0, n)));
        }

        var options = new CertificateVerificationOptions { RootKey = IcVectors.MainnetRootKeyDer, EffectiveCanisterId = Principal.Parse("ivg37-qiaaa-aaaab-aaaga-cai") };
        Gen.Int[0, body.Length - 1].Select(Gen.Byte).Sample((pos, value) =>
        {
            byte[] mutated = (byte[])body.Clone();
            if (mutated[pos] == value)
            {
                return;
            }

            mutated[pos] = value;
            try
            {
                Certificate c = Certificate.DecodeCertificateOrResponse(mutated);
                // A single changed byte either breaks decoding or the signature (or lands in ignored bytes).
                _ = CertificateVerifier.Verify(c, options);
            }
            catch (CborFormatException)
            {
            }
        }, iter: 60);
    }
}
