using System.Text;
using System.Text.Unicode;

namespace InternetIdentity.Protocol.Candid;

/// <summary>
/// Decodes Candid binary messages (<c>DIDL</c>, type table, argument types, values) at expected types with
/// the specification's subtyping rules: extra arguments and fields are skipped, missing <c>opt</c> and
/// <c>reserved</c> ones read as <c>null</c>, a value that does not fit an <c>opt</c> type reads as <c>null</c>,
/// <c>nat</c> reads as <c>int</c>. Malformed input, exceeded limits and type mismatches throw
/// <see cref="CandidFormatException"/>.
/// </summary>
public static class CandidDecoder
{
    /// <summary>Decodes the arguments at the expected types.</summary>
    /// <exception cref="CandidFormatException">malformed bytes, a limit exceeded, or a value that does not fit.</exception>
    public static IReadOnlyList<CandidValue> Decode(ReadOnlySpan<byte> message, IReadOnlyList<CandidType> expected, CandidDecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var reader = new CandidReader(message);
        var session = new Session(options ?? CandidDecoderOptions.Default);
        CandidType[] wire = session.ReadHeader(ref reader);
        return session.ReadValues(ref reader, wire, expected);
    }

    /// <summary>
    /// Decodes with a memo of the last header (type table and argument types) seen by this caller: a message
    /// that starts with the same header bytes reuses its parsed types. Parsing is a pure function of those bytes,
    /// so the result is the same as without the memo.
    /// </summary>
    internal static IReadOnlyList<CandidValue> DecodeWithMemo(
        ReadOnlySpan<byte> message, IReadOnlyList<CandidType> expected, CandidDecoderOptions? options, CandidHeaderMemo memo)
    {
        options ??= CandidDecoderOptions.Default;
        var reader = new CandidReader(message);
        var session = new Session(options);
        CandidHeaderMemo.Entry? last = memo.Last;
        CandidType[] wire;
        if (last is not null && ReferenceEquals(last.Options, options) && message.StartsWith(last.Header))
        {
            reader.Position = last.Header.Length;
            wire = last.Wire;
        }
        else
        {
            wire = session.ReadHeader(ref reader);
            memo.Last = new CandidHeaderMemo.Entry(message[..reader.Position].ToArray(), wire, options);
        }

        return session.ReadValues(ref reader, wire, expected);
    }

    /// <summary>Like <see cref="Decode"/>, but reports failure as false and a message instead of throwing.</summary>
    public static bool TryDecode(
        ReadOnlySpan<byte> message,
        IReadOnlyList<CandidType> expected,
        out IReadOnlyList<CandidValue> values,
        out string? error,
        CandidDecoderOptions? options = null)
    {
        try
        {
            values = Decode(message, expected, options);
            error = null;
            return true;
        }
        catch (CandidFormatException e)
        {
            values = [];
            error = e.Message;
            return false;
        }
    }

    /// <summary>Decodes a message at the types it declares itself (for inspection tools and tests).</summary>
    public static CandidMessage DecodeUntyped(ReadOnlySpan<byte> message, CandidDecoderOptions? options = null)
    {
        var reader = new CandidReader(message);
        var session = new Session(options ?? CandidDecoderOptions.Default);
        CandidType[] wire = session.ReadHeader(ref reader);
        return new CandidMessage(wire, session.ReadValues(ref reader, wire, wire));
    }

    /// <summary>The state of one decode: limits, the cost spent, subtype answers, and the last mismatch.</summary>
    private sealed class Session(CandidDecoderOptions options)
    {
        private static readonly byte[] s_magic = "DIDL"u8.ToArray();
        private CandidSubtyping.Checker? _subtyping;
        private long _cost;
        private string? _mismatch;

