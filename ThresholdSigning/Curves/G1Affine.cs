using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>A point of E1: y^2 = x^3 + 4 over F_p in affine coordinates, or the point at infinity.</summary>
public readonly partial struct G1Affine : IEquatable<G1Affine>
{
    /// <summary>The x coordinate (zero for infinity).</summary>
    public readonly Fp X;

    /// <summary>The y coordinate (zero for infinity).</summary>
    public readonly Fp Y;

    /// <summary>Whether this is the point at infinity (the group identity).</summary>
    public readonly bool IsInfinity;

    /// <summary>Creates a finite point; the caller vouches that it lies on the curve.</summary>
    public G1Affine(in Fp x, in Fp y)
    {
        X = x;
        Y = y;
        IsInfinity = false;
    }

    private G1Affine(bool infinity)
    {
        X = Fp.Zero;
        Y = Fp.Zero;
        IsInfinity = infinity;
    }

    /// <summary>The point at infinity.</summary>
    public static readonly G1Affine Infinity = new(true);

    /// <summary>The curve constant b = 4.</summary>
    public static readonly Fp B = Fp.FromUInt64(4);

    /// <summary>Whether the point satisfies the curve equation (infinity does).</summary>
    public bool IsOnCurve => IsInfinity || Y.Square() == X.Square() * X + B;

    /// <summary>The negated point.</summary>
    public G1Affine Negate() => IsInfinity ? this : new G1Affine(X, -Y);

    /// <inheritdoc/>
    public bool Equals(G1Affine other) =>
        IsInfinity == other.IsInfinity && (IsInfinity || (X == other.X && Y == other.Y));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is G1Affine other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => IsInfinity ? 0 : HashCode.Combine(X, Y);
}
