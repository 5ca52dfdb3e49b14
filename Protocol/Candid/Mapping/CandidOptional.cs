namespace InternetIdentity.Protocol.Candid.Mapping;

/// <summary>
/// An explicit <c>opt T</c> for places where C# nullability cannot say it: a top-level argument of a reference
/// type (<c>CandidArgs.Encode&lt;string?&gt;</c> erases the <c>?</c>), or <c>opt opt T</c>.
/// </summary>
public readonly record struct CandidOptional<T>
{
    private readonly T _value;

    private CandidOptional(T value)
    {
        _value = value;
        HasValue = true;
    }

    /// <summary>The absent value.</summary>
    public static CandidOptional<T> None => default;

    /// <summary>True when a value is present.</summary>
    public bool HasValue { get; }

    /// <summary>The value; throws when absent.</summary>
    public T Value => HasValue ? _value : throw new InvalidOperationException("the optional value is absent");

    /// <summary>A present value.</summary>
    public static CandidOptional<T> Some(T value) => new(value);

    /// <summary>The value, or null/default when absent.</summary>
    public T? OrDefault() => HasValue ? _value : default;

    /// <summary>A present value.</summary>
    public static implicit operator CandidOptional<T>(T value) => new(value);
}
