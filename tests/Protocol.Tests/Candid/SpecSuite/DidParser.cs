using System.Text;
using InternetIdentity.Protocol.Candid;

namespace InternetIdentity.Protocol.Tests.Candid.SpecSuite;

/// <summary>One input of a test: binary bytes, or a textual value sequence.</summary>
public sealed record TestInput(bool IsBinary, byte[] Bytes, string Text);

/// <summary>One <c>assert</c> of a .did test file.</summary>
public sealed record DidAssertion(
    string File, int Line, TestInput Left, string Relation, TestInput? Right, IReadOnlyList<CandidType> Types, string Description)
{
    public override string ToString() => $"{File}:{Line} {Description}";
}

/// <summary>Parser for the Candid test grammar: type definitions, assertions, types and textual values.</summary>
internal sealed class DidParser
{
    private static readonly Dictionary<string, CandidType> s_primitives = new()
    {
        ["null"] = CandidType.Null, ["bool"] = CandidType.Bool, ["nat"] = CandidType.Nat, ["int"] = CandidType.Int,
        ["nat8"] = CandidType.Nat8, ["nat16"] = CandidType.Nat16, ["nat32"] = CandidType.Nat32, ["nat64"] = CandidType.Nat64,
        ["int8"] = CandidType.Int8, ["int16"] = CandidType.Int16, ["int32"] = CandidType.Int32, ["int64"] = CandidType.Int64,
        ["float32"] = CandidType.Float32, ["float64"] = CandidType.Float64, ["text"] = CandidType.Text,
        ["reserved"] = CandidType.Reserved, ["empty"] = CandidType.Empty, ["principal"] = CandidType.Principal,
        ["blob"] = CandidType.Blob,
    };

    private readonly List<Token> _tokens;
    private readonly Dictionary<string, CandidRecursiveType> _names;
    private int _i;

    private DidParser(List<Token> tokens, Dictionary<string, CandidRecursiveType> names)
    {
        _tokens = tokens;
        _names = names;
    }

    private Token Peek => _tokens[_i];

    /// <summary>Parses a whole .did test file into its assertions.</summary>
    public static List<DidAssertion> ParseTestFile(string file, string content)
    {
        var p = new DidParser(DidLexer.Tokenize(content), []);
        var result = new List<DidAssertion>();
        while (p.Peek.Kind != TokenKind.End)
        {
            if (p.TryId("type"))
            {
                string name = p.ExpectId();
                p.Expect("=");
                p.Knot(name).Define(p.ParseType());
                p.Expect(";");
                continue;
            }

            int line = p.Peek.Line;
            p.ExpectKeyword("assert");
            TestInput left = p.ParseInput();
            string relation;
            TestInput? right = null;
            if (p.TrySymbol("==") || p.TrySymbol("!="))
            {
                relation = p._tokens[p._i - 1].Text;
                right = p.ParseInput();
                p.Expect(":");
            }
            else if (p.TrySymbol("!:"))
            {
                relation = "!:";
            }
            else
            {
                p.Expect(":");
                relation = ":";
            }

            IReadOnlyList<CandidType> types = p.ParseTypeSequence();
            string description = p.Peek.Kind == TokenKind.String ? Encoding.UTF8.GetString(p.Next().Bytes) : "";
            p.Expect(";");
            result.Add(new DidAssertion(file, line, left, relation, right, types, description));
        }

        foreach ((string name, CandidRecursiveType knot) in p._names)
        {
            if (knot.Body is null)
            {
                throw new FormatException($"{file}: type {name} is used but not defined");
            }
        }

        return result;
    }

    /// <summary>Parses a textual argument sequence such as <c>(42, opt "x")</c>.</summary>
    public static List<TextValue> ParseValues(string text)
    {
        var p = new DidParser(DidLexer.Tokenize(text), []);
        p.Expect("(");
        var values = new List<TextValue>();
        while (!p.TrySymbol(")"))
        {
            values.Add(p.ParseValue());
            if (!p.TrySymbol(","))
            {
                p.Expect(")");
                break;
            }
        }

        if (p.Peek.Kind != TokenKind.End)
        {
            throw new FormatException("text after the value sequence");
        }

        return values;
    }

    private TestInput ParseInput()
    {
        if (TryId("blob"))
        {
            return new TestInput(true, ExpectString().Bytes, "");
        }

        byte[] bytes = ExpectString().Bytes;
        return new TestInput(false, [], Encoding.UTF8.GetString(bytes));
    }

