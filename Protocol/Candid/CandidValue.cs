using System.Numerics;

namespace InternetIdentity.Protocol.Candid;

/// <summary>
/// A Candid value (the dynamic model). Values compare structurally; record fields and variant cases by label id.
/// <see cref="object.ToString"/> gives the Candid textual form.
/// </summary>
public abstract class CandidValue : IEquatable<CandidValue>
{
    private protected CandidValue()
    {
    }

    /// <summary>The value <c>null</c>.</summary>
    public static CandidNull Null => CandidNull.Instance;

    /// <summary>The value of type <c>reserved</c>.</summary>
    public static CandidReserved Reserved => CandidReserved.Instance;

    /// <summary>A <c>bool</c>.</summary>
    public static CandidBool Bool(bool value) => value ? CandidBool.True : CandidBool.False;

    /// <summary>A <c>nat</c>.</summary>
    public static CandidNat Nat(BigInteger value) => new(value);

    /// <summary>An <c>int</c>.</summary>
    public static CandidInt Int(BigInteger value) => new(value);

    /// <summary>A <c>nat8</c>.</summary>
    public static CandidFixedNat Nat8(byte value) => new(CandidTypeKind.Nat8, value);

    /// <summary>A <c>nat16</c>.</summary>
    public static CandidFixedNat Nat16(ushort value) => new(CandidTypeKind.Nat16, value);

    /// <summary>A <c>nat32</c>.</summary>
    public static CandidFixedNat Nat32(uint value) => new(CandidTypeKind.Nat32, value);

    /// <summary>A <c>nat64</c>.</summary>
    public static CandidFixedNat Nat64(ulong value) => new(CandidTypeKind.Nat64, value);

    /// <summary>An <c>int8</c>.</summary>
    public static CandidFixedInt Int8(sbyte value) => new(CandidTypeKind.Int8, value);

    /// <summary>An <c>int16</c>.</summary>
    public static CandidFixedInt Int16(short value) => new(CandidTypeKind.Int16, value);

    /// <summary>An <c>int32</c>.</summary>
    public static CandidFixedInt Int32(int value) => new(CandidTypeKind.Int32, value);

    /// <summary>An <c>int64</c>.</summary>
    public static CandidFixedInt Int64(long value) => new(CandidTypeKind.Int64, value);

    /// <summary>A <c>float32</c>.</summary>
    public static CandidFloat32 Float32(float value) => new(value);

    /// <summary>A <c>float64</c>.</summary>
    public static CandidFloat64 Float64(double value) => new(value);

    /// <summary>A <c>text</c>.</summary>
    public static CandidText Text(string value) => new(value);

    /// <summary><c>opt v</c></summary>
    public static CandidOpt Some(CandidValue value) => new(value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>The absent optional value (<c>null</c> at an <c>opt</c> type).</summary>
    public static CandidOpt None => CandidOpt.NoneValue;

    /// <summary>A <c>blob</c> (copies the bytes).</summary>
    public static CandidBlob Blob(ReadOnlySpan<byte> bytes) => new(bytes.ToArray());

    /// <summary>A <c>vec</c>.</summary>
    public static CandidVec Vec(params CandidValue[] elements) => new(elements);

    /// <summary>A record with named fields.</summary>
    public static CandidRecord Record(params (string Name, CandidValue Value)[] fields) =>
        new(fields.Select(f => new CandidFieldValue(CandidLabel.Named(f.Name), f.Value)));

    /// <summary>A tuple: a record with fields numbered 0..n-1.</summary>
    public static CandidRecord Tuple(params CandidValue[] elements) =>
        new(elements.Select((v, i) => new CandidFieldValue(CandidLabel.Numbered((uint)i), v)));

    /// <summary>A variant case with a payload.</summary>
    public static CandidVariant Variant(string name, CandidValue value) => new(CandidLabel.Named(name), value);

    /// <summary>A variant case without payload (payload <c>null</c>).</summary>
    public static CandidVariant Variant(string name) => new(CandidLabel.Named(name), Null);

    /// <summary>A <c>principal</c>.</summary>
    public static CandidPrincipalValue OfPrincipal(CandidPrincipal principal) => new(principal);

    /// <inheritdoc />
    public abstract bool Equals(CandidValue? other);

    /// <inheritdoc />
    public sealed override bool Equals(object? obj) => obj is CandidValue v && Equals(v);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <summary>The Candid textual form of the value.</summary>
    public sealed override string ToString() => CandidTextWriter.ValueToString(this);
}

/// <summary><c>null</c></summary>
public sealed class CandidNull : CandidValue
{
    internal static readonly CandidNull Instance = new();

    private CandidNull()
    {
    }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidNull;

    /// <inheritdoc />
    public override int GetHashCode() => 1;
}

/// <summary>The value kept for a field of type <c>reserved</c>.</summary>
public sealed class CandidReserved : CandidValue
{
    internal static readonly CandidReserved Instance = new();

    private CandidReserved()
    {
    }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidReserved;

