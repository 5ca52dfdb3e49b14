using System.Numerics;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Text;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Protocol.Tests.Candid;

/// <summary>
/// Candid text values to binary (<see cref="CandidTextValues"/>) and .did service definitions
/// (<see cref="CandidServiceDefinition"/>). The specification's own text/binary pairs run in SpecSuite through the same parser.
/// </summary>
public class CandidTextTests
{
    private static readonly CandidRecordType OwnerAndN = CandidType.Record(("owner", CandidType.Principal), ("n", CandidType.Nat));

    [Test]
    public void Encode_RecordWithAnnotations_InfersTheTypeFromTheText()
    {
        byte[] bytes = CandidTextValues.Encode("""(record { owner = principal "aaaaa-aa"; n = 5 : nat })""");
        byte[] expected = CandidEncoder.Encode(OwnerAndN, CandidValue.Record(
            ("owner", new CandidPrincipalValue(CandidPrincipal.FromPrincipal(Principal.ManagementCanister))), ("n", CandidValue.Nat(5))));
        Assert.That(bytes, Is.EqualTo(expected));
    }

    [Test]
    public void Encode_UnannotatedNumbers_AreIntAndFloat64()
    {
        IReadOnlyList<CandidValue> values = CandidDecoder.DecodeUntyped(CandidTextValues.Encode("(5, -3, 1.5, 0x10)")).Values;
        Assert.That(values, Is.EqualTo(new CandidValue[] { CandidValue.Int(5), CandidValue.Int(-3), CandidValue.Float64(1.5), CandidValue.Int(16) }));
    }

    [Test]
    public void Encode_AgainstTypes_MissingOptFieldIsNullAndNumbersTakeTheType()
    {
        CandidType[] types = [CandidType.Record(("owner", CandidType.Principal), ("n", CandidType.Nat8), ("memo", CandidType.Opt(CandidType.Text)))];
        byte[] bytes = CandidTextValues.Encode("""(record { n = 200; owner = principal "2vxsx-fae" })""", types);
        IReadOnlyList<CandidValue> back = CandidDecoder.Decode(bytes, types);
        var record = (CandidRecord)back[0];
        Assert.That(record["n"], Is.EqualTo(CandidValue.Nat8(200)));
        Assert.That(record["memo"], Is.EqualTo(CandidValue.None));
        Assert.That(((CandidPrincipalValue)record["owner"]).Principal.ToPrincipal(), Is.EqualTo(Principal.Anonymous));
    }

    [Test]
    public void Encode_TextEscapesBlobsVecsVariantsTuplesAndOpt_RoundTrip()
    {
        const string text = """("a\n\"\u{1F600}", blob "\00\ffA", vec { 1 : nat16; 2 }, variant { ok = "yes" }, record { 1; "two" }, opt null, null, true)""";
        IReadOnlyList<CandidValue> values = CandidDecoder.DecodeUntyped(CandidTextValues.Encode(text)).Values;
        Assert.That(((CandidText)values[0]).Value, Is.EqualTo("a\n\"\U0001F600"));
        Assert.That(((CandidBlob)values[1]).Bytes.ToArray(), Is.EqualTo(new byte[] { 0, 0xff, (byte)'A' }));
        Assert.That(((CandidVec)values[2]).Elements, Is.EqualTo(new CandidValue[] { CandidValue.Nat16(1), CandidValue.Nat16(2) }));
        Assert.That(values[3].ToString(), Does.Contain("yes"));
        Assert.That(((CandidRecord)values[4]).Fields.Select(f => f.Label.Id), Is.EqualTo(new uint[] { 0, 1 }), "a tuple is a record numbered from 0");
        Assert.That(values.Skip(5), Is.EqualTo(new CandidValue[] { CandidValue.Some(CandidValue.Null), CandidValue.Null, CandidValue.Bool(true) }));
    }

