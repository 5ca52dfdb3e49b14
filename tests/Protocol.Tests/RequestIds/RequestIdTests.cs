using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Tests.Support;
using static InternetIdentity.Protocol.RequestIds.RepresentationIndependentHash;

namespace InternetIdentity.Protocol.Tests.RequestIds;

public class RequestIdTests
{
    private static readonly JsonElement s_vectors = IcVectors.Json("request_id.json");

    private static string Expected(int index) => s_vectors.GetProperty("vectors")[index].Str("request_id");

    private static string Hex(byte[] b) => Convert.ToHexStringLower(b);

    [Test]
    public void Leb128_SpecExamples_Match()
    {
        Assert.That(Hex(Leb128.EncodeUnsigned(624485UL)), Is.EqualTo("e58e26"));
        Assert.That(Hex(Leb128.EncodeUnsigned(0UL)), Is.EqualTo("00"));
        Assert.That(Hex(Leb128.EncodeSigned(-123456)), Is.EqualTo("c0bb78"));
        Assert.That(Hex(Leb128.EncodeSigned(73)), Is.EqualTo("c900"));
        Assert.That(Hex(Leb128.EncodeUnsigned(new BigInteger(ulong.MaxValue) + 1)), Is.EqualTo("80808080808080808002"));
        Assert.That(Leb128.TryDecodeUnsigned([0xe5, 0x8e, 0x26], out ulong v) && v == 624485, Is.True);
        Assert.That(Leb128.TryDecodeUnsigned([0xe5, 0x8e], out _), Is.False);
        Assert.That(Leb128.TryDecodeUnsigned([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02], out _), Is.False);
    }

    [Test]
    public void HashOfMap_SpecExample_MatchesIncludingIntermediates()
    {
        JsonElement v = s_vectors.GetProperty("vectors")[0];
        var fields = new Dictionary<string, byte[]>
        {
            ["request_type"] = Text("call"),
            ["sender"] = Blob([0x04]),
            ["ingress_expiry"] = Nat(1685570400000000000UL),
            ["canister_id"] = Blob(Convert.FromHexString("00000000000004D2")),
            ["method_name"] = Text("hello"),
            ["arg"] = Blob(Convert.FromHexString("4449444c00fd2a")),
        };
        foreach (JsonElement triple in v.GetProperty("intermediate_key_value_hashes").EnumerateArray())
        {
            string key = triple[0].GetString()!;
            Assert.That(Hex(SHA256.HashData(Encoding.UTF8.GetBytes(key))), Is.EqualTo(triple[1].GetString()), key);
            Assert.That(Hex(fields[key]), Is.EqualTo(triple[2].GetString()), key);
        }

        Assert.That(Hex(Map(fields)), Is.EqualTo(v.Str("request_id")));
    }

    [Test]
    public void HashOfMap_SpecExampleAgainAndManyOtherKeys_SameAsHashingEveryKey()
    {
        // Map remembers the hashes of short keys (up to a bound): the second hash of the spec's map, and maps of more
        // distinct keys than it remembers, long ones among them, equal the definition computed key by key.
        static byte[] Reference(IReadOnlyList<(string Key, byte[] Value)> fields) => SHA256.HashData(
            fields.Select(f => SHA256.HashData(Encoding.UTF8.GetBytes(f.Key)).Concat(f.Value).ToArray())
                .OrderBy(e => e, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).SelectMany(e => e).ToArray());

        (string, byte[])[] spec = [("request_type", Text("call")), ("canister_id", Blob(Convert.FromHexString("00000000000004D2"))),
            ("method_name", Text("hello")), ("arg", Blob(Convert.FromHexString("4449444c00fd2a")))];
        Assert.That(Hex(Map(spec)), Is.EqualTo(Expected(1)));
        Assert.That(Hex(Map(spec)), Is.EqualTo(Expected(1)));
        for (int i = 0; i < 1500; i++)
        {
            (string, byte[])[] fields = [($"key-{i}", Nat((ulong)i)), (new string('k', 60 + (i % 10)) + i, Text("v")), ("arg", Blob([(byte)i]))];
            Assert.That(Hex(Map(fields)), Is.EqualTo(Hex(Reference(fields))), $"map {i}");
        }
    }

