using System.Collections;

namespace InternetIdentity.Protocol.Candid.Mapping;

/// <summary>A codec made of two delegates (primitives, blobs, principals).</summary>
internal sealed class DelegateCodec(CandidType type, Func<object, CandidValue> toValue, Func<CandidValue, object> fromValue) : ICandidCodec
{
    public CandidType Type { get; } = type;

    public CandidValue ToValue(object? value) =>
        toValue(value ?? throw new ArgumentException($"null is not a value of type {Type} (use a nullable type for opt)"));

    public object? FromValue(CandidValue value)
    {
        try
        {
            return fromValue(value);
        }
        catch (InvalidCastException)
        {
            throw new ArgumentException($"value {value} is not of type {Type}");
        }
    }
}

/// <summary><c>opt t</c> for a nullable C# type: null is the absent value.</summary>
internal sealed class OptCodec(ICandidCodec inner) : ICandidCodec
{
    public CandidType Type { get; } = CandidType.Opt(inner.Type);

    public CandidValue ToValue(object? value) => value is null ? CandidValue.None : CandidValue.Some(inner.ToValue(value));

    public object? FromValue(CandidValue value) => value switch
    {
        CandidOpt { Value: null } or CandidNull => null,
        CandidOpt o => inner.FromValue(o.Value),
        _ => throw new ArgumentException($"value {value} is not of type {Type}"),
    };
}

/// <summary><c>opt t</c> for <see cref="CandidOptional{T}"/>.</summary>
internal sealed class ExplicitOptCodec<T>(ICandidCodec inner) : ICandidCodec
{
    public CandidType Type { get; } = CandidType.Opt(inner.Type);

    public CandidValue ToValue(object? value) => value is CandidOptional<T> { HasValue: true } o
        ? CandidValue.Some(inner.ToValue(o.Value))
        : CandidValue.None;

    public object? FromValue(CandidValue value) => value switch
    {
        CandidOpt { Value: null } or CandidNull => CandidOptional<T>.None,
        CandidOpt o => CandidOptional<T>.Some((T)inner.FromValue(o.Value)!),
        _ => throw new ArgumentException($"value {value} is not of type {Type}"),
    };
}

/// <summary><c>vec t</c> for arrays and lists of <typeparamref name="T"/>.</summary>
internal sealed class VecCodec<T>(ICandidCodec element, bool asArray) : ICandidCodec
{
    public CandidType Type { get; } = CandidType.Vec(element.Type);

    public CandidValue ToValue(object? value)
    {
        if (value is not IEnumerable items)
        {
            throw new ArgumentException($"null is not a value of type {Type}");
        }

        var elements = new List<CandidValue>();
        foreach (object? item in items)
        {
            elements.Add(element.ToValue(item));
        }

        return new CandidVec(elements);
    }

    public object? FromValue(CandidValue value)
    {
        if (value is not CandidVec vec)
        {
            throw new ArgumentException($"value {value} is not of type {Type}");
        }

        if (asArray)
        {
            var array = new T[vec.Elements.Count];
            for (int i = 0; i < array.Length; i++)
            {
                array[i] = (T)element.FromValue(vec.Elements[i])!;
            }

            return array;
        }

        var list = new List<T>(vec.Elements.Count);
        foreach (CandidValue e in vec.Elements)
        {
            list.Add((T)element.FromValue(e)!);
        }

        return list;
    }
}

/// <summary>Stands for a type while its codec is being built, so that recursive types close through a knot.</summary>
internal sealed class ForwardCodec(string name) : ICandidCodec
{
    public CandidRecursiveType Knot { get; } = new(name);

    public ICandidCodec? Target { get; set; }

    public CandidType Type => Knot;

    public CandidValue ToValue(object? value) => Target!.ToValue(value);

    public object? FromValue(CandidValue value) => Target!.FromValue(value);
}

/// <summary>One mapped field of a record: label, codec, and compiled accessors.</summary>
internal sealed record MappedField(CandidLabel Label, ICandidCodec Codec, Func<object, object?> Get, int ConstructorIndex, Action<object, object?>? Set);

/// <summary>A C# record, class or value tuple as a Candid record.</summary>
internal sealed class RecordCodec : ICandidCodec
{
    private readonly MappedField[] _fields;
    private readonly Func<object?[], object> _construct;
    private readonly int _constructorArity;