    [TestCase("(record { n = })", 1, 15, "expected a value, found '}'")]
    [TestCase("(1, ", 1, 5, "expected a value, found the end of the text")]
    [TestCase("(300 : nat8)", 1, 2, "the number 300 does not fit nat8")]
    [TestCase("(\"abc)", 1, 2, "unterminated string")]
    [TestCase("(principal \"not-a-principal\")", 1, 12, "is not a principal")]
    [TestCase("(1)\n(2)", 2, 1, "expected the end of the text")]
    [TestCase("(\"\\q\")", 1, 3, "unknown escape \\q")]
    public void Encode_MalformedText_ErrorNamesThePosition(string text, int line, int column, string problem)
    {
        CandidTextException e = Assert.Throws<CandidTextException>(() => CandidTextValues.Encode(text))!;
        Assert.That((e.Line, e.Column), Is.EqualTo((line, column)), e.Message);
        Assert.That(e.Message, Does.StartWith($"line {line}, column {column}: ").And.Contain(problem));
    }

    [Test]
    public void Encode_ValueDoesNotFitTheDidType_ErrorNamesThePositionAndTheTypes()
    {
        CandidTextException e = Assert.Throws<CandidTextException>(() => CandidTextValues.Encode("""(record { owner = "me"; n = 5 })""", [OwnerAndN]))!;
        Assert.That(e.Message, Is.EqualTo("line 1, column 19: a text does not fit type principal"));
        e = Assert.Throws<CandidTextException>(() => CandidTextValues.Encode("(record { n = 1 })", [OwnerAndN]))!;
        Assert.That(e.Message, Does.Contain("the record lacks field owner"));
        e = Assert.Throws<CandidTextException>(() => CandidTextValues.Encode("(5 : int)", [CandidType.Nat]))!;
        Assert.That(e.Message, Is.EqualTo("line 1, column 2: a value annotated int does not fit nat"));
    }

    [Test]
    public void ServiceDefinition_ClassWithDefinitions_GivesTheInitArgsAndMethods()
    {
        CandidServiceDefinition did = CandidServiceDefinition.Parse("""
            // a service class
            type init = record { owner : principal; n : nat };
            type tree = variant { leaf : nat; node : record { tree; tree } };
            service counter : (init, opt text) -> {
              get : () -> (principal, nat) query;
              walk : (tree) -> ();
            }
            """);
        Assert.That(did.InitArgs!.Select(CandidTextWriter.TypeToString), Is.EqualTo(new[] { "record { n : nat; owner : principal; }", "opt text" }));
        Assert.That(did.Service!.Methods.Select(m => m.Name), Is.EqualTo(new[] { "get", "walk" }));
        byte[] bytes = CandidTextValues.Encode("""(record { owner = principal "aaaaa-aa"; n = 5 })""", did.InitArgs!);
        IReadOnlyList<CandidValue> back = CandidDecoder.Decode(bytes, did.InitArgs!);
        Assert.That(((CandidRecord)back[0])["n"], Is.EqualTo(CandidValue.Nat(new BigInteger(5))));
        Assert.That(back[1], Is.EqualTo(CandidValue.None));
    }

    [Test]
    public void ServiceDefinition_NotAClass_HasNoInitArgs()
    {
        CandidServiceDefinition did = CandidServiceDefinition.Parse("service : { inc : () -> (nat) }");
        Assert.That(did.InitArgs, Is.Null);
        Assert.That(did.Service!.Methods, Has.Count.EqualTo(1));
    }

    [TestCase("service : (missing) -> {}", 1, 12, "type missing is used but not defined")]
    [TestCase("type a = nat;\ntype a = int;", 2, 6, "type a is defined twice")]
    [TestCase("service : { f : (nat) -> (nat) ", 1, 32, "expected '}'")]
    public void ServiceDefinition_Malformed_ErrorNamesThePosition(string text, int line, int column, string problem)
    {
        CandidTextException e = Assert.Throws<CandidTextException>(() => CandidServiceDefinition.Parse(text))!;
        Assert.That(e.Message, Does.StartWith($"line {line}, column {column}: ").And.Contain(problem));
    }
}
