using System.Globalization;
using System.Text;

namespace InternetIdentity.Protocol.Candid.Text;

/// <summary>
/// A cursor over Candid text that reads values, types, argument sequences and type definitions, and the tokens
/// around them (for grammars built on Candid text, such as .did files and the Candid test suite). Type names resolve
/// through the definitions read so far or later (<c>type t = ...;</c>). Errors are <see cref="CandidTextException"/>s
/// naming the line and column.
/// </summary>
public sealed class CandidTextReader
{
    private static readonly Dictionary<string, CandidType> s_primitives = new(StringComparer.Ordinal)
    {
        ["null"] = CandidType.Null, ["bool"] = CandidType.Bool, ["nat"] = CandidType.Nat, ["int"] = CandidType.Int,
        ["nat8"] = CandidType.Nat8, ["nat16"] = CandidType.Nat16, ["nat32"] = CandidType.Nat32, ["nat64"] = CandidType.Nat64,
        ["int8"] = CandidType.Int8, ["int16"] = CandidType.Int16, ["int32"] = CandidType.Int32, ["int64"] = CandidType.Int64,
        ["float32"] = CandidType.Float32, ["float64"] = CandidType.Float64, ["text"] = CandidType.Text,
        ["reserved"] = CandidType.Reserved, ["empty"] = CandidType.Empty, ["principal"] = CandidType.Principal,
        ["blob"] = CandidType.Blob,
    };

    private readonly List<CandidToken> _tokens;
    private readonly Dictionary<string, CandidRecursiveType> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CandidToken> _firstUse = new(StringComparer.Ordinal);
    private int _i;

    /// <summary>A reader at the start of <paramref name="text"/>.</summary>
    /// <exception cref="CandidTextException">the text has an unterminated string or comment, or a bad escape.</exception>
    public CandidTextReader(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _tokens = CandidTextLexer.Tokenize(text);
    }

    /// <summary>Whether only trivia is left.</summary>
    public bool AtEnd => Peek.Kind == CandidTokenKind.End;

    /// <summary>The line of the next token (1-based).</summary>
    public int Line => Peek.Line;

    /// <summary>Whether the next token is a string literal.</summary>
    public bool AtString => Peek.Kind == CandidTokenKind.String;

    /// <summary>The types defined so far, by name.</summary>
    public IReadOnlyDictionary<string, CandidType> Definitions =>
        _names.Where(n => n.Value.Body is not null).ToDictionary(n => n.Key, n => (CandidType)n.Value, StringComparer.Ordinal);

    private CandidToken Peek => _tokens[_i];

    /// <summary>An error at the next token.</summary>
    public CandidTextException Error(string problem) => new(Peek.Line, Peek.Column, problem);

    /// <summary>Whether the symbol comes next (nothing is consumed).</summary>
    public bool AtSymbol(string symbol) => Peek.Kind == CandidTokenKind.Symbol && Peek.Text == symbol;

    /// <summary>Consumes the symbol if it comes next.</summary>
    public bool TrySymbol(string symbol)
    {
        if (Peek.Kind == CandidTokenKind.Symbol && Peek.Text == symbol)
        {
            _i++;
            return true;
        }

        return false;
    }

    /// <summary>Consumes the keyword (or name) if it comes next.</summary>
    public bool TryKeyword(string keyword)
    {
        if (Peek.Kind == CandidTokenKind.Id && Peek.Text == keyword)
        {
            _i++;
            return true;
        }

        return false;
    }

    /// <summary>Consumes the symbol, or throws.</summary>
    public void ExpectSymbol(string symbol)
    {
        if (!TrySymbol(symbol))
        {
            throw Error($"expected '{symbol}', found {Describe(Peek)}");
        }
    }

    /// <summary>Consumes the keyword, or throws.</summary>
    public void ExpectKeyword(string keyword)
    {
        if (!TryKeyword(keyword))
        {
            throw Error($"expected '{keyword}', found {Describe(Peek)}");
        }
    }

    /// <summary>Throws unless only trivia is left.</summary>
    public void ExpectEnd()
    {
        if (!AtEnd)
        {
            throw Error($"expected the end of the text, found {Describe(Peek)}");
        }
    }

