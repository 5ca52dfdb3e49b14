using System.Globalization;
using System.Text;

namespace InternetIdentity.Protocol.Candid;

/// <summary>
/// The Candid textual forms of types and values, for debugging and tooling. Principals print in their
/// checksummed textual form, <c>principal "aaaaa-aa"</c>.
/// </summary>
public static class CandidTextWriter
{
    /// <summary>The textual form of a value.</summary>
    public static string ValueToString(CandidValue value)
    {
        var sb = new StringBuilder();
        WriteValue(sb, value);
        return sb.ToString();
    }

    /// <summary>The textual form of an argument sequence: <c>(v1, v2)</c>.</summary>
    public static string ArgumentsToString(IEnumerable<CandidValue> values) =>
        "(" + string.Join(", ", values.Select(ValueToString)) + ")";

    /// <summary>The textual form of a type; recursive knots print by name.</summary>
    public static string TypeToString(CandidType type)
    {
        var sb = new StringBuilder();
        WriteType(sb, type, top: true);
        return sb.ToString();
    }

    /// <summary>A Candid text literal with escapes.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\{(int)c:x2}");
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private static void WriteValue(StringBuilder sb, CandidValue value)
    {
        switch (value)
        {
            case CandidNull or CandidReserved:
                sb.Append("null");
                break;
            case CandidBool b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case CandidNat n:
                sb.Append(n.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case CandidInt i:
                sb.Append(i.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case CandidFixedNat n:
                sb.Append(n.Value.ToString(CultureInfo.InvariantCulture)).Append(" : ").Append(Name(n.Kind));
                break;
            case CandidFixedInt i:
                sb.Append(i.Value.ToString(CultureInfo.InvariantCulture)).Append(" : ").Append(Name(i.Kind));
                break;
            case CandidFloat32 f:
                sb.Append(f.Value.ToString("R", CultureInfo.InvariantCulture)).Append(" : float32");
                break;
            case CandidFloat64 f:
                sb.Append(f.Value.ToString("R", CultureInfo.InvariantCulture)).Append(" : float64");
                break;
            case CandidText t:
                sb.Append(Quote(t.Value));
                break;
            case CandidOpt o:
                if (o.Value is null)
                {
                    sb.Append("null");
                }
                else
                {
                    sb.Append("opt ");
                    WriteValue(sb, o.Value);
                }

                break;
            case CandidBlob blob:
                sb.Append("blob \"");
                foreach (byte x in blob.Bytes.Span)
                {
                    if (x is >= 0x20 and < 0x7f && x != '"' && x != '\\')
                    {
                        sb.Append((char)x);
                    }
                    else
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\{x:x2}");
                    }
                }

                sb.Append('"');
                break;
            case CandidVec vec:
                sb.Append("vec {");
                foreach (CandidValue e in vec.Elements)
                {
                    sb.Append(' ');
                    WriteValue(sb, e);
                    sb.Append(';');
                }

                sb.Append(vec.Elements.Count == 0 ? "}" : " }");
                break;
            case CandidRecord r:
                bool tuple = r.Fields.Select((f, i) => f.Label.Name is null && f.Label.Id == (uint)i).All(x => x);
                sb.Append("record {");
                foreach (CandidFieldValue f in r.Fields)
                {
                    sb.Append(' ');
                    if (!tuple)
                    {
                        sb.Append(f.Label.ToString()).Append(" = ");
                    }

                    WriteValue(sb, f.Value);
                    sb.Append(';');
                }

                sb.Append(r.Fields.Count == 0 ? "}" : " }");
                break;
            case CandidVariant v:
                sb.Append("variant { ").Append(v.Label.ToString());
                if (v.Value is not CandidNull)
                {
                    sb.Append(" = ");
                    WriteValue(sb, v.Value);
                }

                sb.Append(" }");
                break;
            case CandidPrincipalValue p:
                sb.Append("principal \"").Append(p.Principal.ToString()).Append('"');
                break;
            case CandidServiceValue s:
                sb.Append("service \"").Append(s.Principal.ToString()).Append('"');
                break;
            case CandidFuncValue f:
                sb.Append("func \"").Append(f.Service.ToString()).Append("\".").Append(Quote(f.Method));
                break;
            default:
                sb.Append(value.GetType().Name);
                break;
        }
    }

    private static void WriteType(StringBuilder sb, CandidType type, bool top)
    {
        switch (type)
        {
            case CandidRecursiveType knot when !top || knot.Body is null:
                sb.Append(knot.Name);
                break;
            case CandidRecursiveType knot:
                WriteType(sb, knot.Body!, top: false);
                break;
            case CandidPrimitiveType p:
                sb.Append(Name(p.Kind));
                break;
            case CandidOptType o:
                sb.Append("opt ");
                WriteType(sb, o.Inner, false);
                break;
            case CandidVecType v when v.Element is CandidPrimitiveType { Kind: CandidTypeKind.Nat8 }:
                sb.Append("blob");
                break;
            case CandidVecType v:
                sb.Append("vec ");
                WriteType(sb, v.Element, false);
                break;
            case CandidRecordType r:
                WriteFields(sb, "record", r.Fields, r.IsTuple && r.Fields.All(f => f.Label.Name is null));
                break;
            case CandidVariantType v:
                WriteFields(sb, "variant", v.Fields, tuple: false);
                break;
            case CandidFuncType f:
                sb.Append("func ");
                WriteSignature(sb, f);
                break;
            case CandidServiceType s:
                sb.Append("service {");
                foreach (CandidMethod m in s.Methods)
                {
                    sb.Append(' ').Append(Quote(m.Name)).Append(" : ");
                    if (m.Type.Resolve() is CandidFuncType mf)
                    {
                        WriteSignature(sb, mf);
                    }
                    else
                    {
                        WriteType(sb, m.Type, false);
                    }

                    sb.Append(';');
                }

                sb.Append(s.Methods.Count == 0 ? "}" : " }");
                break;
            case CandidFutureType f:
                sb.Append(CultureInfo.InvariantCulture, $"<future type {f.Opcode}>");
                break;
        }
    }

    private static void WriteFields(StringBuilder sb, string keyword, IReadOnlyList<CandidField> fields, bool tuple)
    {
        sb.Append(keyword).Append(" {");
        foreach (CandidField f in fields)
        {
            sb.Append(' ');
            if (!tuple)
            {
                sb.Append(f.Label.ToString());
                if (keyword == "variant" && f.Type.Resolve().Kind == CandidTypeKind.Null)
                {
                    sb.Append(';');
                    continue;
                }

                sb.Append(" : ");
            }

            WriteType(sb, f.Type, false);
            sb.Append(';');
        }

        sb.Append(fields.Count == 0 ? "}" : " }");
    }

    private static void WriteSignature(StringBuilder sb, CandidFuncType f)
    {
        sb.Append('(');
        for (int i = 0; i < f.Arguments.Count; i++)
        {
            sb.Append(i == 0 ? "" : ", ");
            WriteType(sb, f.Arguments[i], false);
        }

        sb.Append(") -> (");
        for (int i = 0; i < f.Results.Count; i++)
        {
            sb.Append(i == 0 ? "" : ", ");
            WriteType(sb, f.Results[i], false);
        }

        sb.Append(')');
        if (f.Modes.HasFlag(CandidFuncModes.Query))
        {
            sb.Append(" query");
        }

        if (f.Modes.HasFlag(CandidFuncModes.Oneway))
        {
            sb.Append(" oneway");
        }

        if (f.Modes.HasFlag(CandidFuncModes.CompositeQuery))
        {
            sb.Append(" composite_query");
        }
    }

    private static string Name(CandidTypeKind kind) => kind.ToString().ToLowerInvariant();
}