        public CandidType[] ReadHeader(ref CandidReader r)
        {
            if (r.Remaining < 4 || !r.ReadBytes(4, "magic").SequenceEqual(s_magic))
            {
                throw new CandidFormatException("not a Candid message: it does not start with \"DIDL\"");
            }

            int count = r.ReadLength("type table length", Math.Min(r.Remaining, options.MaxTypeTableLength));
            var table = new CandidRecursiveType[count];
            for (int i = 0; i < count; i++)
            {
                table[i] = new CandidRecursiveType("table" + i);
            }

            List<CandidServiceType>? services = null;
            for (int i = 0; i < count; i++)
            {
                CandidType entry = ReadTableEntry(ref r, table, i);
                if (entry is CandidServiceType s)
                {
                    (services ??= []).Add(s);
                }

                table[i].Define(entry);
            }

            foreach (CandidServiceType s in services ?? [])
            {
                foreach (CandidMethod m in s.Methods)
                {
                    if (m.Type.Resolve() is not CandidFuncType)
                    {
                        throw new CandidFormatException($"service method {m.Name} does not have a function type");
                    }
                }
            }

            int argc = r.ReadLength("argument count", r.Remaining);
            var args = new CandidType[argc];
            for (int i = 0; i < argc; i++)
            {
                args[i] = ReadTypeReference(ref r, table, "argument type");
            }

            return args;
        }

        public IReadOnlyList<CandidValue> ReadValues(ref CandidReader r, CandidType[] wire, IReadOnlyList<CandidType> expected)
        {
            Charge(wire.Length);
            var values = new CandidValue[expected.Count];
            for (int i = 0; i < expected.Count; i++)
            {
                if (i < wire.Length)
                {
                    values[i] = Decode(ref r, wire[i], expected[i], 1)
                        ?? throw new CandidFormatException($"argument {i}: {_mismatch}");
                }
                else
                {
                    values[i] = Absent(expected[i])
                        ?? throw new CandidFormatException(
                            $"argument {i} of type {Short(expected[i])} is missing (only opt, null and reserved arguments may be)");
                }
            }

            for (int i = expected.Count; i < wire.Length; i++)
            {
                Skip(ref r, wire[i], 1);
            }

            if (r.Remaining != 0)
            {
                throw new CandidFormatException($"{r.Remaining} bytes left over after the argument values");
            }

            return values;
        }

        private static CandidType ReadTableEntry(ref CandidReader r, CandidRecursiveType[] table, int index)
        {
            long opcode = r.ReadSleb64("type opcode");
            switch (opcode)
            {
                case CandidOpcode.Opt:
                    return new CandidOptType(ReadTypeReference(ref r, table, "opt type"));
                case CandidOpcode.Vec:
                    return new CandidVecType(ReadTypeReference(ref r, table, "vec type"));
                case CandidOpcode.Record:
                    return new CandidRecordType(ReadFields(ref r, table, "record"), trusted: true);
                case CandidOpcode.Variant:
                    return new CandidVariantType(ReadFields(ref r, table, "variant"), trusted: true);
                case CandidOpcode.Func:
                    return ReadFunc(ref r, table);
                case CandidOpcode.Service:
                    return ReadService(ref r, table);
                case < CandidOpcode.Principal:
                    int length = r.ReadLength("future type length", r.Remaining);
                    r.ReadBytes(length, "future type");
                    return new CandidFutureType(opcode);
                case >= 0:
                    throw new CandidFormatException($"type table entry {index} is a bare type index ({opcode}), not a type constructor");
                default:
                    throw new CandidFormatException($"type table entry {index} is a primitive type (opcode {opcode}), not a type constructor");
            }
        }

        private static CandidType ReadTypeReference(ref CandidReader r, CandidRecursiveType[] table, string what)
        {
            long code = r.ReadSleb64(what);
            if (code >= 0)
            {
                return code < table.Length
                    ? table[code]
                    : throw new CandidFormatException($"{what} refers to type table entry {code}, but the table has {table.Length}");
            }

            return CandidOpcode.TryPrimitive(code, out CandidTypeKind kind)
                ? CandidType.Primitive(kind)
                : throw new CandidFormatException($"{what} has opcode {code}, which is neither a primitive type nor a table index");
        }

        private static CandidField[] ReadFields(ref CandidReader r, CandidRecursiveType[] table, string what)
        {
            int n = r.ReadLength(what + " field count", r.Remaining / 2);
            var fields = new CandidField[n];
            for (int i = 0; i < n; i++)
            {
                ulong id = r.ReadUleb64(what + " field id");
                if (id > uint.MaxValue)
                {
                    throw new CandidFormatException($"{what} field id {id} does not fit 32 bits");
                }

                if (i > 0 && id <= fields[i - 1].Label.Id)
                {
                    throw new CandidFormatException($"{what} field ids are not strictly increasing ({fields[i - 1].Label.Id} then {id})");
                }

                fields[i] = new CandidField(CandidLabel.Numbered((uint)id), ReadTypeReference(ref r, table, what + " field type"));
            }

            return fields;
        }

