namespace InternetIdentity.Protocol.Candid;

/// <summary>
/// A Candid type. Types are immutable graphs; recursion goes through <see cref="CandidRecursiveType"/>.
/// Build them with the static members (<c>CandidType.Record(...)</c>, <c>CandidType.Opt(...)</c>, ...).
/// </summary>
public abstract class CandidType
{
    private protected CandidType()
    {
    }

    /// <summary>The kind of this type (for a recursive knot, the kind of its definition).</summary>
    public abstract CandidTypeKind Kind { get; }

    /// <summary><c>null</c></summary>
    public static CandidPrimitiveType Null { get; } = new(CandidTypeKind.Null);

    /// <summary><c>bool</c></summary>
    public static CandidPrimitiveType Bool { get; } = new(CandidTypeKind.Bool);

    /// <summary><c>nat</c></summary>
    public static CandidPrimitiveType Nat { get; } = new(CandidTypeKind.Nat);

    /// <summary><c>int</c></summary>
    public static CandidPrimitiveType Int { get; } = new(CandidTypeKind.Int);

    /// <summary><c>nat8</c></summary>
    public static CandidPrimitiveType Nat8 { get; } = new(CandidTypeKind.Nat8);

    /// <summary><c>nat16</c></summary>
    public static CandidPrimitiveType Nat16 { get; } = new(CandidTypeKind.Nat16);

    /// <summary><c>nat32</c></summary>
    public static CandidPrimitiveType Nat32 { get; } = new(CandidTypeKind.Nat32);

    /// <summary><c>nat64</c></summary>
    public static CandidPrimitiveType Nat64 { get; } = new(CandidTypeKind.Nat64);

    /// <summary><c>int8</c></summary>
    public static CandidPrimitiveType Int8 { get; } = new(CandidTypeKind.Int8);

    /// <summary><c>int16</c></summary>
    public static CandidPrimitiveType Int16 { get; } = new(CandidTypeKind.Int16);

    /// <summary><c>int32</c></summary>
    public static CandidPrimitiveType Int32 { get; } = new(CandidTypeKind.Int32);

    /// <summary><c>int64</c></summary>
    public static CandidPrimitiveType Int64 { get; } = new(CandidTypeKind.Int64);

    /// <summary><c>float32</c></summary>
    public static CandidPrimitiveType Float32 { get; } = new(CandidTypeKind.Float32);

    /// <summary><c>float64</c></summary>
    public static CandidPrimitiveType Float64 { get; } = new(CandidTypeKind.Float64);

    /// <summary><c>text</c></summary>
    public static CandidPrimitiveType Text { get; } = new(CandidTypeKind.Text);

    /// <summary><c>reserved</c></summary>
    public static CandidPrimitiveType Reserved { get; } = new(CandidTypeKind.Reserved);

    /// <summary><c>empty</c></summary>
    public static CandidPrimitiveType Empty { get; } = new(CandidTypeKind.Empty);

    /// <summary><c>principal</c></summary>
    public static CandidPrimitiveType Principal { get; } = new(CandidTypeKind.Principal);

    /// <summary><c>blob</c>, that is <c>vec nat8</c>.</summary>
    public static CandidVecType Blob { get; } = new(Nat8);

    /// <summary>The primitive type of a kind.</summary>
    public static CandidPrimitiveType Primitive(CandidTypeKind kind) => kind switch
    {
        CandidTypeKind.Null => Null,
        CandidTypeKind.Bool => Bool,
        CandidTypeKind.Nat => Nat,
        CandidTypeKind.Int => Int,
        CandidTypeKind.Nat8 => Nat8,
        CandidTypeKind.Nat16 => Nat16,
        CandidTypeKind.Nat32 => Nat32,
        CandidTypeKind.Nat64 => Nat64,
        CandidTypeKind.Int8 => Int8,
        CandidTypeKind.Int16 => Int16,
        CandidTypeKind.Int32 => Int32,
        CandidTypeKind.Int64 => Int64,
        CandidTypeKind.Float32 => Float32,
        CandidTypeKind.Float64 => Float64,
        CandidTypeKind.Text => Text,
        CandidTypeKind.Reserved => Reserved,
        CandidTypeKind.Empty => Empty,
        CandidTypeKind.Principal => Principal,
        _ => throw new ArgumentException($"{kind} is not a primitive Candid type", nameof(kind)),
    };

    /// <summary><c>opt t</c></summary>
    public static CandidOptType Opt(CandidType inner) => new(inner);

    /// <summary><c>vec t</c></summary>
    public static CandidVecType Vec(CandidType element) => new(element);

    /// <summary><c>record { ... }</c> with named fields.</summary>
    public static CandidRecordType Record(params (string Name, CandidType Type)[] fields) =>
        new(fields.Select(f => new CandidField(CandidLabel.Named(f.Name), f.Type)));