    /// <summary>The last symbol or keyword consumed.</summary>
    public string Previous => _i > 0 ? _tokens[_i - 1].Text : "";

    /// <summary>Reads a string literal's bytes.</summary>
    public byte[] ReadStringBytes()
    {
        CandidToken t = Next();
        return t.Kind == CandidTokenKind.String ? t.Bytes : throw At(t, $"expected a string, found {Describe(t)}");
    }

    /// <summary>Reads a name.</summary>
    public string ReadName()
    {
        CandidToken t = Next();
        return t.Kind == CandidTokenKind.Id ? t.Text : throw At(t, $"expected a name, found {Describe(t)}");
    }

    /// <summary>Reads <c>type name = datatype;</c> if it comes next.</summary>
    public bool TryReadDefinition()
    {
        if (!TryKeyword("type"))
        {
            return false;
        }

        CandidToken nameToken = Peek;
        string name = ReadName();
        ExpectSymbol("=");
        CandidRecursiveType knot = Knot(name, nameToken);
        if (knot.Body is not null)
        {
            throw At(nameToken, $"type {name} is defined twice");
        }

        knot.Define(ReadType());
        ExpectSymbol(";");
        return true;
    }

    /// <summary>Throws if a type name was used but never defined.</summary>
    public void CheckDefinitions()
    {
        foreach ((string name, CandidRecursiveType knot) in _names)
        {
            if (knot.Body is null)
            {
                throw At(_firstUse[name], $"type {name} is used but not defined");
            }
        }
    }

    /// <summary>Reads a data type (<c>nat</c>, <c>opt vec text</c>, <c>record { a : nat }</c>, a defined name...).</summary>
    public CandidType ReadType()
    {
        CandidToken t = Peek;
        string id = ReadName();
        switch (id)
        {
            case "opt":
                return CandidType.Opt(ReadType());
            case "vec":
                return CandidType.Vec(ReadType());
            case "record":
                return CandidType.Record(ReadFieldTypes(isVariant: false));
            case "variant":
                return CandidType.Variant(ReadFieldTypes(isVariant: true));
            case "func":
                return ReadFuncSignature();
            case "service":
                return ReadServiceBody();
            default:
                return s_primitives.TryGetValue(id, out CandidType? p) ? p : Knot(id, t);
        }
    }

    /// <summary>Reads <c>(t1, name : t2, ...)</c>: argument types, optionally named.</summary>
    public IReadOnlyList<CandidType> ReadTypeSequence()
    {
        ExpectSymbol("(");
        var types = new List<CandidType>();
        while (!TrySymbol(")"))
        {
            if (Peek.Kind is CandidTokenKind.Id or CandidTokenKind.String && _tokens[_i + 1].Text == ":" && !s_primitives.ContainsKey(Peek.Text))
            {
                _i += 2; // an argument name
            }

            types.Add(ReadType());
            if (!TrySymbol(","))
            {
                ExpectSymbol(")");
                break;
            }
        }

        return types;
    }

    /// <summary>Reads a function signature: <c>(args) -&gt; (results) query</c>.</summary>
    public CandidFuncType ReadFuncSignature()
    {
        IReadOnlyList<CandidType> args = ReadTypeSequence();
        ExpectSymbol("->");
        IReadOnlyList<CandidType> results = ReadTypeSequence();
        CandidFuncModes modes = CandidFuncModes.None;
        while (true)
        {
            if (TryKeyword("query"))
            {
                modes |= CandidFuncModes.Query;
            }
            else if (TryKeyword("oneway"))
            {
                modes |= CandidFuncModes.Oneway;
            }
            else if (TryKeyword("composite_query"))
            {
                modes |= CandidFuncModes.CompositeQuery;
            }
            else
            {
                return new CandidFuncType(args, results, modes);
            }
        }
    }