        private static CandidFuncType ReadFunc(ref CandidReader r, CandidRecursiveType[] table)
        {
            var args = new CandidType[r.ReadLength("func argument count", r.Remaining)];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = ReadTypeReference(ref r, table, "func argument type");
            }

            var results = new CandidType[r.ReadLength("func result count", r.Remaining)];
            for (int i = 0; i < results.Length; i++)
            {
                results[i] = ReadTypeReference(ref r, table, "func result type");
            }

            int annotations = r.ReadLength("func annotation count", r.Remaining);
            CandidFuncModes modes = CandidFuncModes.None;
            for (int i = 0; i < annotations; i++)
            {
                byte a = r.ReadByte("func annotation");
                modes |= a switch
                {
                    1 => CandidFuncModes.Query,
                    2 => CandidFuncModes.Oneway,
                    3 => CandidFuncModes.CompositeQuery,
                    _ => throw new CandidFormatException($"unknown func annotation {a}"),
                };
            }

            return new CandidFuncType(args, results, modes);
        }

        private static CandidServiceType ReadService(ref CandidReader r, CandidRecursiveType[] table)
        {
            int n = r.ReadLength("service method count", r.Remaining / 2);
            var methods = new CandidMethod[n];
            ReadOnlySpan<byte> previous = default;
            for (int i = 0; i < n; i++)
            {
                int length = r.ReadLength("service method name length", r.Remaining);
                ReadOnlySpan<byte> name = r.ReadBytes(length, "service method name");
                if (!Utf8.IsValid(name))
                {
                    throw new CandidFormatException("service method name is not valid UTF-8");
                }

                if (i > 0 && name.SequenceCompareTo(previous) <= 0)
                {
                    throw new CandidFormatException("service method names are not strictly increasing");
                }

                previous = name;
                methods[i] = new CandidMethod(Encoding.UTF8.GetString(name), ReadTypeReference(ref r, table, "service method type"));
            }

            return new CandidServiceType(methods);
        }

        private CandidValue? Decode(ref CandidReader r, CandidType wireType, CandidType expectedType, int depth)
        {
            CheckDepth(depth);
            CandidType w = wireType.Resolve(), e = expectedType.Resolve();
            switch (e.Kind)
            {
                case CandidTypeKind.Reserved:
                    Skip(ref r, w, depth);
                    return CandidValue.Reserved;
                case CandidTypeKind.Opt:
                    return DecodeOpt(ref r, w, ((CandidOptType)e).Inner, depth);
            }

            switch (w)
            {
                case CandidPrimitiveType:
                    if (w.Kind == CandidTypeKind.Empty)
                    {
                        throw new CandidFormatException("a value of type empty cannot exist");
                    }

                    if (w.Kind == e.Kind)
                    {
                        return ReadPrimitive(ref r, w.Kind);
                    }

                    if (w.Kind == CandidTypeKind.Nat && e.Kind == CandidTypeKind.Int)
                    {
                        return new CandidInt(r.ReadUlebBig("nat"));
                    }

                    return Mismatch(w, e);
                case CandidVecType wv when e is CandidVecType ev:
                    return DecodeVec(ref r, wv, ev, depth);
                case CandidRecordType wr when e is CandidRecordType er:
                    return DecodeRecord(ref r, wr, er, depth);
                case CandidVariantType wv when e is CandidVariantType ev:
                    return DecodeVariant(ref r, wv, ev, depth);
                case CandidFuncType when e is CandidFuncType:
                    if (!IsSubtype(w, e))
                    {
                        return Mismatch(w, e);
                    }

                    return ReadFuncValue(ref r);
                case CandidFutureType when e is CandidFutureType:
                    // Only DecodeUntyped asks for a future type: its value is skipped and kept as reserved.
                    Skip(ref r, w, depth);
                    return CandidValue.Reserved;
                case CandidServiceType when e is CandidServiceType:
                    if (!IsSubtype(w, e))
                    {
                        return Mismatch(w, e);
                    }

                    return new CandidServiceValue(new CandidPrincipal(r.ReadPrincipalBytes("service reference")));
                default:
                    return Mismatch(w, e);
            }
        }

