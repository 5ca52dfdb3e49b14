namespace InternetIdentity.Protocol.Candid;

/// <summary>
/// Encodes Candid binary messages: <c>DIDL</c>, a type table (one entry per distinct constructed type,
/// recursion by back reference), the argument types, then the values.
/// </summary>
public static class CandidEncoder
{
    /// <summary>Encodes values at the given argument types.</summary>
    /// <exception cref="ArgumentException">a value does not fit its type, or a type cannot be encoded.</exception>
    public static byte[] Encode(IReadOnlyList<CandidType> types, IReadOnlyList<CandidValue> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        if (types.Count != values.Count)
        {
            throw new ArgumentException($"{types.Count} argument types but {values.Count} values", nameof(values));
        }

        return EncodeWithHeader(Header(types), types, values);
    }

    /// <summary>Encodes a single value at its type.</summary>
    public static byte[] Encode(CandidType type, CandidValue value) => Encode([type], [value]);

    /// <summary>
    /// Serializes the type table and argument types once, for messages that always have these types
    /// (a method's arguments or results); <see cref="CandidArgumentLayout.Encode"/> then writes only values.
    /// </summary>
    public static CandidArgumentLayout Prepare(IReadOnlyList<CandidType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        return new CandidArgumentLayout(types.ToArray(), Header(types));
    }

    internal static byte[] EncodeWithHeader(byte[] header, IReadOnlyList<CandidType> types, IReadOnlyList<CandidValue> values)
    {
        var w = new CandidWriter(header.Length + 64);
        w.WriteBytes(header);
        for (int i = 0; i < values.Count; i++)
        {
            WriteValue(w, types[i], values[i] ?? throw new ArgumentNullException(nameof(values), $"value {i} is null"));
        }

        return w.ToArray();
    }

    private static byte[] Header(IReadOnlyList<CandidType> types)
    {
        var table = new TypeTable();
        var argRefs = new long[types.Count];
        for (int i = 0; i < types.Count; i++)
        {
            argRefs[i] = table.Reference(types[i] ?? throw new ArgumentNullException(nameof(types), $"type {i} is null"));
        }

        var w = new CandidWriter();
        w.WriteBytes("DIDL"u8);
        table.WriteTo(w);
        w.WriteUleb((ulong)argRefs.Length);
        foreach (long r in argRefs)
        {
            w.WriteSleb(r);
        }

        return w.ToArray();
    }