    /// <summary><c>record { ... }</c> with the given fields.</summary>
    public static CandidRecordType Record(IEnumerable<CandidField> fields) => new(fields);

    /// <summary>A tuple: a record whose fields are numbered 0..n-1.</summary>
    public static CandidRecordType Tuple(params CandidType[] elements) =>
        new(elements.Select((t, i) => new CandidField(CandidLabel.Numbered((uint)i), t)));

    /// <summary><c>variant { ... }</c> with named cases.</summary>
    public static CandidVariantType Variant(params (string Name, CandidType Type)[] cases) =>
        new(cases.Select(f => new CandidField(CandidLabel.Named(f.Name), f.Type)));

    /// <summary><c>variant { ... }</c> with the given cases.</summary>
    public static CandidVariantType Variant(IEnumerable<CandidField> cases) => new(cases);

    /// <summary>An enumeration: a variant whose cases all carry <c>null</c>.</summary>
    public static CandidVariantType Enum(params string[] cases) =>
        new(cases.Select(c => new CandidField(CandidLabel.Named(c), Null)));

    /// <summary>The type behind recursive knots (itself for any other type).</summary>
    public CandidType Resolve()
    {
        CandidType t = this;
        for (int hops = 0; t is CandidRecursiveType knot; hops++)
        {
            if (hops > 64)
            {
                throw new InvalidOperationException("recursive Candid type refers only to itself");
            }

            t = knot.Body ?? throw new InvalidOperationException($"recursive Candid type {knot.Name} is not defined");
        }

        return t;
    }

    /// <summary>Textual Candid syntax of the type (recursive knots print by name).</summary>
    public override string ToString() => CandidTextWriter.TypeToString(this);
}

/// <summary>A primitive type: null, bool, numbers, text, reserved, empty, principal.</summary>
public sealed class CandidPrimitiveType : CandidType
{
    internal CandidPrimitiveType(CandidTypeKind kind) => Kind = kind;

    /// <inheritdoc />
    public override CandidTypeKind Kind { get; }
}

/// <summary><c>opt t</c></summary>
public sealed class CandidOptType : CandidType
{
    /// <summary>Creates <c>opt inner</c>.</summary>
    public CandidOptType(CandidType inner) => Inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The optional type.</summary>
    public CandidType Inner { get; }

    /// <inheritdoc />
    public override CandidTypeKind Kind => CandidTypeKind.Opt;
}

/// <summary><c>vec t</c></summary>
public sealed class CandidVecType : CandidType
{
    /// <summary>Creates <c>vec element</c>.</summary>
    public CandidVecType(CandidType element) => Element = element ?? throw new ArgumentNullException(nameof(element));

    /// <summary>The element type.</summary>
    public CandidType Element { get; }

    /// <summary>True for <c>blob</c> (<c>vec nat8</c>).</summary>
    public bool IsBlob => Element.Resolve().Kind == CandidTypeKind.Nat8;

    /// <inheritdoc />
    public override CandidTypeKind Kind => CandidTypeKind.Vec;
}

/// <summary>A record field or variant case.</summary>
/// <param name="Label">The label (compared by id).</param>
/// <param name="Type">The field's type.</param>
public sealed record CandidField(CandidLabel Label, CandidType Type);

/// <summary>Common part of records and variants: fields sorted by id, ids unique.</summary>
public abstract class CandidFieldsType : CandidType
{
    private protected CandidFieldsType(IEnumerable<CandidField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        CandidField[] sorted = fields.ToArray();
        Array.Sort(sorted, (a, b) => a.Label.Id.CompareTo(b.Label.Id));
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Label.Id == sorted[i - 1].Label.Id)
            {
                throw new ArgumentException(
                    $"fields {sorted[i - 1].Label} and {sorted[i].Label} have the same id {sorted[i].Label.Id}", nameof(fields));
            }
        }

        Fields = sorted;
    }

    private protected CandidFieldsType(CandidField[] sortedUnique, bool trusted)
    {
        _ = trusted;
        Fields = sortedUnique;
    }

    /// <summary>The fields, sorted by id.</summary>
    public IReadOnlyList<CandidField> Fields { get; }

    /// <summary>The index of the field with this id in <see cref="Fields"/>, or -1.</summary>
    public int IndexOf(uint id)
    {
        int lo = 0, hi = Fields.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            uint m = Fields[mid].Label.Id;
            if (m == id)
            {
                return mid;
            }

            if (m < id)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>The index of the field with this name in <see cref="Fields"/>, or -1.</summary>
    public int IndexOf(string name) => IndexOf(CandidLabel.Hash(name));
}

/// <summary><c>record { ... }</c></summary>
public sealed class CandidRecordType : CandidFieldsType
{
    /// <summary>Creates a record type; fields are sorted by id and must have distinct ids.</summary>
    public CandidRecordType(IEnumerable<CandidField> fields)
        : base(fields)
    {
    }

