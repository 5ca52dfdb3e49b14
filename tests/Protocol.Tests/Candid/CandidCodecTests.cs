using System.Diagnostics;
using System.Numerics;
using InternetIdentity.Protocol.Candid;

namespace InternetIdentity.Protocol.Tests.Candid;

public class CandidCodecTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    [TestCase("foo", 5097222u)]
    [TestCase("bar", 4895187u)]
    [TestCase("head", 1158359328u)]
    [TestCase("", 0u)]
    public void Hash_KnownNames_MatchSpecIds(string name, uint id)
    {
        Assert.That(CandidLabel.Hash(name), Is.EqualTo(id));
    }

    [Test]
    public void Encode_NamedRecord_GivesSpecBytes()
    {
        var type = CandidType.Record(("foo", CandidType.Int), ("bar", CandidType.Bool));
        var value = CandidValue.Record(("foo", CandidValue.Int(42)), ("bar", CandidValue.Bool(true)));

        byte[] bytes = CandidEncoder.Encode(type, value);

        // construct.test.did "record: named fields"
        Assert.That(Convert.ToHexString(bytes), Is.EqualTo("4449444C016C02D3E3AA027E868EB7027C0100012A"));
    }

    [Test]
    public void Encode_Primitives_GiveLittleEndianAndLeb()
    {
        byte[] bytes = CandidEncoder.Encode(
            [CandidType.Nat, CandidType.Int, CandidType.Nat16, CandidType.Int64, CandidType.Text],
            [CandidValue.Nat(624485), CandidValue.Int(-123456), CandidValue.Nat16(0x1234), CandidValue.Int64(-1), CandidValue.Text("☃")]);

        Assert.That(Convert.ToHexString(bytes), Is.EqualTo("4449444C00057D7C7A7471" + "E58E26" + "C0BB78" + "3412" + "FFFFFFFFFFFFFFFF" + "03E29883"));
    }

    [Test]
    public void Prepare_Layout_EncodesLikeEncode()
    {
        CandidType[] types = [CandidType.Nat64, CandidType.Opt(CandidType.Text)];
        CandidValue[] values = [CandidValue.Nat64(7), CandidValue.Some(CandidValue.Text("x"))];
        CandidArgumentLayout layout = CandidEncoder.Prepare(types);

        Assert.That(layout.Encode(values), Is.EqualTo(CandidEncoder.Encode(types, values)));
        Assert.Throws<ArgumentException>(() => layout.Encode([CandidValue.Nat64(7)]));
    }

    [Test]
    public void Encode_RecursiveList_UsesOneTableEntryPerConstructor()
    {
        var list = new CandidRecursiveType("List");
        list.Define(CandidType.Opt(CandidType.Record(("head", CandidType.Int), ("tail", list))));
        CandidValue value = CandidValue.Some(CandidValue.Record(
            ("head", CandidValue.Int(1)),
            ("tail", CandidValue.Some(CandidValue.Record(("head", CandidValue.Int(2)), ("tail", CandidValue.None))))));

        byte[] bytes = CandidEncoder.Encode(list, value);

        // construct.test.did "record: mutual recursive list": the same bytes the spec gives.
        Assert.That(Convert.ToHexString(bytes), Is.EqualTo("4449444C026E016C02A0D2ACA8047C90EDDAE7040001000101010200"));
        Assert.That(CandidDecoder.Decode(bytes, [list])[0], Is.EqualTo(value));
    }

    [Test]
    public void Decode_ExtraFieldsAndMissingOptFields_FollowSubtyping()
    {
        var sent = CandidType.Record(("alias", CandidType.Text), ("extra", CandidType.Nat), ("pubkey", CandidType.Blob));
        byte[] bytes = CandidEncoder.Encode(sent, CandidValue.Record(
            ("alias", CandidValue.Text("a")), ("extra", CandidValue.Nat(7)), ("pubkey", CandidValue.Blob([1, 2]))));
        var expected = CandidType.Record(("alias", CandidType.Text), ("pubkey", CandidType.Blob), ("origin", CandidType.Opt(CandidType.Text)));

        var record = (CandidRecord)CandidDecoder.Decode(bytes, [expected])[0];

        Assert.That(record["alias"], Is.EqualTo(CandidValue.Text("a")));
        Assert.That(record["pubkey"], Is.EqualTo(CandidValue.Blob([1, 2])));
        Assert.That(record["origin"], Is.EqualTo(CandidValue.None));
        Assert.That(record.Get(CandidLabel.Hash("extra")), Is.Null);
    }

    [Test]
    public void Decode_MissingRequiredField_ThrowsNamingTheField()
    {
        byte[] bytes = CandidEncoder.Encode(CandidType.Record(("a", CandidType.Nat)), CandidValue.Record(("a", CandidValue.Nat(1))));

        var e = Assert.Throws<CandidFormatException>(() =>
            CandidDecoder.Decode(bytes, [CandidType.Record(("a", CandidType.Nat), ("device_key", CandidType.Blob))]));

        Assert.That(e!.Message, Does.Contain("device_key").And.Contain("missing"));
    }

    [Test]
    public void Decode_MismatchedValueUnderOpt_ReadsAsNull()
    {
        byte[] bytes = CandidEncoder.Encode(CandidType.Text, CandidValue.Text("not a number"));

        Assert.That(CandidDecoder.Decode(bytes, [CandidType.Opt(CandidType.Nat)])[0], Is.EqualTo(CandidValue.None));
        Assert.Throws<CandidFormatException>(() => CandidDecoder.Decode(bytes, [CandidType.Nat]));
    }

    [Test]
    public void Decode_NotCandid_ThrowsWithClearMessage()
    {
        var e = Assert.Throws<CandidFormatException>(() => CandidDecoder.Decode("hello"u8, []));
        Assert.That(e!.Message, Does.Contain("DIDL"));
    }

    [Test]
    public void TryDecode_Truncated_ReturnsFalseAndMessage()
    {
        bool ok = CandidDecoder.TryDecode(Hex("4449444C00017D80"), [CandidType.Nat], out IReadOnlyList<CandidValue> values, out string? error);

        Assert.That(ok, Is.False);
        Assert.That(values, Is.Empty);
        Assert.That(error, Does.Contain("input ends inside nat"));
    }

    [Test]
    public void Decode_BillionZeroSizedElements_RefusedByCostLimitAtOnce()
    {
        // vec null with 1,000,000,000 elements in 10 bytes: refused before any element is read.
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<CandidFormatException>(() => CandidDecoder.Decode(Hex("4449444C016D7F010080 94EBDC03".Replace(" ", "")), []));
        Assert.That(e!.Message, Does.Contain("value units"));
        Assert.That(watch.ElapsedMilliseconds, Is.LessThan(1000));
    }

    [Test]
    public void Decode_ThousandZeroSizedElements_Accepted()
    {
        IReadOnlyList<CandidValue> v = CandidDecoder.Decode(Hex("4449444C016D7F0100E807"), [CandidType.Vec(CandidType.Null)]);
        Assert.That(((CandidVec)v[0]).Elements, Has.Count.EqualTo(1000));
    }

    [Test]
    public void Decode_CostLimit_IsConfigurable()
    {
        byte[] bytes = Hex("4449444C016D7F0100E807");
        var tight = new CandidDecoderOptions { MaxCost = 500 };

        Assert.Throws<CandidFormatException>(() => CandidDecoder.Decode(bytes, [CandidType.Vec(CandidType.Null)], tight));
    }

    [Test]
    public void Decode_DeeplyNestedOpt_RefusedByDepthLimitNotStackOverflow()
    {
        // A type table of 10,000 nested opts and a value that goes all the way down.
        const int n = 10_000;
        var bytes = new List<byte>("DIDL"u8.ToArray());
        bytes.AddRange(Leb(n));
        for (int i = 0; i < n - 1; i++)
        {
            bytes.Add(0x6e);
            bytes.AddRange(Sleb(i + 1));
        }

        bytes.AddRange([0x6e, 0x7f, 0x01, 0x00]);
        bytes.AddRange(Enumerable.Repeat((byte)1, n));

        var e = Assert.Throws<CandidFormatException>(() => CandidDecoder.Decode(bytes.ToArray(), []));
        Assert.That(e!.Message, Does.Contain("nest deeper"));
    }

    [Test]
    public void Decode_DeepFuncChainAtRecursiveFuncType_RefusedByDepthLimit()
    {
        // Expected: type F = func () -> (F). Wire: 5,000 distinct func types, each returning the next.
        var f = new CandidRecursiveType("F");
        f.Define(new CandidFuncType([], [f]));
        const int n = 5_000;
        var bytes = new List<byte>("DIDL"u8.ToArray());
        bytes.AddRange(Leb(n));
        for (int i = 0; i < n; i++)
        {
            bytes.AddRange([0x6a, 0x00]);
            bytes.AddRange(i < n - 1 ? [0x01, .. Sleb(i + 1)] : [0x00]);
            bytes.Add(0x00);
        }

        bytes.AddRange([0x01, 0x00, 0x01, 0x01, 0x00, 0x01, (byte)'m']);

        var e = Assert.Throws<CandidFormatException>(() => CandidDecoder.Decode(bytes.ToArray(), [f]));
        Assert.That(e!.Message, Does.Contain("nest deeper"));
    }

    [Test]
    public void Decode_HugeNat_BuiltInLinearTime()
    {
        // 1 MB of LEB128 continuation bytes: a 7-million-bit nat, decoded without quadratic work.
        var bytes = new List<byte>(Hex("4449444C00017D"));
        bytes.AddRange(Enumerable.Repeat((byte)0xff, 1_000_000));
        bytes.Add(0x01);

        var watch = Stopwatch.StartNew();
        var nat = (CandidNat)CandidDecoder.Decode(bytes.ToArray(), [CandidType.Nat])[0];

        Assert.That(watch.ElapsedMilliseconds, Is.LessThan(2000));
        Assert.That(nat.Value, Is.EqualTo((BigInteger.One << 7_000_001) - 1));
    }

    [Test]
    public void Decode_TypeTableLongerThanInput_RefusedBeforeAllocating()
    {
        var e = Assert.Throws<CandidFormatException>(() => CandidDecoder.Decode(Hex("4449444C8094EBDC0300"), []));
        Assert.That(e!.Message, Does.Contain("type table length"));
    }

    [Test]
    public void DecodeUntyped_GivesWireTypesAndValues()
    {
        byte[] bytes = CandidEncoder.Encode(
            [CandidType.Variant(("ok", CandidType.Nat64), ("err", CandidType.Text)), CandidType.Principal],
            [CandidValue.Variant("err", CandidValue.Text("boom")), CandidValue.OfPrincipal(new CandidPrincipal([0xca, 0xff, 0xee]))]);

        CandidMessage m = CandidDecoder.DecodeUntyped(bytes);

        Assert.That(m.Types, Has.Count.EqualTo(2));
        Assert.That(m.Types[0].Kind, Is.EqualTo(CandidTypeKind.Variant));
        var variant = (CandidVariant)m.Values[0];
        Assert.That(variant.Label.Id, Is.EqualTo(CandidLabel.Hash("err")));
        Assert.That(variant.Value, Is.EqualTo(CandidValue.Text("boom")));
        Assert.That(((CandidPrincipalValue)m.Values[1]).Principal.Span.ToArray(), Is.EqualTo(new byte[] { 0xca, 0xff, 0xee }));
    }

    [Test]
    public void DecodeUntyped_FutureType_IsSkippedAsReserved()
    {
        // construct.test.did "skipping future type with data", read at its own types.
        CandidMessage m = CandidDecoder.DecodeUntyped(Hex("4449444C01670341424302007E0500" + "68656C6C6F" + "01"));

        Assert.That(m.Types[0].Kind, Is.EqualTo(CandidTypeKind.Future));
        Assert.That(m.Values, Is.EqualTo(new CandidValue[] { CandidValue.Reserved, CandidValue.Bool(true) }));
    }

    [Test]
    public void Encode_ValueNotFittingType_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => CandidEncoder.Encode(CandidType.Nat8, CandidValue.Text("x")));
        Assert.Throws<ArgumentException>(() => CandidEncoder.Encode(CandidType.Record(("a", CandidType.Nat)), CandidValue.Record()));
        Assert.Throws<ArgumentException>(() => CandidEncoder.Encode(CandidType.Enum("a", "b"), CandidValue.Variant("c")));
    }

    [Test]
    public void ToString_Value_GivesCandidText()
    {
        CandidValue v = CandidValue.Record(
            ("alias", CandidValue.Text("my \"key\"")),
            ("credential_id", CandidValue.Some(CandidValue.Blob([0x01, 0x41]))),
            ("purpose", CandidValue.Variant("authentication")),
            ("counts", CandidValue.Vec(CandidValue.Nat(1), CandidValue.Nat(2))));

        Assert.That(v.ToString(), Is.EqualTo(
            "record { alias = \"my \\\"key\\\"\"; counts = vec { 1; 2; }; purpose = variant { authentication }; credential_id = opt blob \"\\01A\"; }"));
    }

    [Test]
    public void ToString_RecursiveType_PrintsKnotByName()
    {
        var list = new CandidRecursiveType("List");
        list.Define(CandidType.Opt(CandidType.Record(("head", CandidType.Int), ("tail", list))));

        Assert.That(list.ToString(), Is.EqualTo("opt record { head : int; tail : List; }"));
    }

    [Test]
    public void IsSubtype_SpecRules_Hold()
    {
        Assert.That(CandidSubtyping.IsSubtype(CandidType.Nat, CandidType.Int), Is.True);
        Assert.That(CandidSubtyping.IsSubtype(CandidType.Int, CandidType.Nat), Is.False);
        Assert.That(CandidSubtyping.IsSubtype(CandidType.Text, CandidType.Opt(CandidType.Nat)), Is.True);
        Assert.That(CandidSubtyping.IsSubtype(CandidType.Record(), CandidType.Record(("a", CandidType.Opt(CandidType.Nat)))), Is.True);
        Assert.That(CandidSubtyping.IsSubtype(CandidType.Record(), CandidType.Record(("a", CandidType.Nat))), Is.False);
        Assert.That(CandidSubtyping.IsSubtype(CandidType.Enum("a"), CandidType.Enum("a", "b")), Is.True);
        Assert.That(CandidSubtyping.IsSubtype(CandidType.Enum("a", "b"), CandidType.Enum("a")), Is.False);
    }

    private static byte[] Sleb(int v)
    {
        var bytes = new List<byte>();
        while (true)
        {
            byte b = (byte)(v & 0x7f);
            v >>= 7;
            if (v == 0 && (b & 0x40) == 0)
            {
                bytes.Add(b);
                return bytes.ToArray();
            }

            bytes.Add((byte)(b | 0x80));
        }
    }

    private static byte[] Leb(int v)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(v & 0x7f);
            v >>= 7;
            bytes.Add(v != 0 ? (byte)(b | 0x80) : b);
        }
        while (v != 0);
        return bytes.ToArray();
    }
}
