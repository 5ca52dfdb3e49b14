using System.Globalization;
using System.Text;
using System.Text.Json;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Protocol.Tests.Candid;

/// <summary>
/// Random types and values (seeded), written out as @dfinity/candid IDL expressions: our encoding must decode in
/// JavaScript to the same value, and the JavaScript encoding must decode here to the same value.
/// </summary>
public class CandidJsFuzzTests
{
    [Test]
    public void RandomTypesAndValues_AgreeWithDfinityCandidBothWays()
    {
        const int seed = 20261124;
        const int count = 300;
        var rng = new Random(seed);
        var cases = new List<(CandidType Type, CandidValue Value)>();
        var payload = new List<Dictionary<string, string>>();
        for (int i = 0; i < count; i++)
        {
            CandidType type = RandomTypes.Type(rng, 3);
            CandidValue value = RandomTypes.Value(rng, type, 3);
            cases.Add((type, value));
            payload.Add(new Dictionary<string, string>
            {
                ["type"] = JsIdl.Type(type),
                ["value"] = JsIdl.Value(type, value),
                ["hex"] = Convert.ToHexString(CandidEncoder.Encode(type, value)).ToLowerInvariant(),
            });
        }

        List<Dictionary<string, string>> results = JsonSerializer.Deserialize<List<Dictionary<string, string>>>(
            NodeScript.Run("candid-fuzz.mjs", JsonSerializer.Serialize(payload)))!;

        Assert.Multiple(() =>
        {
            for (int i = 0; i < count; i++)
            {
                string context = $"seed {seed} case {i}: {cases[i].Type} = {cases[i].Value}";
                Assert.That(results[i]["decoded"], Is.EqualTo("ok"), context);
                string theirs = results[i]["theirs"];
                Assert.That(theirs, Does.Not.StartWith("error"), context);
                if (!theirs.StartsWith("error", StringComparison.Ordinal))
                {
                    Assert.That(CandidDecoder.Decode(Convert.FromHexString(theirs), [cases[i].Type])[0], Is.EqualTo(cases[i].Value), context);
                }
            }
        });
    }
}

/// <summary>Writes Candid types and values as @dfinity/candid JavaScript expressions.</summary>
internal static class JsIdl
{
    public static string Type(CandidType type)
    {
        var knots = new Dictionary<CandidRecursiveType, string>();
        return Type(type, knots);
    }

    public static string Value(CandidType type, CandidValue value)
    {
        var sb = new StringBuilder();
        WriteValue(sb, type, value);
        return sb.ToString();
    }

    private static string Type(CandidType type, Dictionary<CandidRecursiveType, string> knots)
    {
        if (type is CandidRecursiveType knot)
        {
            if (knots.TryGetValue(knot, out string? name))
            {
                return name;
            }

            name = "r" + knots.Count;
            knots[knot] = name;
            return $"(() => {{ const {name} = IDL.Rec(); {name}.fill({Type(knot.Body!, knots)}); return {name}; }})()";
        }

        return type switch
        {
            CandidPrimitiveType p => "IDL." + p.Kind switch
            {
                CandidTypeKind.Null => "Null", CandidTypeKind.Bool => "Bool", CandidTypeKind.Nat => "Nat", CandidTypeKind.Int => "Int",
                CandidTypeKind.Nat8 => "Nat8", CandidTypeKind.Nat16 => "Nat16", CandidTypeKind.Nat32 => "Nat32", CandidTypeKind.Nat64 => "Nat64",
                CandidTypeKind.Int8 => "Int8", CandidTypeKind.Int16 => "Int16", CandidTypeKind.Int32 => "Int32", CandidTypeKind.Int64 => "Int64",
                CandidTypeKind.Float32 => "Float32", CandidTypeKind.Float64 => "Float64", CandidTypeKind.Text => "Text",
                CandidTypeKind.Reserved => "Reserved", CandidTypeKind.Empty => "Empty", CandidTypeKind.Principal => "Principal",
                _ => throw new ArgumentException(p.Kind.ToString()),
            },
            CandidOptType o => $"IDL.Opt({Type(o.Inner, knots)})",
            CandidVecType v => $"IDL.Vec({Type(v.Element, knots)})",
            CandidRecordType r => "IDL.Record({" + string.Join(", ", r.Fields.Select(f => $"{Key(f.Label)}: {Type(f.Type, knots)}")) + "})",
            CandidVariantType v => "IDL.Variant({" + string.Join(", ", v.Fields.Select(f => $"{Key(f.Label)}: {Type(f.Type, knots)}")) + "})",
            CandidFuncType f => Func(f, knots),
            CandidServiceType s => "IDL.Service({" + string.Join(", ", s.Methods.Select(m => $"{JsonSerializer.Serialize(m.Name)}: {Func((CandidFuncType)m.Type.Resolve(), knots)}")) + "})",
            _ => throw new ArgumentException(type.ToString()),
        };
    }

