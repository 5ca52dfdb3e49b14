using System.Numerics;
using System.Text.Json;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Protocol.Tests.Candid;

/// <summary>
/// Differential tests against @dfinity/candid 3.4.3 (tests/js/candid-differential.mjs holds the same cases):
/// what it encodes decodes here to the same values, and what we encode it decodes to the same values.
/// </summary>
public class CandidDifferentialTests
{
    private static readonly Dictionary<string, (CandidType[] Types, CandidValue[] Values)> s_cases = BuildCases();

    [Test]
    public void Decode_MessagesEncodedByDfinityCandid_GiveTheSameValues()
    {
        Dictionary<string, string> encoded = JsonSerializer.Deserialize<Dictionary<string, string>>(
            NodeScript.Run("candid-differential.mjs", "", "encode"))!;

        Assert.That(encoded.Keys, Is.EquivalentTo(s_cases.Keys));
        foreach ((string name, string hex) in encoded)
        {
            (CandidType[] types, CandidValue[] values) = s_cases[name];
            IReadOnlyList<CandidValue> decoded = CandidDecoder.Decode(Convert.FromHexString(hex), types);
            Assert.That(decoded, Is.EqualTo(values), name);
        }
    }

    [Test]
    public void Encode_DecodedByDfinityCandid_GivesTheSameValues()
    {
        var ours = s_cases.ToDictionary(c => c.Key, c => Convert.ToHexString(CandidEncoder.Encode(c.Value.Types, c.Value.Values)).ToLowerInvariant());

        Dictionary<string, string> results = JsonSerializer.Deserialize<Dictionary<string, string>>(
            NodeScript.Run("candid-differential.mjs", JsonSerializer.Serialize(ours), "decode"))!;

        Assert.That(results.Keys, Is.EquivalentTo(s_cases.Keys));
        Assert.Multiple(() =>
        {
            foreach ((string name, string result) in results)
            {
                Assert.That(result, Is.EqualTo("ok"), name);
            }
        });
    }

    [Test]
    public void Decode_DeviceDataEncodedByDfinityCandid_MapsToTypedRecord()
    {
        Dictionary<string, string> encoded = JsonSerializer.Deserialize<Dictionary<string, string>>(
            NodeScript.Run("candid-differential.mjs", "", "encode"))!;

        DeviceData d = CandidArgs.Decode<DeviceData>(Convert.FromHexString(encoded["device_data"]));

        Assert.That(d.Alias, Is.EqualTo("MacBook Pro ☃"));
        Assert.That(d.PubKey, Has.Length.EqualTo(77));
        Assert.That(d.CredentialId, Is.EqualTo(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray()));
        Assert.That(d.Aaguid, Is.Null);
        Assert.That(d.KeyType, Is.EqualTo(KeyType.CrossPlatform));
        Assert.That(d.Origin, Is.EqualTo("https://identity.ic0.app"));
        Assert.That(((MetadataEntry.Map)d.Metadata![1].Item2).Value[0].Item1, Is.EqualTo("raw"));

        // And the typed encoding is read back by @dfinity/candid as the same device.
        string verdict = NodeScript.Run("candid-differential.mjs",
            JsonSerializer.Serialize(new Dictionary<string, string> { ["device_data"] = Convert.ToHexString(CandidArgs.Encode(d)).ToLowerInvariant() }), "decode");
        Assert.That(verdict, Is.EqualTo("{\"device_data\":\"ok\"}"));
    }

    private static byte[] Range(int n, Func<int, int> f) => Enumerable.Range(0, n).Select(i => (byte)f(i)).ToArray();

    private static CandidValue P(params byte[] bytes) => CandidValue.OfPrincipal(new CandidPrincipal(bytes));

