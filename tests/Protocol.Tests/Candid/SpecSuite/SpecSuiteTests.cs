using System.Text;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Text;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Protocol.Tests.Candid.SpecSuite;

/// <summary>
/// Runs the Candid specification's own test suite (tests/vectors/candid/*.test.did): every assertion of every
/// file is one test case. Binary inputs go through <see cref="CandidDecoder"/>; textual inputs through the
/// library's Candid text parser (<see cref="CandidTextValues"/>). Each successful binary decode is also re-encoded with
/// <see cref="CandidEncoder"/> and decoded again, which must give the same values.
/// </summary>
public class SpecSuiteTests
{
    private static readonly string[] s_files =
        ["prim.test.did", "construct.test.did", "reference.test.did", "subtypes.test.did", "overshoot.test.did", "spacebomb.test.did"];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (DidAssertion a in AllAssertions())
        {
            string name = $"{a.File}:{a.Line} {a.Relation} {Sanitize(a.Description)}";
            yield return new TestCaseData(a).SetName(name);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void SpecSuite_Assertion_Holds(DidAssertion a)
    {
        bool leftOk = TryRead(a.Left, a.Types, out IReadOnlyList<CandidValue> left, out string? leftError);
        switch (a.Relation)
        {
            case ":":
                Assert.That(leftOk, Is.True, $"must decode, but: {leftError}");
                break;
            case "!:":
                Assert.That(leftOk, Is.False, $"must not decode, but gave {CandidTextWriter.ArgumentsToString(left)}");
                break;
            default:
                Assert.That(leftOk, Is.True, $"left must decode, but: {leftError}");
                bool rightOk = TryRead(a.Right!, a.Types, out IReadOnlyList<CandidValue> right, out string? rightError);
                Assert.That(rightOk, Is.True, $"right must decode, but: {rightError}");
                bool equal = left.SequenceEqual(right);
                Assert.That(equal, Is.EqualTo(a.Relation == "=="),
                    $"{CandidTextWriter.ArgumentsToString(left)} {a.Relation} {CandidTextWriter.ArgumentsToString(right)}");
                break;
        }

        if (leftOk && a.Left.IsBinary)
        {
            AssertRoundTrip(a.Types, left);
        }
    }

    [Test]
    public void SpecSuite_AllFiles_CountsReported()
    {
        List<DidAssertion> all = AllAssertions().ToList();
        foreach (IGrouping<string, DidAssertion> file in all.GroupBy(a => a.File))
        {
            int binary = file.Count(a => a.Left.IsBinary || a.Right?.IsBinary == true);
            TestContext.Out.WriteLine(
                $"{file.Key}: {file.Count()} assertions ({binary} with binary input, {file.Count() - binary} textual only; " +
                $"{file.Count(a => a.Relation == "!:")} must fail)");
        }

        TestContext.Out.WriteLine($"total: {all.Count} assertions");
        Assert.That(all, Has.Count.GreaterThan(400));
    }

    internal static IEnumerable<DidAssertion> AllAssertions()
    {
        foreach (string file in s_files)
        {
            string content = File.ReadAllText(RepoPaths.Vector("candid", file), Encoding.UTF8);
            foreach (DidAssertion a in DidParser.ParseTestFile(file, content))
            {
                yield return a;
            }
        }
    }

    private static void AssertRoundTrip(IReadOnlyList<CandidType> types, IReadOnlyList<CandidValue> values)
    {
        if (types.Any(t => t.Resolve().Kind == CandidTypeKind.Empty))
        {
            return;
        }

        byte[] encoded = CandidEncoder.Encode(types, values);
        IReadOnlyList<CandidValue> again = CandidDecoder.Decode(encoded, types);
        Assert.That(again, Is.EqualTo(values), "encode then decode must give the same values");
    }

    private static bool TryRead(TestInput input, IReadOnlyList<CandidType> types, out IReadOnlyList<CandidValue> values, out string? error)
    {
        if (input.IsBinary)
        {
            return CandidDecoder.TryDecode(input.Bytes, types, out values, out error);
        }

        try
        {
            values = CandidTextValues.ToValues(CandidTextValues.Parse(input.Text), types);
            error = null;
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            values = [];
            error = e.Message;
            return false;
        }
    }

    private static string Sanitize(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s)
        {
            sb.Append(char.IsLetterOrDigit(c) || c is ' ' or ':' or '-' or '<' or '_' ? c : '_');
        }

        return sb.ToString();
    }
}
