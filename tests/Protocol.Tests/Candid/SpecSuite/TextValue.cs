using System.Globalization;
using System.Numerics;
using System.Text;
using InternetIdentity.Protocol.Candid;

namespace InternetIdentity.Protocol.Tests.Candid.SpecSuite;

/// <summary>An untyped textual Candid value; <see cref="ToCandid"/> gives it a type, as the text format does.</summary>
internal abstract record TextValue
{
    internal sealed record Null : TextValue;

    internal sealed record Bool(bool Value) : TextValue;

    internal sealed record Number(string Literal, bool Negative) : TextValue;

    internal sealed record Text(byte[] Bytes) : TextValue;

    internal sealed record Blob(byte[] Bytes) : TextValue;

    internal sealed record Opt(TextValue Value) : TextValue;

    internal sealed record Vec(List<TextValue> Elements) : TextValue;

    internal sealed record Record(List<(CandidLabel Label, TextValue Value)> Fields) : TextValue;

    internal sealed record Variant(CandidLabel Label, TextValue Value) : TextValue;

    internal sealed record Principal(byte[] Bytes) : TextValue;

    internal sealed record Service(byte[] Bytes) : TextValue;

    internal sealed record Func(byte[] Target, string Method) : TextValue;

    /// <summary>The value at a type; throws <see cref="FormatException"/> when it does not fit.</summary>
    public static CandidValue ToCandid(TextValue v, CandidType type)
    {
        CandidType t = type.Resolve();
        switch (t.Kind, v)
        {
            case (CandidTypeKind.Reserved, _):
                return CandidValue.Reserved;
            case (CandidTypeKind.Opt, Null):
                return CandidValue.None;
            case (CandidTypeKind.Opt, Opt o):
                return CandidValue.Some(ToCandid(o.Value, ((CandidOptType)t).Inner));
            case (CandidTypeKind.Opt, _):
                CandidType inner = ((CandidOptType)t).Inner;
                if (inner.Resolve().Kind is CandidTypeKind.Null or CandidTypeKind.Opt or CandidTypeKind.Reserved)
                {
                    return CandidValue.None;
                }

                try
                {
                    return CandidValue.Some(ToCandid(v, inner));
                }
                catch (FormatException)
                {
                    return CandidValue.None;
                }

            case (CandidTypeKind.Null, Null):
                return CandidValue.Null;
            case (CandidTypeKind.Bool, Bool b):
                return CandidValue.Bool(b.Value);
            case (_, Number n):
                return NumberAt(n, t.Kind);
            case (CandidTypeKind.Text, Text s):
                return CandidValue.Text(Utf8(s.Bytes));
            case (CandidTypeKind.Vec, Blob b) when ((CandidVecType)t).IsBlob:
                return new CandidBlob(b.Bytes);
            case (CandidTypeKind.Vec, Vec vec):
                CandidType element = ((CandidVecType)t).Element;
                return new CandidVec(vec.Elements.Select(e => ToCandid(e, element)).ToList());
            case (CandidTypeKind.Record, Record r):
                var fields = new List<CandidFieldValue>();
                foreach (CandidField f in ((CandidRecordType)t).Fields)
                {
                    int i = r.Fields.FindIndex(x => x.Label.Id == f.Label.Id);
                    if (i >= 0)
                    {
                        fields.Add(new CandidFieldValue(f.Label, ToCandid(r.Fields[i].Value, f.Type)));
                    }
                    else if (f.Type.Resolve().Kind is CandidTypeKind.Opt or CandidTypeKind.Reserved)
                    {
                        fields.Add(new CandidFieldValue(f.Label, f.Type.Resolve().Kind == CandidTypeKind.Opt ? CandidValue.None : CandidValue.Reserved));
                    }
                    else
                    {
                        throw new FormatException($"record value lacks field {f.Label}");
                    }
                }

                return new CandidRecord(fields);
            case (CandidTypeKind.Variant, Variant vv):
                var vt = (CandidVariantType)t;
                int index = vt.IndexOf(vv.Label.Id);
                if (index < 0)
                {
                    throw new FormatException($"variant case {vv.Label} not in type");
                }

                return new CandidVariant(vt.Fields[index].Label, ToCandid(vv.Value, vt.Fields[index].Type));
            case (CandidTypeKind.Principal, Principal p):
                return new CandidPrincipalValue(new CandidPrincipal(p.Bytes));
            case (CandidTypeKind.Service, Service s):
                return new CandidServiceValue(new CandidPrincipal(s.Bytes));
            case (CandidTypeKind.Func, Func f):
                return new CandidFuncValue(new CandidPrincipal(f.Target), f.Method);
            default:
                throw new FormatException($"textual value {v.GetType().Name} does not fit type {t}");
        }
    }

    private static string Utf8(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (ArgumentException)
        {
            throw new FormatException("text is not valid UTF-8");
        }
    }

    private static CandidValue NumberAt(Number n, CandidTypeKind kind)
    {
        string literal = n.Literal.Replace("_", "", StringComparison.Ordinal);
        if (kind is CandidTypeKind.Float32 or CandidTypeKind.Float64)
        {
            double d = double.Parse(literal, CultureInfo.InvariantCulture) * (n.Negative ? -1 : 1);
            return kind == CandidTypeKind.Float32 ? CandidValue.Float32((float)d) : CandidValue.Float64(d);
        }

        if (literal.Contains('.', StringComparison.Ordinal) || literal.Contains('e', StringComparison.OrdinalIgnoreCase) && !literal.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("not an integer");
        }

        BigInteger value = literal.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? BigInteger.Parse("0" + literal[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : BigInteger.Parse(literal, CultureInfo.InvariantCulture);
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
                _ => throw new FormatException($"number {value} does not fit {kind}"),
            };
        }
        catch (OverflowException)
        {
            throw new FormatException($"number {value} does not fit {kind}");
        }
    }
}
