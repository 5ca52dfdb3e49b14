using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;

namespace InternetIdentity.Protocol.Tests.Candid;

public class CandidMappingTests
{
    [Test]
    public void CodecFor_DeviceData_GivesTheDidType()
    {
        string type = CandidMapping.CodecFor<DeviceData>().Type.ToString();

        Assert.That(type, Does.Contain("pubkey : blob;"));
        Assert.That(type, Does.Contain("alias : text;"));
        Assert.That(type, Does.Contain("credential_id : opt blob;"));
        Assert.That(type, Does.Contain("purpose : variant { recovery; authentication; }").Or.Contain("purpose : variant { authentication; recovery; }"));
        Assert.That(type, Does.Contain("cross_platform;"));
        Assert.That(type, Does.Contain("origin : opt text;"));
        Assert.That(type, Does.Contain("metadata : opt vec record { text; variant { map : vec record { text; MetadataEntry; };"));
    }

    [Test]
    public void CodecFor_MetadataEntry_IsRecursiveThroughAKnot()
    {
        CandidType t = CandidMapping.CodecFor<MetadataEntry>().Type;

        Assert.That(t.ToString(), Is.EqualTo("variant { map : vec record { text; MetadataEntry; }; string : text; bytes : blob; }"));
    }

    [Test]
    public void EncodeDecode_DeviceData_RoundTrips()
    {
        DeviceData device = InternetIdentitySamples.Device();

        byte[] bytes = CandidArgs.Encode(device);
        DeviceData back = CandidArgs.Decode<DeviceData>(bytes);

        Assert.That(back.PubKey, Is.EqualTo(device.PubKey));
        Assert.That(back.CredentialId, Is.EqualTo(device.CredentialId));
        Assert.That(back.Alias, Is.EqualTo(device.Alias));
        Assert.That(back.KeyType, Is.EqualTo(KeyType.CrossPlatform));
        Assert.That(back.Origin, Is.EqualTo(device.Origin));
        Assert.That(back.Metadata, Has.Count.EqualTo(2));
        Assert.That(back.Metadata![0], Is.EqualTo(("usage", (MetadataEntry)new MetadataEntry.String("recovery_phrase"))));
        var nested = (MetadataEntry.Map)back.Metadata[1].Item2;
        Assert.That(((MetadataEntry.Bytes)nested.Value[0].Item2).Value, Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void Decode_DeviceDataWithoutOptionalFields_ReadsThemAsNull()
    {
        // An older client that knows only the first fields of DeviceData.
        var oldType = CandidType.Record(
            ("pubkey", CandidType.Blob), ("alias", CandidType.Text), ("credential_id", CandidType.Opt(CandidType.Blob)),
            ("purpose", CandidType.Enum("recovery", "authentication")),
            ("key_type", CandidType.Enum("unknown", "platform", "cross_platform", "seed_phrase")),
            ("protection", CandidType.Enum("protected", "unprotected")));
        byte[] bytes = CandidEncoder.Encode(oldType, CandidValue.Record(
            ("pubkey", CandidValue.Blob([1, 2, 3])), ("alias", CandidValue.Text("old")), ("credential_id", CandidValue.None),
            ("purpose", CandidValue.Variant("recovery")), ("key_type", CandidValue.Variant("seed_phrase")),
            ("protection", CandidValue.Variant("protected"))));

        DeviceData d = CandidArgs.Decode<DeviceData>(bytes);

        Assert.That(d.Alias, Is.EqualTo("old"));
        Assert.That(d.Purpose, Is.EqualTo(Purpose.Recovery));
        Assert.That(d.KeyType, Is.EqualTo(KeyType.SeedPhrase));
        Assert.That(d.Origin, Is.Null);
        Assert.That(d.Aaguid, Is.Null);
        Assert.That(d.Metadata, Is.Null);
    }

    [Test]
    public void EncodeDecode_PrepareDelegationArguments_RoundTrip()
    {
        byte[] bytes = CandidArgs.Encode(10_000UL, "https://dapp.example", new byte[] { 1, 2 }, (ulong?)3_600_000_000_000UL);

        (ulong anchor, string origin, byte[] key, ulong? ttl) = CandidArgs.Decode<ulong, string, byte[], ulong?>(bytes);

        Assert.That((anchor, origin, key, ttl), Is.EqualTo((10_000UL, "https://dapp.example", new byte[] { 1, 2 }, (ulong?)3_600_000_000_000UL)));
        Assert.That(CandidArgs.Decode<ulong, string, byte[], ulong?>(CandidArgs.Encode(1UL, "o", new byte[0], (ulong?)null)).Item4, Is.Null);
    }

    [Test]
    public void EncodeDecode_VariantClasses_UsePayloadRules()
    {
        var delegation = new SignedDelegation(new Delegation([9], 42, [new CandidPrincipal([0xca, 0xff, 0xee])]), [7, 7]);
        GetDelegationResponse response = new GetDelegationResponse.SignedDelegation(delegation);

        GetDelegationResponse back = CandidArgs.Decode<GetDelegationResponse>(CandidArgs.Encode(response));

        var signed = (GetDelegationResponse.SignedDelegation)back;
        Assert.That(signed.Value.Delegation.Expiration, Is.EqualTo(42UL));
        Assert.That(signed.Value.Delegation.Targets![0], Is.EqualTo(new CandidPrincipal([0xca, 0xff, 0xee])));
        Assert.That(CandidArgs.Decode<RegisterResponse>(CandidArgs.Encode<RegisterResponse>(new RegisterResponse.Registered(10_001))),
            Is.EqualTo(new RegisterResponse.Registered(10_001)));
        Assert.That(CandidArgs.Decode<RegisterResponse>(CandidArgs.Encode<RegisterResponse>(new RegisterResponse.CanisterFull())),
            Is.InstanceOf<RegisterResponse.CanisterFull>());
    }

    [Test]
    public void Encode_RegisterResponse_MatchesDynamicEncoding()
    {
        byte[] typed = CandidArgs.Encode<RegisterResponse>(new RegisterResponse.Registered(7));
        var dynamicType = CandidType.Variant(
            ("registered", CandidType.Record(("user_number", CandidType.Nat64))), ("canister_full", CandidType.Null), ("bad_challenge", CandidType.Null));

        byte[] dynamic = CandidEncoder.Encode(dynamicType, CandidValue.Variant("registered", CandidValue.Record(("user_number", CandidValue.Nat64(7)))));

        Assert.That(typed, Is.EqualTo(dynamic));
    }

    [Test]
    public void Decode_AlternatingHeadersWithOneCodec_EachDecodedAtItsOwnTypes()
    {
        // One codec remembers the last header it parsed; messages with other headers, or damaged values after
        // the same header, must still be read exactly.
        byte[] plain = CandidArgs.Encode(new ChallengeResult("k1", "c1"));
        var extended = CandidType.Record(("key", CandidType.Text), ("chars", CandidType.Text), ("extra", CandidType.Nat));
        byte[] other = CandidEncoder.Encode(extended, CandidValue.Record(
            ("key", CandidValue.Text("k2")), ("chars", CandidValue.Text("c2")), ("extra", CandidValue.Nat(1))));

        for (int i = 0; i < 3; i++)
        {
            Assert.That(CandidArgs.Decode<ChallengeResult>(plain), Is.EqualTo(new ChallengeResult("k1", "c1")));
            Assert.That(CandidArgs.Decode<ChallengeResult>(other), Is.EqualTo(new ChallengeResult("k2", "c2")));
            Assert.Throws<CandidFormatException>(() => CandidArgs.Decode<ChallengeResult>(plain.AsSpan(0, plain.Length - 1)));
            Assert.Throws<CandidFormatException>(() => CandidArgs.Decode<ChallengeResult>(plain.AsSpan(0, 5)));
        }

        (ulong a, string b) = CandidArgs.Decode<ulong, string>(CandidArgs.Encode(5UL, "x"));
        (ulong c, string d) = CandidArgs.Decode<ulong, string>(CandidEncoder.Encode(
            [CandidType.Nat64, CandidType.Text, CandidType.Bool], [CandidValue.Nat64(6), CandidValue.Text("y"), CandidValue.Bool(true)]));
        Assert.That((a, b, c, d), Is.EqualTo((5UL, "x", 6UL, "y")));
    }

    [Test]
    public void Decode_WrongType_ThrowsFormatException()
    {
        byte[] bytes = CandidArgs.Encode("text, not a device");

        Assert.Throws<CandidFormatException>(() => CandidArgs.Decode<DeviceData>(bytes));
    }

    [Test]
    public void Encode_NullForNonOptional_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => CandidArgs.Encode(new ChallengeResult("k", null!)));
    }

    [TestCase("CredentialId", "credential_id")]
    [TestCase("Pubkey", "pubkey")]
    [TestCase("HTTPRequest", "http_request")]
    [TestCase("Nat64Value", "nat64_value")]
    public void SnakeCase_Names_Convert(string name, string expected)
    {
        Assert.That(CandidMapping.SnakeCase(name), Is.EqualTo(expected));
    }
}