    /// <summary>Reads a service body <c>{ method : (..) -&gt; (..); ... }</c>.</summary>
    public CandidServiceType ReadServiceBody()
    {
        ExpectSymbol("{");
        var methods = new List<CandidMethod>();
        while (!TrySymbol("}"))
        {
            CandidToken name = Next();
            if (name.Kind is not (CandidTokenKind.Id or CandidTokenKind.String))
            {
                throw At(name, $"expected a method name, found {Describe(name)}");
            }

            string n = name.Kind == CandidTokenKind.String ? Encoding.UTF8.GetString(name.Bytes) : name.Text;
            ExpectSymbol(":");
            CandidToken at = Peek;
            CandidType t = Peek.Text == "(" ? ReadFuncSignature() : Knot(ReadName(), at);
            methods.Add(new CandidMethod(n, t));
            if (!TrySymbol(";"))
            {
                ExpectSymbol("}");
                break;
            }
        }

        return new CandidServiceType(methods);
    }

    /// <summary>Reads an argument sequence <c>(v1, v2 : t, ...)</c>.</summary>
    public IReadOnlyList<CandidTextValue> ReadArguments()
    {
        ExpectSymbol("(");
        var values = new List<CandidTextValue>();
        while (!TrySymbol(")"))
        {
            values.Add(ReadValue());
            if (!TrySymbol(","))
            {
                ExpectSymbol(")");
                break;
            }
        }

        return values;
    }

    /// <summary>Reads one value, with its annotation if one follows (<c>5 : nat8</c>).</summary>
    public CandidTextValue ReadValue()
    {
        CandidTextValue v = ReadPrimaryValue();
        return TrySymbol(":") ? v with { Annotation = ReadType() } : v;
    }

    private CandidTextValue ReadPrimaryValue()
    {
        CandidToken t = Peek;
        CandidTextValue v = ReadBareValue();
        return v.Line == 0 ? v with { Line = t.Line, Column = t.Column } : v;
    }

    private CandidTextValue ReadBareValue()
    {
        CandidToken t = Peek;
        switch (t.Kind)
        {
            case CandidTokenKind.String:
                return new CandidTextValue.Text(Next().Bytes);
            case CandidTokenKind.Number:
                return new CandidTextValue.Number(Next().Text, Negative: false);
            case CandidTokenKind.Symbol when TrySymbol("-") || TrySymbol("+"):
                bool negative = Previous == "-";
                CandidToken n = Next();
                return n.Kind == CandidTokenKind.Number
                    ? new CandidTextValue.Number(n.Text, negative)
                    : throw At(n, $"expected a number after '{(negative ? "-" : "+")}', found {Describe(n)}");
            case CandidTokenKind.Symbol when TrySymbol("("):
                // A parenthesised (possibly annotated) value: its position is the inner value's.
                CandidTextValue inner = ReadValue();
                ExpectSymbol(")");
                return inner;
            case CandidTokenKind.Id:
                break;
            default:
                throw At(t, $"expected a value, found {Describe(t)}");
        }

        string id = ReadName();
        switch (id)
        {
            case "null":
                return new CandidTextValue.Null();
            case "true":
            case "false":
                return new CandidTextValue.Bool(id == "true");
            case "opt":
                return new CandidTextValue.Opt(ReadPrimaryValue());
            case "blob":
                return new CandidTextValue.Blob(ReadStringBytes());
            case "principal":
                return new CandidTextValue.Principal(ReadPrincipal());
            case "service":
                return new CandidTextValue.Service(ReadPrincipal());
            case "func":
                byte[] service = ReadPrincipal();
                ExpectSymbol(".");
                CandidToken m = Next();
                return m.Kind is CandidTokenKind.Id or CandidTokenKind.String
                    ? new CandidTextValue.Func(service, m.Kind == CandidTokenKind.String ? Encoding.UTF8.GetString(m.Bytes) : m.Text)
                    : throw At(m, $"expected a method name, found {Describe(m)}");
            case "vec":
                ExpectSymbol("{");
                var elements = new List<CandidTextValue>();
                while (!TrySymbol("}"))
                {
                    elements.Add(ReadValue());
                    if (!TrySymbol(";"))
                    {
                        ExpectSymbol("}");
                        break;
                    }
                }

                return new CandidTextValue.Vec(elements);
            case "record":
                return new CandidTextValue.Record(ReadValueFields(isVariant: false));
            case "variant":
                List<(CandidLabel, CandidTextValue)> cases = ReadValueFields(isVariant: true);
                return cases.Count == 1 ? new CandidTextValue.Variant(cases[0].Item1, cases[0].Item2) : throw At(t, "a variant value has exactly one case");
            default:
                throw At(t, $"expected a value, found '{id}'");
        }
    }