    private static void WriteValue(CandidWriter w, CandidType type, CandidValue value)
    {
        CandidType t = type.Resolve();
        switch (t.Kind, value)
        {
            case (CandidTypeKind.Null, CandidNull):
            case (CandidTypeKind.Reserved, _):
                return;
            case (CandidTypeKind.Bool, CandidBool b):
                w.WriteByte(b.Value ? (byte)1 : (byte)0);
                return;
            case (CandidTypeKind.Nat, CandidNat n):
                w.WriteUleb(n.Value);
                return;
            case (CandidTypeKind.Int, CandidInt i):
                w.WriteSleb(i.Value);
                return;
            case (CandidTypeKind.Int, CandidNat n):
                w.WriteSleb(n.Value);
                return;
            case (CandidTypeKind.Nat8 or CandidTypeKind.Nat16 or CandidTypeKind.Nat32 or CandidTypeKind.Nat64, CandidFixedNat n) when n.Kind == t.Kind:
                WriteFixed(w, t.Kind, n.Value);
                return;
            case (CandidTypeKind.Int8 or CandidTypeKind.Int16 or CandidTypeKind.Int32 or CandidTypeKind.Int64, CandidFixedInt i) when i.Kind == t.Kind:
                WriteFixed(w, t.Kind, unchecked((ulong)i.Value));
                return;
            case (CandidTypeKind.Float32, CandidFloat32 f):
                w.WriteUInt32(BitConverter.SingleToUInt32Bits(f.Value));
                return;
            case (CandidTypeKind.Float64, CandidFloat64 f):
                w.WriteUInt64(BitConverter.DoubleToUInt64Bits(f.Value));
                return;
            case (CandidTypeKind.Text, CandidText s):
                w.WriteText(s.Value);
                return;
            case (CandidTypeKind.Principal, CandidPrincipalValue p):
                w.WritePrincipal(p.Principal.Span);
                return;
            case (CandidTypeKind.Opt, CandidOpt o):
                if (o.Value is null)
                {
                    w.WriteByte(0);
                }
                else
                {
                    w.WriteByte(1);
                    WriteValue(w, ((CandidOptType)t).Inner, o.Value);
                }

                return;
            case (CandidTypeKind.Opt, CandidNull):
                w.WriteByte(0);
                return;
            case (CandidTypeKind.Vec, CandidBlob blob) when ((CandidVecType)t).IsBlob:
                w.WriteUleb((ulong)blob.Bytes.Length);
                w.WriteBytes(blob.Bytes.Span);
                return;
            case (CandidTypeKind.Vec, CandidVec vec):
                w.WriteUleb((ulong)vec.Elements.Count);
                CandidType element = ((CandidVecType)t).Element;
                foreach (CandidValue e in vec.Elements)
                {
                    WriteValue(w, element, e);
                }

                return;
            case (CandidTypeKind.Record, CandidRecord r):
                WriteRecord(w, (CandidRecordType)t, r);
                return;
            case (CandidTypeKind.Variant, CandidVariant v):
                var vt = (CandidVariantType)t;
                int index = vt.IndexOf(v.Label.Id);
                if (index < 0)
                {
                    throw new ArgumentException($"variant case {v.Label} is not in type {t}");
                }

                w.WriteUleb((ulong)index);
                WriteValue(w, vt.Fields[index].Type, v.Value);
                return;
            case (CandidTypeKind.Func, CandidFuncValue f):
                w.WriteByte(1);
                w.WritePrincipal(f.Service.Span);
                w.WriteText(f.Method);
                return;
            case (CandidTypeKind.Service, CandidServiceValue s):
                w.WritePrincipal(s.Principal.Span);
                return;
            default:
                throw new ArgumentException($"value {Short(value)} does not fit type {t}");
        }
    }

    private static void WriteRecord(CandidWriter w, CandidRecordType t, CandidRecord r)
    {
        IReadOnlyList<CandidFieldValue> values = r.Fields;
        int j = 0;
        foreach (CandidField f in t.Fields)
        {
            while (j < values.Count && values[j].Label.Id < f.Label.Id)
            {
                j++;
            }

            if (j < values.Count && values[j].Label.Id == f.Label.Id)
            {
                WriteValue(w, f.Type, values[j].Value);
                continue;
            }

            switch (f.Type.Resolve().Kind)
            {
                case CandidTypeKind.Opt:
                    w.WriteByte(0);
                    break;
                case CandidTypeKind.Null:
                case CandidTypeKind.Reserved:
                    break;
                default:
                    throw new ArgumentException($"record value lacks field {f.Label} of type {f.Type}");
            }
        }
    }

    private static void WriteFixed(CandidWriter w, CandidTypeKind kind, ulong bits)
    {
        switch (kind)
        {
            case CandidTypeKind.Nat8 or CandidTypeKind.Int8:
                w.WriteByte((byte)bits);
                break;
            case CandidTypeKind.Nat16 or CandidTypeKind.Int16:
                w.WriteUInt16((ushort)bits);
                break;
            case CandidTypeKind.Nat32 or CandidTypeKind.Int32:
                w.WriteUInt32((uint)bits);
                break;
            default:
                w.WriteUInt64(bits);
                break;
        }
    }

    private static string Short(CandidValue v)
    {
        string s = v.ToString();
        return s.Length <= 120 ? s : s[..117] + "...";
    }

    /// <summary>Assigns table indexes to constructed types (by identity) and serializes their entries.</summary>
    private sealed class TypeTable
    {
        private readonly Dictionary<CandidType, int> _index = new(ReferenceEqualityComparer.Instance);
        private readonly List<byte[]?> _entries = [];

