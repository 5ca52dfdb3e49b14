using System.Globalization;
using System.Numerics;
using System.Text;

namespace InternetIdentity.Protocol.Candid.Text;

/// <summary>
/// Candid text values (<c>(record { owner = principal "aaaaa-aa"; n = 5 : nat })</c>) to the dynamic model and to the
/// binary encoding: typed against the expected argument types (as a .did file gives them), or, without types, by the
/// text format's inference (numbers without annotation are <c>int</c>, or <c>float64</c> with a fraction or exponent).
/// </summary>
public static class CandidTextValues
{
    /// <summary>Parses a whole argument sequence <c>(v1, v2, ...)</c>.</summary>
    /// <exception cref="CandidTextException">malformed text; the message names the position.</exception>
    public static IReadOnlyList<CandidTextValue> Parse(string text)
    {
        var reader = new CandidTextReader(text);
        IReadOnlyList<CandidTextValue> values = reader.ReadArguments();
        reader.ExpectEnd();
        return values;
    }

    /// <summary>
    /// The Candid binary encoding of the argument text: typed against <paramref name="types"/> when given (missing
    /// trailing <c>opt</c>, <c>null</c> and <c>reserved</c> arguments are null), inferred from the text otherwise.
    /// </summary>
    /// <exception cref="CandidTextException">malformed text, or a value that does not fit its type.</exception>
    public static byte[] Encode(string text, IReadOnlyList<CandidType>? types = null)
    {
        IReadOnlyList<CandidTextValue> parsed = Parse(text);
        if (types is null)
        {
            CandidType[] inferred = [.. parsed.Select(InferType)];
            return CandidEncoder.Encode(inferred, [.. parsed.Select((v, i) => ToValue(v, inferred[i]))]);
        }

        return CandidEncoder.Encode(types, ToValues(parsed, types));
    }

    /// <summary>The values at the argument types (missing trailing <c>opt</c>, <c>null</c>, <c>reserved</c> arguments as null).</summary>
    /// <exception cref="CandidTextException">a value does not fit, or too many or too few arguments.</exception>
    public static IReadOnlyList<CandidValue> ToValues(IReadOnlyList<CandidTextValue> values, IReadOnlyList<CandidType> types)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(types);
        if (values.Count > types.Count)
        {
            CandidTextValue extra = values[types.Count];
            throw new CandidTextException(extra.Line, extra.Column, $"{values.Count} arguments given, the type takes {types.Count}");
        }

        var result = new List<CandidValue>(types.Count);
        for (int i = 0; i < types.Count; i++)
        {
            result.Add(i < values.Count
                ? ToValue(values[i], types[i])
                : types[i].Resolve().Kind switch
                {
                    CandidTypeKind.Opt => CandidValue.None,
                    CandidTypeKind.Null => CandidValue.Null,
                    CandidTypeKind.Reserved => CandidValue.Reserved,
                    _ => throw new CandidTextException(1, 1, $"argument {i} ({CandidTextWriter.TypeToString(types[i])}) is missing"),
                });
        }

