using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>A point of the twist E2: y^2 = x^3 + 4(u+1) over F_p2 in affine coordinates, or the point at infinity.</summary>
public readonly partial struct G2Affine : IEquatable<G2Affine>
{
    /// <summary>The x coordinate (zero for infinity).</summary>
    public readonly Fp2 X;

    /// <summary>The y coordinate (zero for infinity).</summary>
    public readonly Fp2 Y;

    /// <summary>Whether this is the point at infinity (the group identity).</summary>
    public readonly bool IsInfinity;

    /// <summary>Creates a finite point; the caller vouches that it lies on the curve.</summary>
    public G2Affine(in Fp2 x, in Fp2 y)
    {
        X = x;
        Y = y;
        IsInfinity = false;
    }

    private G2Affine(bool infinity)
    {
        X = Fp2.Zero;
        Y = Fp2.Zero;
        IsInfinity = infinity;
    }

    /// <summary>The point at infinity.</summary>
    public static readonly G2Affine Infinity = new(true);

    /// <summary>The curve constant b' = 4(u+1).</summary>
    public static readonly Fp2 B = new(Fp.FromUInt64(4), Fp.FromUInt64(4));

    /// <summary>Whether the point satisfies the curve equation (infinity does).</summary>
    public bool IsOnCurve => IsInfinity || Y.Square() == X.Square() * X + B;

    /// <summary>The negated point.</summary>
    public G2Affine Negate() => IsInfinity ? this : new G2Affine(X, -Y);

    /// <inheritdoc/>
    public bool Equals(G2Affine other) =>
        IsInfinity == other.IsInfinity && (IsInfinity || (X == other.X && Y == other.Y));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is G2Affine other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => IsInfinity ? 0 : HashCode.Combine(X, Y);
}