    private List<CandidType> ParseTypeSequence()
    {
        Expect("(");
        var types = new List<CandidType>();
        while (!TrySymbol(")"))
        {
            if (Peek.Kind == TokenKind.Id && _tokens[_i + 1].Text == ":" && !s_primitives.ContainsKey(Peek.Text))
            {
                _i += 2; // an argument name
            }

            types.Add(ParseType());
            if (!TrySymbol(","))
            {
                Expect(")");
                break;
            }
        }

        return types;
    }

    private CandidType ParseType()
    {
        string id = ExpectId();
        switch (id)
        {
            case "opt":
                return CandidType.Opt(ParseType());
            case "vec":
                return CandidType.Vec(ParseType());
            case "record":
                return CandidType.Record(ParseFields(isVariant: false));
            case "variant":
                return CandidType.Variant(ParseFields(isVariant: true));
            case "func":
                return ParseFuncSignature();
            case "service":
                return ParseService();
            default:
                return s_primitives.TryGetValue(id, out CandidType? p) ? p : Knot(id);
        }
    }

    private List<CandidField> ParseFields(bool isVariant)
    {
        Expect("{");
        var fields = new List<CandidField>();
        uint next = 0;
        while (!TrySymbol("}"))
        {
            CandidLabel? label = null;
            bool labelOnly = false;
            if (Peek.Kind is TokenKind.Number or TokenKind.String || (Peek.Kind == TokenKind.Id && (isVariant || _tokens[_i + 1].Text == ":")))
            {
                bool followedByColon = _tokens[_i + 1].Text == ":";
                if (followedByColon || isVariant)
                {
                    label = LabelOf(Next());
                    labelOnly = !TrySymbol(":");
                }
            }

            CandidType type = labelOnly ? CandidType.Null : ParseType();
            CandidLabel l = label ?? CandidLabel.Numbered(next);
            next = l.Id + 1;
            fields.Add(new CandidField(l, type));
            if (!TrySymbol(";"))
            {
                Expect("}");
                break;
            }
        }

        return fields;
    }

    private CandidFuncType ParseFuncSignature()
    {
        List<CandidType> args = ParseTypeSequence();
        Expect("->");
        List<CandidType> results = ParseTypeSequence();
        CandidFuncModes modes = CandidFuncModes.None;
        while (true)
        {
            if (TryId("query"))
            {
                modes |= CandidFuncModes.Query;
            }
            else if (TryId("oneway"))
            {
                modes |= CandidFuncModes.Oneway;
            }
            else if (TryId("composite_query"))
            {
                modes |= CandidFuncModes.CompositeQuery;
            }
            else
            {
                return new CandidFuncType(args, results, modes);
            }
        }
    }

    private CandidServiceType ParseService()
    {
        Expect("{");
        var methods = new List<CandidMethod>();
        while (!TrySymbol("}"))
        {
            Token name = Next();
            string n = name.Kind == TokenKind.String ? Encoding.UTF8.GetString(name.Bytes) : name.Text;
            Expect(":");
            CandidType t = Peek.Text == "(" ? ParseFuncSignature() : Knot(ExpectId());
            methods.Add(new CandidMethod(n, t));
            if (!TrySymbol(";"))
            {
                Expect("}");
                break;
            }
        }

        return new CandidServiceType(methods);
    }