    /// <inheritdoc />
    public override int GetHashCode() => 2;
}

/// <summary><c>bool</c></summary>
public sealed class CandidBool : CandidValue
{
    internal static readonly CandidBool True = new(true);
    internal static readonly CandidBool False = new(false);

    private CandidBool(bool value) => Value = value;

    /// <summary>The boolean.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidBool b && b.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value ? 3 : 4;
}

/// <summary><c>nat</c></summary>
public sealed class CandidNat : CandidValue
{
    /// <summary>Creates a nat; it must not be negative.</summary>
    public CandidNat(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "a nat is not negative");
        }

        Value = value;
    }

    /// <summary>The number.</summary>
    public BigInteger Value { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidNat n && n.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
}

/// <summary><c>int</c></summary>
public sealed class CandidInt : CandidValue
{
    /// <summary>Creates an int.</summary>
    public CandidInt(BigInteger value) => Value = value;

    /// <summary>The number.</summary>
    public BigInteger Value { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidInt n && n.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode() ^ 0x55;
}

/// <summary><c>nat8</c>, <c>nat16</c>, <c>nat32</c> or <c>nat64</c>.</summary>
public sealed class CandidFixedNat : CandidValue
{
    /// <summary>Creates a fixed-width nat; the value must fit the width.</summary>
    public CandidFixedNat(CandidTypeKind kind, ulong value)
    {
        ulong max = kind switch
        {
            CandidTypeKind.Nat8 => byte.MaxValue,
            CandidTypeKind.Nat16 => ushort.MaxValue,
            CandidTypeKind.Nat32 => uint.MaxValue,
            CandidTypeKind.Nat64 => ulong.MaxValue,
            _ => throw new ArgumentException($"{kind} is not a fixed-width nat", nameof(kind)),
        };
        if (value > max)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{value} does not fit {kind}");
        }

        Kind = kind;
        Value = value;
    }

    /// <summary>Which width.</summary>
    public CandidTypeKind Kind { get; }

    /// <summary>The number.</summary>
    public ulong Value { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidFixedNat n && n.Kind == Kind && n.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Value);
}

/// <summary><c>int8</c>, <c>int16</c>, <c>int32</c> or <c>int64</c>.</summary>
public sealed class CandidFixedInt : CandidValue
{
    /// <summary>Creates a fixed-width int; the value must fit the width.</summary>
    public CandidFixedInt(CandidTypeKind kind, long value)
    {
        (long min, long max) = kind switch
        {
            CandidTypeKind.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            CandidTypeKind.Int16 => (short.MinValue, short.MaxValue),
            CandidTypeKind.Int32 => (int.MinValue, int.MaxValue),
            CandidTypeKind.Int64 => (long.MinValue, long.MaxValue),
            _ => throw new ArgumentException($"{kind} is not a fixed-width int", nameof(kind)),
        };
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"{value} does not fit {kind}");
        }

        Kind = kind;
        Value = value;
    }

    /// <summary>Which width.</summary>
    public CandidTypeKind Kind { get; }

    /// <summary>The number.</summary>
    public long Value { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidFixedInt n && n.Kind == Kind && n.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Value, 7);
}

/// <summary><c>float32</c></summary>
public sealed class CandidFloat32 : CandidValue
{
    /// <summary>Creates a float32.</summary>
    public CandidFloat32(float value) => Value = value;

    /// <summary>The number.</summary>
    public float Value { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidFloat32 f && f.Value.Equals(Value);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
}

/// <summary><c>float64</c></summary>
public sealed class CandidFloat64 : CandidValue
{
    /// <summary>Creates a float64.</summary>
    public CandidFloat64(double value) => Value = value;

    /// <summary>The number.</summary>
    public double Value { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidFloat64 f && f.Value.Equals(Value);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
}

/// <summary><c>text</c></summary>
public sealed class CandidText : CandidValue
{
    /// <summary>Creates a text value.</summary>
    public CandidText(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The string.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidText t && t.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);
}

/// <summary><c>opt v</c> or the absent value.</summary>
public sealed class CandidOpt : CandidValue
{
    internal static readonly CandidOpt NoneValue = new(null);

    internal CandidOpt(CandidValue? value) => Value = value;

    /// <summary>The present value, or null when absent.</summary>
    public CandidValue? Value { get; }

    /// <summary>True when a value is present.</summary>
    public bool HasValue => Value is not null;

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) =>
        other is CandidOpt o && (Value is null ? o.Value is null : Value.Equals(o.Value));

    /// <inheritdoc />
    public override int GetHashCode() => Value?.GetHashCode() ?? 5;
}

/// <summary>A <c>vec</c> of values (a <c>vec nat8</c> decodes as <see cref="CandidBlob"/>).</summary>
public sealed class CandidVec : CandidValue
{
    /// <summary>Creates a vector.</summary>
    public CandidVec(IReadOnlyList<CandidValue> elements) => Elements = elements ?? throw new ArgumentNullException(nameof(elements));

