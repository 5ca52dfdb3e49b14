using System.Text;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Text;

namespace InternetIdentity.Protocol.Tests.Candid.SpecSuite;

/// <summary>One input of a test: binary bytes, or a textual value sequence.</summary>
public sealed record TestInput(bool IsBinary, byte[] Bytes, string Text);

/// <summary>One <c>assert</c> of a .did test file.</summary>
public sealed record DidAssertion(
    string File, int Line, TestInput Left, string Relation, TestInput? Right, IReadOnlyList<CandidType> Types, string Description)
{
    public override string ToString() => $"{File}:{Line} {Description}";
}

/// <summary>
/// Parser for the Candid test grammar (<c>assert &lt;input&gt; ... : (types) "desc";</c>) over the library's
/// <see cref="CandidTextReader"/>, which reads the type definitions, types and textual values.
/// </summary>
internal static class DidParser
{
    /// <summary>Parses a whole .did test file into its assertions.</summary>
    public static List<DidAssertion> ParseTestFile(string file, string content)
    {
        var r = new CandidTextReader(content);
        var result = new List<DidAssertion>();
        while (!r.AtEnd)
        {
            if (r.TryReadDefinition())
            {
                continue;
            }

            int line = r.Line;
            r.ExpectKeyword("assert");
            TestInput left = ParseInput(r);
            string relation;
            TestInput? right = null;
            if (r.TrySymbol("==") || r.TrySymbol("!="))
            {
                relation = r.Previous;
                right = ParseInput(r);
                r.ExpectSymbol(":");
            }
            else if (r.TrySymbol("!:"))
            {
                relation = "!:";
            }
            else
            {
                r.ExpectSymbol(":");
                relation = ":";
            }

            IReadOnlyList<CandidType> types = r.ReadTypeSequence();
            string description = r.AtString ? Encoding.UTF8.GetString(r.ReadStringBytes()) : "";
            r.ExpectSymbol(";");
            result.Add(new DidAssertion(file, line, left, relation, right, types, description));
        }

        r.CheckDefinitions();
        return result;
    }

    private static TestInput ParseInput(CandidTextReader r) =>
        r.TryKeyword("blob")
            ? new TestInput(true, r.ReadStringBytes(), "")
            : new TestInput(false, [], Encoding.UTF8.GetString(r.ReadStringBytes()));
}