    private TextValue ParseValue()
    {
        Token t = Peek;
        if (t.Kind == TokenKind.String)
        {
            return new TextValue.Text(Next().Bytes);
        }

        if (t.Kind == TokenKind.Number)
        {
            return new TextValue.Number(Next().Text, Negative: false);
        }

        if (t.Kind == TokenKind.Symbol)
        {
            if (TrySymbol("-") || TrySymbol("+"))
            {
                bool negative = _tokens[_i - 1].Text == "-";
                Token n = Next();
                if (n.Kind != TokenKind.Number)
                {
                    throw new FormatException("number expected after sign");
                }

                return new TextValue.Number(n.Text, negative);
            }

            if (TrySymbol("("))
            {
                TextValue inner = ParseValue();
                if (TrySymbol(":"))
                {
                    ParseType();
                }

                Expect(")");
                return inner;
            }

            throw new FormatException($"unexpected '{t.Text}' in a value");
        }

        string id = ExpectId();
        switch (id)
        {
            case "null":
                return new TextValue.Null();
            case "true":
            case "false":
                return new TextValue.Bool(id == "true");
            case "opt":
                return new TextValue.Opt(ParseValue());
            case "blob":
                return new TextValue.Blob(ExpectString().Bytes);
            case "principal":
                return new TextValue.Principal(PrincipalText.Decode(Encoding.UTF8.GetString(ExpectString().Bytes)));
            case "service":
                return new TextValue.Service(PrincipalText.Decode(Encoding.UTF8.GetString(ExpectString().Bytes)));
            case "func":
                byte[] service = PrincipalText.Decode(Encoding.UTF8.GetString(ExpectString().Bytes));
                Expect(".");
                Token m = Next();
                return new TextValue.Func(service, m.Kind == TokenKind.String ? Encoding.UTF8.GetString(m.Bytes) : m.Text);
            case "vec":
                Expect("{");
                var elements = new List<TextValue>();
                while (!TrySymbol("}"))
                {
                    elements.Add(ParseValue());
                    if (!TrySymbol(";"))
                    {
                        Expect("}");
                        break;
                    }
                }

                return new TextValue.Vec(elements);
            case "record":
                return new TextValue.Record(ParseValueFields(isVariant: false));
            case "variant":
                List<(CandidLabel, TextValue)> cases = ParseValueFields(isVariant: true);
                if (cases.Count != 1)
                {
                    throw new FormatException("a variant value has exactly one case");
                }

                return new TextValue.Variant(cases[0].Item1, cases[0].Item2);
            default:
                throw new FormatException($"unexpected '{id}' in a value");
        }
    }

    private List<(CandidLabel, TextValue)> ParseValueFields(bool isVariant)
    {
        Expect("{");
        var fields = new List<(CandidLabel, TextValue)>();
        uint next = 0;
        while (!TrySymbol("}"))
        {
            Token t = Peek;
            CandidLabel label;
            TextValue value;
            if (isVariant || (t.Kind != TokenKind.Symbol && _tokens[_i + 1].Text == "="))
            {
                Next();
                label = LabelOf(t);
                value = TrySymbol("=") ? ParseValue() : new TextValue.Null();
            }
            else
            {
                label = CandidLabel.Numbered(next);
                value = ParseValue();
            }

            next = label.Id + 1;
            fields.Add((label, value));
            if (!TrySymbol(";"))
            {
                Expect("}");
                break;
            }
        }

        return fields;
    }

    private static CandidLabel LabelOf(Token t) => t.Kind switch
    {
        TokenKind.Number => CandidLabel.Numbered(uint.Parse(t.Text.Replace("_", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)),
        TokenKind.String => CandidLabel.Named(Encoding.UTF8.GetString(t.Bytes)),
        TokenKind.Id => CandidLabel.Named(t.Text),
        _ => throw new FormatException($"line {t.Line}: '{t.Text}' is not a label"),
    };

    private CandidRecursiveType Knot(string name)
    {
        if (!_names.TryGetValue(name, out CandidRecursiveType? knot))
        {
            knot = new CandidRecursiveType(name);
            _names[name] = knot;
        }

        return knot;
    }

    private Token Next() => _tokens[_i++];

    private bool TrySymbol(string s)
    {
        if (Peek.Kind == TokenKind.Symbol && Peek.Text == s)
        {
            _i++;
            return true;
        }

        return false;
    }

    private bool TryId(string s)
    {
        if (Peek.Kind == TokenKind.Id && Peek.Text == s)
        {
            _i++;
            return true;
        }

        return false;
    }

    private void Expect(string symbol)
    {
        if (!TrySymbol(symbol))
        {
            throw new FormatException($"line {Peek.Line}: expected '{symbol}', found '{Peek.Text}'");
        }
    }

    private void ExpectKeyword(string keyword)
    {
        if (!TryId(keyword))
        {
            throw new FormatException($"line {Peek.Line}: expected '{keyword}', found '{Peek.Text}'");
        }
    }

    private string ExpectId()
    {
        Token t = Next();
        return t.Kind == TokenKind.Id ? t.Text : throw new FormatException($"line {t.Line}: expected a name, found '{t.Text}'");
    }

    private Token ExpectString()
    {
        Token t = Next();
        return t.Kind == TokenKind.String ? t : throw new FormatException($"line {t.Line}: expected a string, found '{t.Text}'");
    }
}