    private byte[] ReadPrincipal()
    {
        CandidToken t = Peek;
        string text = Encoding.UTF8.GetString(ReadStringBytes());
        return Principals.Principal.TryParse(text, out Principals.Principal? p, out string? error)
            ? p!.ToArray()
            : throw At(t, $"\"{text}\" is not a principal: {error}");
    }

    private List<(CandidLabel, CandidTextValue)> ReadValueFields(bool isVariant)
    {
        ExpectSymbol("{");
        var fields = new List<(CandidLabel, CandidTextValue)>();
        var seen = new HashSet<uint>();
        uint next = 0;
        while (!TrySymbol("}"))
        {
            CandidToken t = Peek;
            CandidLabel label;
            CandidTextValue value;
            if (isVariant || (t.Kind != CandidTokenKind.Symbol && _tokens[_i + 1].Text == "="))
            {
                Next();
                label = LabelOf(t);
                value = TrySymbol("=") ? ReadValue() : new CandidTextValue.Null { Line = t.Line, Column = t.Column };
            }
            else
            {
                label = CandidLabel.Numbered(next);
                value = ReadValue();
            }

            if (!seen.Add(label.Id))
            {
                throw At(t, $"field {label} appears twice");
            }

            next = label.Id + 1;
            fields.Add((label, value));
            if (!TrySymbol(";"))
            {
                ExpectSymbol("}");
                break;
            }
        }

        return fields;
    }

    private List<CandidField> ReadFieldTypes(bool isVariant)
    {
        ExpectSymbol("{");
        var fields = new List<CandidField>();
        uint next = 0;
        while (!TrySymbol("}"))
        {
            CandidLabel? label = null;
            bool labelOnly = false;
            if (Peek.Kind is CandidTokenKind.Number or CandidTokenKind.String || (Peek.Kind == CandidTokenKind.Id && (isVariant || _tokens[_i + 1].Text == ":")))
            {
                if (_tokens[_i + 1].Text == ":" || isVariant)
                {
                    label = LabelOf(Next());
                    labelOnly = !TrySymbol(":");
                }
            }

            CandidType type = labelOnly ? CandidType.Null : ReadType();
            CandidLabel l = label ?? CandidLabel.Numbered(next);
            next = l.Id + 1;
            fields.Add(new CandidField(l, type));
            if (!TrySymbol(";"))
            {
                ExpectSymbol("}");
                break;
            }
        }

        return fields;
    }

    private static CandidLabel LabelOf(CandidToken t) => t.Kind switch
    {
        CandidTokenKind.Number when uint.TryParse(t.Text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out uint id)
            => CandidLabel.Numbered(id),
        CandidTokenKind.String => CandidLabel.Named(Encoding.UTF8.GetString(t.Bytes)),
        CandidTokenKind.Id => CandidLabel.Named(t.Text),
        _ => throw At(t, $"{Describe(t)} is not a field label"),
    };

    private CandidRecursiveType Knot(string name, CandidToken at)
    {
        if (!_names.TryGetValue(name, out CandidRecursiveType? knot))
        {
            knot = new CandidRecursiveType(name);
            _names[name] = knot;
            _firstUse[name] = at;
        }

        return knot;
    }

    private CandidToken Next()
    {
        CandidToken t = _tokens[_i];
        if (t.Kind != CandidTokenKind.End)
        {
            _i++;
        }

        return t;
    }

    private static CandidTextException At(CandidToken t, string problem) => new(t.Line, t.Column, problem);

    private static string Describe(CandidToken t) => t.Kind switch
    {
        CandidTokenKind.End => "the end of the text",
        CandidTokenKind.String => "a string",
        _ => $"'{t.Text}'",
    };
}