    internal CandidRecordType(CandidField[] sortedUnique, bool trusted)
        : base(sortedUnique, trusted)
    {
    }

    /// <inheritdoc />
    public override CandidTypeKind Kind => CandidTypeKind.Record;

    /// <summary>True when the fields are numbered 0..n-1 (a tuple).</summary>
    public bool IsTuple
    {
        get
        {
            for (int i = 0; i < Fields.Count; i++)
            {
                if (Fields[i].Label.Id != (uint)i)
                {
                    return false;
                }
            }

            return true;
        }
    }
}

/// <summary><c>variant { ... }</c></summary>
public sealed class CandidVariantType : CandidFieldsType
{
    /// <summary>Creates a variant type; cases are sorted by id and must have distinct ids.</summary>
    public CandidVariantType(IEnumerable<CandidField> cases)
        : base(cases)
    {
    }

    internal CandidVariantType(CandidField[] sortedUnique, bool trusted)
        : base(sortedUnique, trusted)
    {
    }

    /// <inheritdoc />
    public override CandidTypeKind Kind => CandidTypeKind.Variant;
}

/// <summary>Function annotations.</summary>
[Flags]
public enum CandidFuncModes
{
    /// <summary>An update method.</summary>
    None = 0,
    /// <summary><c>query</c> (wire annotation 1)</summary>
    Query = 1,
    /// <summary><c>oneway</c> (wire annotation 2)</summary>
    Oneway = 2,
    /// <summary><c>composite_query</c> (wire annotation 3)</summary>
    CompositeQuery = 4,
}

/// <summary><c>func (args) -> (results) modes</c></summary>
public sealed class CandidFuncType : CandidType
{
    /// <summary>Creates a function type.</summary>
    public CandidFuncType(IReadOnlyList<CandidType> arguments, IReadOnlyList<CandidType> results, CandidFuncModes modes = CandidFuncModes.None)
    {
        Arguments = arguments ?? throw new ArgumentNullException(nameof(arguments));
        Results = results ?? throw new ArgumentNullException(nameof(results));
        Modes = modes;
    }

    /// <summary>Argument types.</summary>
    public IReadOnlyList<CandidType> Arguments { get; }

    /// <summary>Result types.</summary>
    public IReadOnlyList<CandidType> Results { get; }

    /// <summary>Annotations.</summary>
    public CandidFuncModes Modes { get; }

    /// <inheritdoc />
    public override CandidTypeKind Kind => CandidTypeKind.Func;
}

/// <summary>A service method: name and function type (a <see cref="CandidFuncType"/>, possibly behind a knot).</summary>
/// <param name="Name">The method name.</param>
/// <param name="Type">The method's function type.</param>
public sealed record CandidMethod(string Name, CandidType Type);

/// <summary><c>service { ... }</c></summary>
public sealed class CandidServiceType : CandidType
{
    /// <summary>Creates a service type; methods are sorted by name and must be distinct.</summary>
    public CandidServiceType(IEnumerable<CandidMethod> methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        CandidMethod[] sorted = methods.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Name == sorted[i - 1].Name)
            {
                throw new ArgumentException($"method {sorted[i].Name} appears twice", nameof(methods));
            }
        }

        Methods = sorted;
    }

    /// <summary>Methods sorted by name.</summary>
    public IReadOnlyList<CandidMethod> Methods { get; }

    /// <inheritdoc />
    public override CandidTypeKind Kind => CandidTypeKind.Service;

    /// <summary>The method of this name, or null.</summary>
    public CandidMethod? Find(string name)
    {
        foreach (CandidMethod m in Methods)
        {
            if (m.Name == name)
            {
                return m;
            }
        }

        return null;
    }
}

/// <summary>
/// A named knot for recursive types: create it, use it inside its own definition, then call <see cref="Define"/> once.
/// </summary>
public sealed class CandidRecursiveType : CandidType
{
    /// <summary>Creates an undefined knot.</summary>
    public CandidRecursiveType(string name) => Name = name ?? throw new ArgumentNullException(nameof(name));

    /// <summary>The name used when printing.</summary>
    public string Name { get; }

    /// <summary>The definition, once set.</summary>
    public CandidType? Body { get; private set; }

    /// <inheritdoc />
    public override CandidTypeKind Kind => Resolve().Kind;

    /// <summary>Sets the definition (once).</summary>
    public void Define(CandidType body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (Body is not null)
        {
            throw new InvalidOperationException($"recursive Candid type {Name} is already defined");
        }

        Body = body;
    }
}

/// <summary>A type of a future Candid version met on the wire: values of it are skipped.</summary>
public sealed class CandidFutureType : CandidType
{
    internal CandidFutureType(long opcode) => Opcode = opcode;

    /// <summary>The wire opcode (below -24).</summary>
    public long Opcode { get; }

    /// <inheritdoc />
    public override CandidTypeKind Kind => CandidTypeKind.Future;
}