        return result;
    }

    /// <summary>The value at a type, as the text format types it (an annotation must be a subtype of the type).</summary>
    /// <exception cref="CandidTextException">the value does not fit the type.</exception>
    public static CandidValue ToValue(CandidTextValue value, CandidType type)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(type);
        if (value.Annotation is { } annotation && !CandidSubtyping.IsSubtype(annotation, type))
        {
            throw Fail(value, $"a value annotated {CandidTextWriter.TypeToString(annotation)} does not fit {CandidTextWriter.TypeToString(type)}");
        }

        CandidType t = type.Resolve();
        switch (t.Kind, value)
        {
            case (CandidTypeKind.Reserved, _):
                return CandidValue.Reserved;
            case (CandidTypeKind.Opt, CandidTextValue.Null):
                return CandidValue.None;
            case (CandidTypeKind.Opt, CandidTextValue.Opt o):
                return CandidValue.Some(ToValue(o.Value, ((CandidOptType)t).Inner));
            case (CandidTypeKind.Opt, _):
                // The spec's special opt rule: a value that does not fit the inner type reads as null.
                CandidType inner = ((CandidOptType)t).Inner;
                if (inner.Resolve().Kind is CandidTypeKind.Null or CandidTypeKind.Opt or CandidTypeKind.Reserved)
                {
                    return CandidValue.None;
                }

                try
                {
                    return CandidValue.Some(ToValue(value, inner));
                }
                catch (CandidTextException)
                {
                    return CandidValue.None;
                }

            case (CandidTypeKind.Null, CandidTextValue.Null):
                return CandidValue.Null;
            case (CandidTypeKind.Bool, CandidTextValue.Bool b):
                return CandidValue.Bool(b.Value);
            case (_, CandidTextValue.Number n):
                return NumberAt(n, t.Kind);
            case (CandidTypeKind.Text, CandidTextValue.Text s):
                return CandidValue.Text(Utf8(s));
            case (CandidTypeKind.Vec, CandidTextValue.Blob b) when ((CandidVecType)t).IsBlob:
                return new CandidBlob(b.Bytes);
            case (CandidTypeKind.Vec, CandidTextValue.Vec vec):
                CandidType element = ((CandidVecType)t).Element;
                return new CandidVec([.. vec.Elements.Select(e => ToValue(e, element))]);
            case (CandidTypeKind.Record, CandidTextValue.Record r):
                return RecordAt(r, (CandidRecordType)t);
            case (CandidTypeKind.Variant, CandidTextValue.Variant v):
                var vt = (CandidVariantType)t;
                int index = vt.IndexOf(v.Label.Id);
                return index < 0
                    ? throw Fail(value, $"variant case {v.Label} is not one of {CandidTextWriter.TypeToString(t)}")
                    : new CandidVariant(vt.Fields[index].Label, ToValue(v.Value, vt.Fields[index].Type));
            case (CandidTypeKind.Principal, CandidTextValue.Principal p):
                return new CandidPrincipalValue(new CandidPrincipal(p.Bytes));
            case (CandidTypeKind.Service, CandidTextValue.Service s):
                return new CandidServiceValue(new CandidPrincipal(s.Bytes));
            case (CandidTypeKind.Func, CandidTextValue.Func f):
                return new CandidFuncValue(new CandidPrincipal(f.Target), f.Method);
            default:
                throw Fail(value, $"{Describe(value)} does not fit type {CandidTextWriter.TypeToString(t)}");
        }
    }

    /// <summary>
    /// The type the text format infers for a value without a type: the annotation if any; <c>int</c> for integers and
    /// <c>float64</c> for fractions; <c>text</c>, <c>blob</c>, <c>principal</c>, <c>null</c>; <c>opt</c>, <c>vec</c> (of
    /// the first element's type; <c>vec empty</c> when empty), <c>record</c> and <c>variant</c> of their parts' types.
    /// </summary>
    /// <exception cref="CandidTextException">a value (a function reference) whose type cannot be inferred.</exception>
    public static CandidType InferType(CandidTextValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Annotation is { } annotation)
        {
            return annotation;
        }

        return value switch
        {
            CandidTextValue.Null => CandidType.Null,
            CandidTextValue.Bool => CandidType.Bool,
            CandidTextValue.Number n => IsFraction(n.Literal) ? CandidType.Float64 : CandidType.Int,
            CandidTextValue.Text => CandidType.Text,
            CandidTextValue.Blob => CandidType.Blob,
            CandidTextValue.Opt o => CandidType.Opt(InferType(o.Value)),
            CandidTextValue.Vec v => CandidType.Vec(v.Elements.FirstOrDefault(e => e is not CandidTextValue.Null) is { } first
                ? InferType(first)
                : v.Elements.Count > 0 ? CandidType.Null : CandidType.Empty),
            CandidTextValue.Record r => CandidType.Record(r.Fields.Select(f => new CandidField(f.Label, InferType(f.Value)))),
            CandidTextValue.Variant v => CandidType.Variant([new CandidField(v.Label, InferType(v.Value))]),
            CandidTextValue.Principal => CandidType.Principal,
            CandidTextValue.Service => new CandidServiceType([]),
            _ => throw Fail(value, $"the type of {Describe(value)} cannot be inferred: annotate it (v : type) or give the .did file"),
        };
    }

    private static CandidRecord RecordAt(CandidTextValue.Record r, CandidRecordType t)
    {
        // Fields the type lacks are ignored, as record subtyping drops them.
        var fields = new List<CandidFieldValue>();
        foreach (CandidField f in t.Fields)
        {
            int i = r.Fields.ToList().FindIndex(x => x.Label.Id == f.Label.Id);
            CandidTypeKind kind = f.Type.Resolve().Kind;
            if (i >= 0)
            {
                fields.Add(new CandidFieldValue(f.Label, ToValue(r.Fields[i].Value, f.Type)));
            }
            else if (kind is CandidTypeKind.Opt or CandidTypeKind.Reserved or CandidTypeKind.Null)
            {
                fields.Add(new CandidFieldValue(f.Label, kind switch
                {
                    CandidTypeKind.Opt => CandidValue.None,
                    CandidTypeKind.Null => CandidValue.Null,
                    _ => CandidValue.Reserved,
                }));
            }
            else
            {
                throw Fail(r, $"the record lacks field {f.Label} : {CandidTextWriter.TypeToString(f.Type)}");
            }
        }

        return new CandidRecord(fields);
    }

    private static string Utf8(CandidTextValue.Text s)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(s.Bytes);
        }
        catch (ArgumentException)
        {
            throw Fail(s, "text is not valid UTF-8");
        }
    }

    private static bool IsFraction(string literal) =>
        !literal.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && literal.IndexOfAny(['.', 'e', 'E']) >= 0;

    private static CandidValue NumberAt(CandidTextValue.Number n, CandidTypeKind kind)
    {
        string literal = n.Literal.Replace("_", "", StringComparison.Ordinal);
        if (kind is CandidTypeKind.Float32 or CandidTypeKind.Float64)
        {
            double d = literal.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? (double)BigInteger.Parse("0" + literal[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) ? parsed : throw Fail(n, $"'{n.Literal}' is not a number");
            d *= n.Negative ? -1 : 1;
            return kind == CandidTypeKind.Float32 ? CandidValue.Float32((float)d) : CandidValue.Float64(d);
        }

        if (IsFraction(literal))
        {
            throw Fail(n, $"{n.Literal} is not an integer, so it does not fit {kind.ToString().ToLowerInvariant()}");
        }

        BigInteger value = literal.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? BigInteger.Parse("0" + literal[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : BigInteger.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out BigInteger v) ? v : throw Fail(n, $"'{n.Literal}' is not a number");
        if (n.Negative)
        {
            value = -value;
        }

        try
        {
            return kind switch
            {
                CandidTypeKind.Nat when value.Sign >= 0 => CandidValue.Nat(value),
                CandidTypeKind.Int => CandidValue.Int(value),
                CandidTypeKind.Nat8 => CandidValue.Nat8(checked((byte)value)),
                CandidTypeKind.Nat16 => CandidValue.Nat16(checked((ushort)value)),
                CandidTypeKind.Nat32 => CandidValue.Nat32(checked((uint)value)),
                CandidTypeKind.Nat64 => CandidValue.Nat64(checked((ulong)value)),
                CandidTypeKind.Int8 => CandidValue.Int8(checked((sbyte)value)),
                CandidTypeKind.Int16 => CandidValue.Int16(checked((short)value)),
                CandidTypeKind.Int32 => CandidValue.Int32(checked((int)value)),
                CandidTypeKind.Int64 => CandidValue.Int64(checked((long)value)),
                _ => throw Fail(n, $"the number {value} does not fit {kind.ToString().ToLowerInvariant()}"),
            };
        }
        catch (OverflowException)
        {
            throw Fail(n, $"the number {value} does not fit {kind.ToString().ToLowerInvariant()}");
        }
    }

    private static string Describe(CandidTextValue v) => v switch
    {
        CandidTextValue.Number n => $"the number {(n.Negative ? "-" : "")}{n.Literal}",
        CandidTextValue.Text => "a text",
        _ => "a " + v.GetType().Name.ToLowerInvariant() + " value",
    };

    private static CandidTextException Fail(CandidTextValue at, string problem) => new(Math.Max(at.Line, 1), Math.Max(at.Column, 1), problem);
}