        private CandidValue? DecodeOpt(ref CandidReader r, CandidType w, CandidType inner, int depth)
        {
            CandidType wireInner;
            switch (w.Kind)
            {
                case CandidTypeKind.Null:
                case CandidTypeKind.Reserved:
                    return CandidValue.None;
                case CandidTypeKind.Opt:
                    byte tag = r.ReadByte("opt tag");
                    if (tag == 0)
                    {
                        return CandidValue.None;
                    }

                    if (tag != 1)
                    {
                        throw new CandidFormatException($"invalid opt tag {tag}");
                    }

                    Charge(1);
                    wireInner = ((CandidOptType)w).Inner;
                    break;
                default:
                    if (inner.Resolve().Kind is CandidTypeKind.Null or CandidTypeKind.Opt or CandidTypeKind.Reserved)
                    {
                        // The spec's special rule: a non-optional value never becomes "opt v" at a type that has null.
                        Skip(ref r, w, depth);
                        return CandidValue.None;
                    }

                    wireInner = w;
                    break;
            }

            int start = r.Position;
            CandidValue? v = Decode(ref r, wireInner, inner, depth + 1);
            if (v is not null)
            {
                return new CandidOpt(v);
            }

            // A value that does not fit reads as null, but must still be well-formed.
            r.Position = start;
            Skip(ref r, wireInner, depth + 1);
            return CandidValue.None;
        }

        private CandidValue? DecodeVec(ref CandidReader r, CandidVecType w, CandidVecType e, int depth)
        {
            ulong n = r.ReadUleb64("vector length");
            CandidType we = w.Element.Resolve(), ee = e.Element.Resolve();
            if (we.Kind == CandidTypeKind.Nat8 && ee.Kind == CandidTypeKind.Nat8)
            {
                if (n > (ulong)r.Remaining)
                {
                    throw new CandidFormatException($"blob length {n} exceeds the {r.Remaining} bytes left");
                }

                Charge(1);
                return new CandidBlob(r.ReadBytes((int)n, "blob").ToArray());
            }

            Charge(n);
            var elements = new List<CandidValue>((int)Math.Min(n, 1024));
            for (ulong i = 0; i < n; i++)
            {
                CandidValue? v = Decode(ref r, we, ee, depth + 1);
                if (v is null)
                {
                    return null;
                }

                elements.Add(v);
            }

            return new CandidVec(elements);
        }

        private CandidValue? DecodeRecord(ref CandidReader r, CandidRecordType w, CandidRecordType e, int depth)
        {
            IReadOnlyList<CandidField> wf = w.Fields, ef = e.Fields;
            Charge(wf.Count);
            var result = new CandidFieldValue[ef.Count];
            int j = 0;
            foreach (CandidField field in wf)
            {
                uint id = field.Label.Id;
                for (; j < ef.Count && ef[j].Label.Id < id; j++)
                {
                    if (!TryMissingField(ef[j], out result[j]))
                    {
                        return null;
                    }
                }

                if (j < ef.Count && ef[j].Label.Id == id)
                {
                    CandidValue? v = Decode(ref r, field.Type, ef[j].Type, depth + 1);
                    if (v is null)
                    {
                        return null;
                    }

                    result[j] = new CandidFieldValue(ef[j].Label, v);
                    j++;
                }
                else
                {
                    Skip(ref r, field.Type, depth + 1);
                }
            }

            for (; j < ef.Count; j++)
            {
                if (!TryMissingField(ef[j], out result[j]))
                {
                    return null;
                }
            }

            return new CandidRecord(result, trusted: true);
        }

        /// <summary>Fills in an absent field when its type allows (opt, null, reserved); else records the mismatch.</summary>
        private bool TryMissingField(CandidField expected, out CandidFieldValue filled)
        {
            // Unlike a missing argument, a missing field of type null is a mismatch (record {} is not <: record { a : null }).
            CandidValue? v = expected.Type.Resolve().Kind == CandidTypeKind.Null ? null : Absent(expected.Type);
            filled = new CandidFieldValue(expected.Label, v ?? CandidValue.Null);
            if (v is not null)
            {
                return true;
            }

            _mismatch = $"record field {expected.Label} of type {Short(expected.Type)} is missing";
            return false;
        }