    private static Dictionary<string, (CandidType[], CandidValue[])> BuildCases()
    {
        var metadataMap = new CandidRecursiveType("MetadataMap");
        metadataMap.Define(CandidType.Vec(CandidType.Tuple(CandidType.Text,
            CandidType.Variant(("map", metadataMap), ("string", CandidType.Text), ("bytes", CandidType.Blob)))));
        var deviceData = CandidType.Record(
            ("pubkey", CandidType.Blob), ("alias", CandidType.Text), ("credential_id", CandidType.Opt(CandidType.Blob)),
            ("aaguid", CandidType.Opt(CandidType.Blob)), ("purpose", CandidType.Enum("recovery", "authentication")),
            ("key_type", CandidType.Enum("unknown", "platform", "cross_platform", "seed_phrase", "browser_storage_key")),
            ("protection", CandidType.Enum("protected", "unprotected")), ("origin", CandidType.Opt(CandidType.Text)),
            ("metadata", CandidType.Opt(metadataMap)));
        var registerResponse = CandidType.Variant(
            ("registered", CandidType.Record(("user_number", CandidType.Nat64))), ("canister_full", CandidType.Null), ("bad_challenge", CandidType.Null));
        var delegation = CandidType.Record(
            ("pubkey", CandidType.Blob), ("expiration", CandidType.Nat64), ("targets", CandidType.Opt(CandidType.Vec(CandidType.Principal))));
        var getDelegationResponse = CandidType.Variant(
            ("signed_delegation", CandidType.Record(("delegation", delegation), ("signature", CandidType.Blob))), ("no_such_delegation", CandidType.Null));
        var list = new CandidRecursiveType("List");
        list.Define(CandidType.Opt(CandidType.Record(("head", CandidType.Int), ("tail", list))));
        var numbers = CandidType.Record(
            ("n", CandidType.Nat), ("i", CandidType.Int), ("n8", CandidType.Nat8), ("n16", CandidType.Nat16), ("n32", CandidType.Nat32),
            ("n64", CandidType.Nat64), ("i8", CandidType.Int8), ("i16", CandidType.Int16), ("i32", CandidType.Int32), ("i64", CandidType.Int64),
            ("f32", CandidType.Float32), ("f64", CandidType.Float64));
        var optOptNat = CandidType.Opt(CandidType.Opt(CandidType.Nat));
        CandidValue ListNode(long head, CandidValue tail) => CandidValue.Some(CandidValue.Record(("head", CandidValue.Int(head)), ("tail", tail)));

        return new()
        {
            ["device_data"] = ([deviceData], [CandidValue.Record(
                ("pubkey", CandidValue.Blob(Range(77, i => i * 7))), ("alias", CandidValue.Text("MacBook Pro ☃")),
                ("credential_id", CandidValue.Some(CandidValue.Blob(Range(64, i => i)))), ("aaguid", CandidValue.None),
                ("purpose", CandidValue.Variant("authentication")), ("key_type", CandidValue.Variant("cross_platform")),
                ("protection", CandidValue.Variant("unprotected")), ("origin", CandidValue.Some(CandidValue.Text("https://identity.ic0.app"))),
                ("metadata", CandidValue.Some(CandidValue.Vec(
                    CandidValue.Tuple(CandidValue.Text("usage"), CandidValue.Variant("string", CandidValue.Text("recovery_phrase"))),
                    CandidValue.Tuple(CandidValue.Text("nested"), CandidValue.Variant("map", CandidValue.Vec(
                        CandidValue.Tuple(CandidValue.Text("raw"), CandidValue.Variant("bytes", CandidValue.Blob([1, 2, 3]))))))))))]),
            ["device_data_minimal"] = ([deviceData], [CandidValue.Record(
                ("pubkey", CandidValue.Blob([1, 2, 3])), ("alias", CandidValue.Text("")), ("credential_id", CandidValue.None),
                ("aaguid", CandidValue.None), ("purpose", CandidValue.Variant("recovery")), ("key_type", CandidValue.Variant("seed_phrase")),
                ("protection", CandidValue.Variant("protected")), ("origin", CandidValue.None), ("metadata", CandidValue.None))]),
            ["register_registered"] = ([registerResponse], [CandidValue.Variant("registered", CandidValue.Record(("user_number", CandidValue.Nat64(10000))))]),
            ["register_canister_full"] = ([registerResponse], [CandidValue.Variant("canister_full")]),
            ["vec_blob"] = ([CandidType.Vec(CandidType.Blob)], [CandidValue.Vec(CandidValue.Blob([]), CandidValue.Blob([0]), CandidValue.Blob(Range(300, i => i)))]),
            ["principals"] = ([CandidType.Principal, CandidType.Principal, CandidType.Principal],
                [P(4), P(), P(Range(29, i => i == 28 ? 2 : i * 3))]),
            ["nested_opt"] = ([optOptNat, optOptNat, optOptNat],
                [CandidValue.Some(CandidValue.Some(CandidValue.Nat(5))), CandidValue.Some(CandidValue.None), CandidValue.None]),
            ["recursive_list"] = ([list], [ListNode(1, ListNode(-2, ListNode(3, CandidValue.None)))]),
            ["numbers"] = ([numbers], [CandidValue.Record(
                ("n", CandidValue.Nat(BigInteger.Pow(2, 100))), ("i", CandidValue.Int(-BigInteger.Pow(2, 70))), ("n8", CandidValue.Nat8(255)),
                ("n16", CandidValue.Nat16(65535)), ("n32", CandidValue.Nat32(uint.MaxValue)), ("n64", CandidValue.Nat64(ulong.MaxValue)),
                ("i8", CandidValue.Int8(sbyte.MinValue)), ("i16", CandidValue.Int16(short.MinValue)), ("i32", CandidValue.Int32(int.MinValue)),
                ("i64", CandidValue.Int64(long.MinValue)), ("f32", CandidValue.Float32(0.5f)), ("f64", CandidValue.Float64(-1.25e300)))]),
            ["text_unicode"] = ([CandidType.Text], [CandidValue.Text("☃ snow 🐂 \"quoted\"\n")]),
            ["tuple"] = ([CandidType.Tuple(CandidType.Nat64, CandidType.Nat64)], [CandidValue.Tuple(CandidValue.Nat64(10000), CandidValue.Nat64(20000))]),
            ["get_delegation_signed"] = ([getDelegationResponse], [CandidValue.Variant("signed_delegation", CandidValue.Record(
                ("delegation", CandidValue.Record(
                    ("pubkey", CandidValue.Blob(Range(44, i => i))), ("expiration", CandidValue.Nat64(1_700_000_000_000_000_000)),
                    ("targets", CandidValue.Some(CandidValue.Vec(P(0xca, 0xff, 0xee)))))),
                ("signature", CandidValue.Blob(Range(100, i => 255 - i)))))]),
            ["get_delegation_none"] = ([getDelegationResponse], [CandidValue.Variant("no_such_delegation")]),
            ["references"] = (
                [new CandidFuncType([CandidType.Text], [CandidType.Nat], CandidFuncModes.Query),
                 new CandidServiceType([new CandidMethod("get", new CandidFuncType([], [CandidType.Nat], CandidFuncModes.Query))])],
                [new CandidFuncValue(new CandidPrincipal([0xca, 0xff, 0xee]), "lookup"), new CandidServiceValue(new CandidPrincipal([0, 0, 0, 0, 0, 0, 0, 7, 1, 1]))]),
            ["prepare_delegation_args"] = ([CandidType.Nat64, CandidType.Text, CandidType.Blob, CandidType.Opt(CandidType.Nat64)],
                [CandidValue.Nat64(10000), CandidValue.Text("https://dapp.example"), CandidValue.Blob(Range(44, i => i)), CandidValue.Some(CandidValue.Nat64(3_600_000_000_000))]),
        };
    }
}
