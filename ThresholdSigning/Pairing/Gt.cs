using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Pairing;

/// <summary>An element of the pairing's target group G_T: the order-r subgroup of F_p12^*.</summary>
public readonly struct Gt : IEquatable<Gt>
{
    /// <summary>The F_p12 value.</summary>
    internal readonly Fp12 Value;

    internal Gt(in Fp12 value)
    {
        Value = value;
    }

    /// <summary>The group identity.</summary>
    public static readonly Gt One = new(Fp12.One);

    /// <summary>Whether this is the group identity.</summary>
    public bool IsOne => Value.IsOne;

    /// <summary>The group operation.</summary>
    public static Gt operator *(in Gt a, in Gt b) => new(a.Value * b.Value);

    /// <summary>The group inverse (the F_p12 conjugate, since G_T lies in the cyclotomic subgroup).</summary>
    public Gt Inverse() => new(Value.Conjugate());

    /// <inheritdoc/>
    public bool Equals(Gt other) => Value.Equals(other.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Gt other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>Equality.</summary>
    public static bool operator ==(in Gt a, in Gt b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(in Gt a, in Gt b) => !a.Equals(b);

    /// <inheritdoc/>
    public override string ToString() => Value.ToString();
}