        private CandidValue? DecodeVariant(ref CandidReader r, CandidVariantType w, CandidVariantType e, int depth)
        {
            ulong index = r.ReadUleb64("variant index");
            if (index >= (ulong)w.Fields.Count)
            {
                throw new CandidFormatException($"variant index {index} out of range (the type has {w.Fields.Count} cases)");
            }

            Charge(1);
            CandidField wireCase = w.Fields[(int)index];
            int j = e.IndexOf(wireCase.Label.Id);
            if (j < 0)
            {
                _mismatch = $"variant case {wireCase.Label} is not in the expected type {Short(e)}";
                return null;
            }

            CandidValue? v = Decode(ref r, wireCase.Type, e.Fields[j].Type, depth + 1);
            return v is null ? null : new CandidVariant(e.Fields[j].Label, v);
        }

        private static CandidValue ReadPrimitive(ref CandidReader r, CandidTypeKind kind) => kind switch
        {
            CandidTypeKind.Null => CandidValue.Null,
            CandidTypeKind.Bool => r.ReadByte("bool") switch
            {
                0 => CandidValue.Bool(false),
                1 => CandidValue.Bool(true),
                var b => throw new CandidFormatException($"invalid bool byte {b}"),
            },
            CandidTypeKind.Nat => new CandidNat(r.ReadUlebBig("nat")),
            CandidTypeKind.Int => new CandidInt(r.ReadSlebBig("int")),
            CandidTypeKind.Nat8 => CandidValue.Nat8(r.ReadByte("nat8")),
            CandidTypeKind.Nat16 => CandidValue.Nat16(r.ReadUInt16()),
            CandidTypeKind.Nat32 => CandidValue.Nat32(r.ReadUInt32()),
            CandidTypeKind.Nat64 => CandidValue.Nat64(r.ReadUInt64()),
            CandidTypeKind.Int8 => CandidValue.Int8(unchecked((sbyte)r.ReadByte("int8"))),
            CandidTypeKind.Int16 => CandidValue.Int16(unchecked((short)r.ReadUInt16())),
            CandidTypeKind.Int32 => CandidValue.Int32(unchecked((int)r.ReadUInt32())),
            CandidTypeKind.Int64 => CandidValue.Int64(unchecked((long)r.ReadUInt64())),
            CandidTypeKind.Float32 => CandidValue.Float32(BitConverter.UInt32BitsToSingle(r.ReadUInt32())),
            CandidTypeKind.Float64 => CandidValue.Float64(BitConverter.UInt64BitsToDouble(r.ReadUInt64())),
            CandidTypeKind.Text => CandidValue.Text(r.ReadText("text")),
            CandidTypeKind.Principal => new CandidPrincipalValue(new CandidPrincipal(r.ReadPrincipalBytes("principal"))),
            _ => throw new InvalidOperationException($"{kind} has no value to read"),
        };

        private static CandidFuncValue ReadFuncValue(ref CandidReader r)
        {
            byte tag = r.ReadByte("func reference");
            if (tag != 1)
            {
                throw new CandidFormatException(tag == 0 ? "opaque func references are not supported" : $"invalid func reference tag {tag}");
            }

            var service = new CandidPrincipal(r.ReadPrincipalBytes("func service"));
            return new CandidFuncValue(service, r.ReadText("func method name"));
        }

        /// <summary>Reads past a value of the wire type, checking it is well-formed.</summary>
        private void Skip(ref CandidReader r, CandidType type, int depth)
        {
            CheckDepth(depth);
            CandidType t = type.Resolve();
            switch (t)
            {
                case CandidPrimitiveType:
                    SkipPrimitive(ref r, t.Kind);
                    return;
                case CandidOptType o:
                    byte tag = r.ReadByte("opt tag");
                    if (tag == 1)
                    {
                        Charge(1);
                        Skip(ref r, o.Inner, depth + 1);
                    }
                    else if (tag != 0)
                    {
                        throw new CandidFormatException($"invalid opt tag {tag}");
                    }

                    return;
                case CandidVecType v:
                    ulong n = r.ReadUleb64("vector length");
                    CandidType element = v.Element.Resolve();
                    if (element.Kind is CandidTypeKind.Nat8 or CandidTypeKind.Int8)
                    {
                        if (n > (ulong)r.Remaining)
                        {
                            throw new CandidFormatException($"vector length {n} exceeds the {r.Remaining} bytes left");
                        }

                        Charge(1);
                        r.ReadBytes((int)n, "vector");
                        return;
                    }

                    Charge(n);
                    for (ulong i = 0; i < n; i++)
                    {
                        Skip(ref r, element, depth + 1);
                    }

                    return;
                case CandidRecordType rec:
                    Charge(rec.Fields.Count);
                    foreach (CandidField f in rec.Fields)
                    {
                        Skip(ref r, f.Type, depth + 1);
                    }

                    return;
                case CandidVariantType variant:
                    ulong index = r.ReadUleb64("variant index");
                    if (index >= (ulong)variant.Fields.Count)
                    {
                        throw new CandidFormatException($"variant index {index} out of range (the type has {variant.Fields.Count} cases)");
                    }

                    Charge(1);
                    Skip(ref r, variant.Fields[(int)index].Type, depth + 1);
                    return;
                case CandidFuncType:
                    ReadFuncValue(ref r);
                    return;
                case CandidServiceType:
                    r.ReadPrincipalBytes("service reference");
                    return;
                case CandidFutureType:
                    int m = r.ReadLength("future value length", r.Remaining);
                    r.ReadUleb64("future value reference count");
                    r.ReadBytes(m, "future value");
                    return;
                default:
                    throw new InvalidOperationException("unexpected type " + t.GetType().Name);
            }
        }