        public long Reference(CandidType type)
        {
            CandidType t = type.Resolve();
            if (t is CandidPrimitiveType)
            {
                return CandidOpcode.OfPrimitive(t.Kind);
            }

            if (_index.TryGetValue(t, out int existing))
            {
                return existing;
            }

            int index = _entries.Count;
            _index[t] = index;
            _entries.Add(null);
            var e = new CandidWriter(16);
            switch (t)
            {
                case CandidOptType o:
                    e.WriteSleb(CandidOpcode.Opt);
                    e.WriteSleb(Reference(o.Inner));
                    break;
                case CandidVecType v:
                    e.WriteSleb(CandidOpcode.Vec);
                    e.WriteSleb(Reference(v.Element));
                    break;
                case CandidRecordType r:
                    WriteFields(e, CandidOpcode.Record, r.Fields);
                    break;
                case CandidVariantType v:
                    WriteFields(e, CandidOpcode.Variant, v.Fields);
                    break;
                case CandidFuncType f:
                    WriteFunc(e, f);
                    break;
                case CandidServiceType s:
                    e.WriteSleb(CandidOpcode.Service);
                    e.WriteUleb((ulong)s.Methods.Count);
                    foreach (CandidMethod m in s.Methods)
                    {
                        if (m.Type.Resolve() is not CandidFuncType)
                        {
                            throw new ArgumentException($"service method {m.Name} does not have a function type");
                        }

                        e.WriteText(m.Name);
                        e.WriteSleb(Reference(m.Type));
                    }

                    break;
                default:
                    throw new ArgumentException($"type {t} cannot be encoded");
            }

            _entries[index] = e.ToArray();
            return index;
        }

        public void WriteTo(CandidWriter w)
        {
            w.WriteUleb((ulong)_entries.Count);
            foreach (byte[]? entry in _entries)
            {
                w.WriteBytes(entry);
            }
        }

        private void WriteFields(CandidWriter e, int opcode, IReadOnlyList<CandidField> fields)
        {
            e.WriteSleb(opcode);
            e.WriteUleb((ulong)fields.Count);
            foreach (CandidField f in fields)
            {
                e.WriteUleb(f.Label.Id);
                e.WriteSleb(Reference(f.Type));
            }
        }

        private void WriteFunc(CandidWriter e, CandidFuncType f)
        {
            e.WriteSleb(CandidOpcode.Func);
            e.WriteUleb((ulong)f.Arguments.Count);
            foreach (CandidType a in f.Arguments)
            {
                e.WriteSleb(Reference(a));
            }

            e.WriteUleb((ulong)f.Results.Count);
            foreach (CandidType r in f.Results)
            {
                e.WriteSleb(Reference(r));
            }

            var annotations = new List<byte>();
            if (f.Modes.HasFlag(CandidFuncModes.Query))
            {
                annotations.Add(1);
            }

            if (f.Modes.HasFlag(CandidFuncModes.Oneway))
            {
                annotations.Add(2);
            }

            if (f.Modes.HasFlag(CandidFuncModes.CompositeQuery))
            {
                annotations.Add(3);
            }

            e.WriteUleb((ulong)annotations.Count);
            e.WriteBytes(annotations.ToArray());
        }
    }
}

/// <summary>A fixed sequence of argument types with its serialized type table, made by <see cref="CandidEncoder.Prepare"/>.</summary>
public sealed class CandidArgumentLayout
{
    private readonly CandidType[] _types;
    private readonly byte[] _header;

    internal CandidArgumentLayout(CandidType[] types, byte[] header)
    {
        _types = types;
        _header = header;
    }

    /// <summary>The argument types.</summary>
    public IReadOnlyList<CandidType> Types => _types;

    /// <summary>Encodes values of these types.</summary>
    /// <exception cref="ArgumentException">a value does not fit its type, or the count differs.</exception>
    public byte[] Encode(IReadOnlyList<CandidValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _types.Length)
        {
            throw new ArgumentException($"{_types.Length} argument types but {values.Count} values", nameof(values));
        }

        return CandidEncoder.EncodeWithHeader(_header, _types, values);
    }
}