    public RecordCodec(IEnumerable<MappedField> fields, Func<object?[], object> construct, int constructorArity)
    {
        _fields = fields.OrderBy(f => f.Label.Id).ToArray();
        for (int i = 1; i < _fields.Length; i++)
        {
            if (_fields[i].Label.Id == _fields[i - 1].Label.Id)
            {
                throw new ArgumentException($"fields {_fields[i - 1].Label} and {_fields[i].Label} hash to the same id");
            }
        }

        _construct = construct;
        _constructorArity = constructorArity;
        Type = new CandidRecordType(_fields.Select(f => new CandidField(f.Label, f.Codec.Type)));
    }

    public CandidType Type { get; }

    public CandidValue ToValue(object? value)
    {
        if (value is null)
        {
            throw new ArgumentException($"null is not a value of type {Type}");
        }

        var values = new CandidFieldValue[_fields.Length];
        for (int i = 0; i < _fields.Length; i++)
        {
            values[i] = new CandidFieldValue(_fields[i].Label, _fields[i].Codec.ToValue(_fields[i].Get(value)));
        }

        return new CandidRecord(values, trusted: true);
    }

    public object? FromValue(CandidValue value)
    {
        if (value is not CandidRecord record)
        {
            throw new ArgumentException($"value {value} is not of type {Type}");
        }

        var args = new object?[_constructorArity];
        object?[]? settable = null;
        IReadOnlyList<CandidFieldValue> present = record.Fields;
        int j = 0;
        for (int i = 0; i < _fields.Length; i++)
        {
            MappedField f = _fields[i];
            while (j < present.Count && present[j].Label.Id < f.Label.Id)
            {
                j++;
            }

            object? v = j < present.Count && present[j].Label.Id == f.Label.Id
                ? f.Codec.FromValue(present[j].Value)
                : f.Codec.FromValue(CandidValue.None);
            if (f.ConstructorIndex >= 0)
            {
                args[f.ConstructorIndex] = v;
            }
            else
            {
                (settable ??= new object?[_fields.Length])[i] = v;
            }
        }

        object result = _construct(args);
        if (settable is not null)
        {
            for (int i = 0; i < _fields.Length; i++)
            {
                _fields[i].Set?.Invoke(result, settable[i]);
            }
        }

        return result;
    }
}

/// <summary>A C# enum as a variant whose cases carry <c>null</c>.</summary>
internal sealed class EnumCodec : ICandidCodec
{
    private readonly Dictionary<uint, object> _byId = [];
    private readonly Dictionary<object, CandidLabel> _byValue = [];

    public EnumCodec(IEnumerable<(CandidLabel Label, object Value)> cases)
    {
        foreach ((CandidLabel label, object value) in cases)
        {
            _byId.Add(label.Id, value);
            _byValue.Add(value, label);
        }

        Type = new CandidVariantType(_byValue.Values.Select(l => new CandidField(l, CandidType.Null)));
    }

    public CandidType Type { get; }

    public CandidValue ToValue(object? value) =>
        value is not null && _byValue.TryGetValue(value, out CandidLabel label)
            ? new CandidVariant(label, CandidValue.Null)
            : throw new ArgumentException($"{value} is not a case of {Type}");

    public object? FromValue(CandidValue value) =>
        value is CandidVariant v && _byId.TryGetValue(v.Label.Id, out object? e)
            ? e
            : throw new ArgumentException($"value {value} is not of type {Type}");
}

/// <summary>One case of a class-based variant.</summary>
internal sealed record VariantCase(CandidLabel Label, Type CaseType, ICandidCodec Payload, Func<object, CandidValue> PayloadOf, Func<CandidValue, object> Construct);

/// <summary>An abstract class with nested case classes as a Candid variant.</summary>
internal sealed class ClassVariantCodec : ICandidCodec
{
    private readonly Dictionary<Type, VariantCase> _byType = [];
    private readonly Dictionary<uint, VariantCase> _byId = [];

    public ClassVariantCodec(IEnumerable<VariantCase> cases)
    {
        foreach (VariantCase c in cases)
        {
            _byType.Add(c.CaseType, c);
            _byId.Add(c.Label.Id, c);
        }

        Type = new CandidVariantType(_byId.Values.Select(c => new CandidField(c.Label, c.Payload.Type)));
    }

    public CandidType Type { get; }

    public CandidValue ToValue(object? value) =>
        value is not null && _byType.TryGetValue(value.GetType(), out VariantCase? c)
            ? new CandidVariant(c.Label, c.PayloadOf(value))
            : throw new ArgumentException($"{value?.GetType().Name ?? "null"} is not a case of {Type}");

    public object? FromValue(CandidValue value) =>
        value is CandidVariant v && _byId.TryGetValue(v.Label.Id, out VariantCase? c)
            ? c.Construct(v.Value)
            : throw new ArgumentException($"value {value} is not of type {Type}");
}