    [Test]
    public void HashOfMap_OldSpecExample_Matches()
    {
        byte[] id = Map(("request_type", Text("call")), ("canister_id", Blob(Convert.FromHexString("00000000000004D2"))),
            ("method_name", Text("hello")), ("arg", Blob(Convert.FromHexString("4449444c00fd2a"))));
        Assert.That(Hex(id), Is.EqualTo(Expected(1)));
    }

    [Test]
    public void HashOfMap_IcRefArrayVectors_Match()
    {
        byte[] paths = Array([Array([]), Array([Blob([])]), Array([Blob("hello"u8), Blob("world"u8)])]);
        Assert.That(Hex(Map(("sender", Blob(Convert.FromHexString("00000000000004D2"))), ("paths", paths))), Is.EqualTo(Expected(2)));
        Assert.That(Hex(Map(("paths", Array([])))), Is.EqualTo(Expected(3)));
        Assert.That(Hex(Map(("paths", Array([Array([])])))), Is.EqualTo(Expected(4)));
    }

    [Test]
    public void HashOfMap_AgentRsStructuralVectors_Match()
    {
        Assert.That(Hex(Map(("foo", Map(("baz", Text("hello")), ("quux", Nat(3UL)))), ("bar", Blob("world"u8)))), Is.EqualTo(Expected(5)));
        Assert.That(Hex(Map(("foo", Int(73)))), Is.EqualTo(Expected(6)));
        Assert.That(Hex(Map(("foo", Nat(73UL)))), Is.Not.EqualTo(Expected(6)), "a nat 73 must hash differently from an int 73");
        Assert.That(Hex(Map(("x", Nat(3UL)), ("y", Text("hello")))), Is.EqualTo(Expected(7)));
        Assert.That(Hex(Map(("x", Nat(7000000UL)))), Is.EqualTo(Expected(8)));
        Assert.That(Hex(Map(("newtype", Nat(673UL)))), Is.EqualTo(Expected(9)));
        Assert.That(Hex(Map(("tuple", Array([Text("four"), Array([Nat(5UL), Nat(6UL)])])))), Is.EqualTo(Expected(10)));
        Assert.That(Hex(Map(("struct", Map(("field", Blob("\x0Aic-request"u8)))))), Is.EqualTo(Expected(11)));
    }

    [Test]
    public void DomainSeparators_MatchVectorBytes()
    {
        JsonElement ds = IcVectors.Json("hash_tree.json").GetProperty("domain_separators_hex");
        Assert.That(Hex(DomainSeparators.HashTreeEmpty.ToArray()), Is.EqualTo(ds.Str("ic-hashtree-empty")));
        Assert.That(Hex(DomainSeparators.HashTreeFork.ToArray()), Is.EqualTo(ds.Str("ic-hashtree-fork")));
        Assert.That(Hex(DomainSeparators.HashTreeLabeled.ToArray()), Is.EqualTo(ds.Str("ic-hashtree-labeled")));
        Assert.That(Hex(DomainSeparators.HashTreeLeaf.ToArray()), Is.EqualTo(ds.Str("ic-hashtree-leaf")));
        Assert.That(Hex(DomainSeparators.StateRoot.ToArray()), Is.EqualTo(ds.Str("ic-state-root")));
        Assert.That(Hex(DomainSeparators.Request.ToArray()), Is.EqualTo(ds.Str("ic-request")));
        Assert.That(Hex(DomainSeparators.RequestAuthDelegation.ToArray()), Is.EqualTo(ds.Str("ic-request-auth-delegation")));
        Assert.That(Hex(DomainSeparators.Response.ToArray()), Is.EqualTo(ds.Str("ic-response")));
        Assert.That(Hex(DomainSeparators.SenderInfo.ToArray()), Is.EqualTo(ds.Str("ic-sender-info")));
    }
}