        private static void SkipPrimitive(ref CandidReader r, CandidTypeKind kind)
        {
            switch (kind)
            {
                case CandidTypeKind.Null:
                case CandidTypeKind.Reserved:
                    return;
                case CandidTypeKind.Nat:
                case CandidTypeKind.Int:
                    r.SkipLeb(kind == CandidTypeKind.Nat ? "nat" : "int");
                    return;
                case CandidTypeKind.Text:
                    r.SkipText("text");
                    return;
                case CandidTypeKind.Empty:
                    throw new CandidFormatException("a value of type empty cannot exist");
                case CandidTypeKind.Principal:
                    r.ReadPrincipalBytes("principal");
                    return;
                case CandidTypeKind.Bool:
                    if (r.ReadByte("bool") > 1)
                    {
                        throw new CandidFormatException("invalid bool byte");
                    }

                    return;
                default:
                    r.ReadBytes(FixedSize(kind), kind.ToString().ToLowerInvariant());
                    return;
            }
        }

        private static int FixedSize(CandidTypeKind kind) => kind switch
        {
            CandidTypeKind.Nat8 or CandidTypeKind.Int8 => 1,
            CandidTypeKind.Nat16 or CandidTypeKind.Int16 => 2,
            CandidTypeKind.Nat32 or CandidTypeKind.Int32 or CandidTypeKind.Float32 => 4,
            _ => 8,
        };

        private static CandidValue? Absent(CandidType expected) => expected.Resolve().Kind switch
        {
            CandidTypeKind.Opt => CandidValue.None,
            CandidTypeKind.Null => CandidValue.Null,
            CandidTypeKind.Reserved => CandidValue.Reserved,
            _ => null,
        };

        private bool IsSubtype(CandidType w, CandidType e)
        {
            _subtyping ??= new CandidSubtyping.Checker(options.MaxDepth, options.MaxSubtypeSteps);
            return _subtyping.IsSubtype(w, e);
        }

        private CandidValue? Mismatch(CandidType wire, CandidType expected)
        {
            _mismatch = $"a value of type {Short(wire)} cannot be read at type {Short(expected)}";
            return null;
        }

        private void Charge(ulong units)
        {
            _cost += (long)Math.Min(units, (ulong)int.MaxValue);
            if (_cost > options.MaxCost)
            {
                throw new CandidFormatException($"the message costs more than the {options.MaxCost} value units allowed");
            }
        }

        private void Charge(int units) => Charge((ulong)units);

        private void CheckDepth(int depth)
        {
            if (depth > options.MaxDepth)
            {
                throw new CandidFormatException($"values nest deeper than {options.MaxDepth} levels");
            }
        }

        private static string Short(CandidType t)
        {
            string s = t.ToString();
            return s.Length <= 120 ? s : s[..117] + "...";
        }
    }
}

/// <summary>The last message header a codec decoded, with its parsed (immutable) wire types.</summary>
internal sealed class CandidHeaderMemo
{
    private volatile Entry? _last;

    public Entry? Last
    {
        get => _last;
        set => _last = value;
    }

    internal sealed record Entry(byte[] Header, CandidType[] Wire, CandidDecoderOptions Options);
}