    /// <summary>The elements.</summary>
    public IReadOnlyList<CandidValue> Elements { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other switch
    {
        CandidVec v => Elements.SequenceEqual(v.Elements),
        CandidBlob b => b.Equals(this),
        _ => false,
    };

    /// <inheritdoc />
    public override int GetHashCode() => Elements.Count;
}

/// <summary>A <c>blob</c> (<c>vec nat8</c>), kept as bytes.</summary>
public sealed class CandidBlob : CandidValue
{
    /// <summary>Wraps the bytes (not copied).</summary>
    public CandidBlob(ReadOnlyMemory<byte> bytes) => Bytes = bytes;

    /// <summary>The bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other)
    {
        switch (other)
        {
            case CandidBlob b:
                return Bytes.Span.SequenceEqual(b.Bytes.Span);
            case CandidVec v:
                if (v.Elements.Count != Bytes.Length)
                {
                    return false;
                }

                for (int i = 0; i < Bytes.Length; i++)
                {
                    if (v.Elements[i] is not CandidFixedNat { Kind: CandidTypeKind.Nat8 } n || n.Value != Bytes.Span[i])
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc />
    public override int GetHashCode() => Bytes.Length;
}

/// <summary>A field of a record value, or the case of a variant value.</summary>
/// <param name="Label">The label (compared by id).</param>
/// <param name="Value">The value.</param>
public sealed record CandidFieldValue(CandidLabel Label, CandidValue Value);

/// <summary>A <c>record</c> value; fields sorted by id.</summary>
public sealed class CandidRecord : CandidValue
{
    /// <summary>Creates a record; ids must be distinct.</summary>
    public CandidRecord(IEnumerable<CandidFieldValue> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        CandidFieldValue[] sorted = fields.ToArray();
        Array.Sort(sorted, (a, b) => a.Label.Id.CompareTo(b.Label.Id));
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Label.Id == sorted[i - 1].Label.Id)
            {
                throw new ArgumentException($"field id {sorted[i].Label.Id} appears twice", nameof(fields));
            }
        }

        Fields = sorted;
    }

    internal CandidRecord(CandidFieldValue[] sortedUnique, bool trusted)
    {
        _ = trusted;
        Fields = sortedUnique;
    }

    /// <summary>The fields, sorted by id.</summary>
    public IReadOnlyList<CandidFieldValue> Fields { get; }

    /// <summary>The value of the field with this name.</summary>
    public CandidValue this[string name] => Get(CandidLabel.Hash(name)) ?? throw new KeyNotFoundException($"record has no field {name}");

    /// <summary>The value of the field with this id, or null.</summary>
    public CandidValue? Get(uint id)
    {
        foreach (CandidFieldValue f in Fields)
        {
            if (f.Label.Id == id)
            {
                return f.Value;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other)
    {
        if (other is not CandidRecord r || r.Fields.Count != Fields.Count)
        {
            return false;
        }

        for (int i = 0; i < Fields.Count; i++)
        {
            if (Fields[i].Label.Id != r.Fields[i].Label.Id || !Fields[i].Value.Equals(r.Fields[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode() => Fields.Count + 11;
}

/// <summary>A <c>variant</c> value: one case and its payload.</summary>
public sealed class CandidVariant : CandidValue
{
    /// <summary>Creates a variant value.</summary>
    public CandidVariant(CandidLabel label, CandidValue value)
    {
        Label = label;
        Value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The case.</summary>
    public CandidLabel Label { get; }

    /// <summary>The payload (<c>null</c> for a case without one).</summary>
    public CandidValue Value { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidVariant v && v.Label == Label && v.Value.Equals(Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Label.Id, Value);
}

/// <summary>A <c>principal</c> value.</summary>
public sealed class CandidPrincipalValue : CandidValue
{
    /// <summary>Wraps a principal.</summary>
    public CandidPrincipalValue(CandidPrincipal principal) => Principal = principal;

    /// <summary>The principal.</summary>
    public CandidPrincipal Principal { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidPrincipalValue p && p.Principal == Principal;

    /// <inheritdoc />
    public override int GetHashCode() => Principal.GetHashCode();
}

/// <summary>A <c>service</c> reference: the canister's principal.</summary>
public sealed class CandidServiceValue : CandidValue
{
    /// <summary>Wraps a service reference.</summary>
    public CandidServiceValue(CandidPrincipal principal) => Principal = principal;

    /// <summary>The service's principal.</summary>
    public CandidPrincipal Principal { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidServiceValue p && p.Principal == Principal;

    /// <inheritdoc />
    public override int GetHashCode() => Principal.GetHashCode() ^ 0x3;
}

/// <summary>A <c>func</c> reference: a service principal and a method name.</summary>
public sealed class CandidFuncValue : CandidValue
{
    /// <summary>Creates a function reference.</summary>
    public CandidFuncValue(CandidPrincipal service, string method)
    {
        Service = service;
        Method = method ?? throw new ArgumentNullException(nameof(method));
    }

    /// <summary>The service's principal.</summary>
    public CandidPrincipal Service { get; }

    /// <summary>The method name.</summary>
    public string Method { get; }

    /// <inheritdoc />
    public override bool Equals(CandidValue? other) => other is CandidFuncValue f && f.Service == Service && f.Method == Method;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Service, Method);
}