    private static string Func(CandidFuncType f, Dictionary<CandidRecursiveType, string> knots)
    {
        string modes = f.Modes.HasFlag(CandidFuncModes.Query) ? "'query'" : "";
        return $"IDL.Func([{string.Join(", ", f.Arguments.Select(a => Type(a, knots)))}], [{string.Join(", ", f.Results.Select(a => Type(a, knots)))}], [{modes}])";
    }

    private static string Key(CandidLabel label) =>
        label.Name is { } name ? JsonSerializer.Serialize(name) : $"\"_{label.Id}_\"";

    private static void WriteValue(StringBuilder sb, CandidType type, CandidValue value)
    {
        CandidType t = type.Resolve();
        switch (value)
        {
            case CandidNull or CandidReserved:
                sb.Append("null");
                break;
            case CandidBool b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case CandidNat n:
                sb.Append(n.Value.ToString(CultureInfo.InvariantCulture)).Append('n');
                break;
            case CandidInt i:
                sb.Append(i.Value.ToString(CultureInfo.InvariantCulture)).Append('n');
                break;
            case CandidFixedNat n:
                sb.Append(n.Value.ToString(CultureInfo.InvariantCulture)).Append(n.Kind == CandidTypeKind.Nat64 ? "n" : "");
                break;
            case CandidFixedInt i:
                sb.Append(i.Value.ToString(CultureInfo.InvariantCulture)).Append(i.Kind == CandidTypeKind.Int64 ? "n" : "");
                break;
            case CandidFloat32 f:
                sb.Append(Number(f.Value));
                break;
            case CandidFloat64 f:
                sb.Append(Number(f.Value));
                break;
            case CandidText s:
                sb.Append(JsonSerializer.Serialize(s.Value));
                break;
            case CandidOpt o:
                sb.Append('[');
                if (o.Value is not null)
                {
                    WriteValue(sb, ((CandidOptType)t).Inner, o.Value);
                }

                sb.Append(']');
                break;
            case CandidBlob blob:
                sb.Append("Uint8Array.from([").Append(string.Join(",", blob.Bytes.ToArray())).Append("])");
                break;
            case CandidVec vec:
                sb.Append('[');
                for (int k = 0; k < vec.Elements.Count; k++)
                {
                    sb.Append(k == 0 ? "" : ", ");
                    WriteValue(sb, ((CandidVecType)t).Element, vec.Elements[k]);
                }

                sb.Append(']');
                break;
            case CandidRecord r:
                var rt = (CandidRecordType)t;
                sb.Append('{');
                for (int k = 0; k < r.Fields.Count; k++)
                {
                    CandidField f = rt.Fields[rt.IndexOf(r.Fields[k].Label.Id)];
                    sb.Append(k == 0 ? "" : ", ").Append(Key(f.Label)).Append(": ");
                    WriteValue(sb, f.Type, r.Fields[k].Value);
                }

                sb.Append('}');
                break;
            case CandidVariant v:
                var vt = (CandidVariantType)t;
                CandidField c = vt.Fields[vt.IndexOf(v.Label.Id)];
                sb.Append('{').Append(Key(c.Label)).Append(": ");
                WriteValue(sb, c.Type, v.Value);
                sb.Append('}');
                break;
            case CandidPrincipalValue p:
                sb.Append(Principal(p.Principal));
                break;
            case CandidServiceValue s:
                sb.Append(Principal(s.Principal));
                break;
            case CandidFuncValue f:
                sb.Append('[').Append(Principal(f.Service)).Append(", ").Append(JsonSerializer.Serialize(f.Method)).Append(']');
                break;
            default:
                throw new ArgumentException(value.GetType().Name);
        }
    }

    private static string Principal(CandidPrincipal p) => $"Principal.fromUint8Array(Uint8Array.from([{string.Join(",", p.Span.ToArray())}]))";

    private static string Number(double d) =>
        double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity"
        : d.ToString("R", CultureInfo.InvariantCulture);
}
