using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.HashToCurve;

/// <summary>
/// An isogeny output (x, y) = (xNum / xDen, yNum / yDen); a zero denominator means the input was in the
/// kernel (or was the identity), which maps to the identity (RFC 9380 §6.6.3).
/// </summary>
internal readonly struct FractionPoint<F> where F : unmanaged, IField<F>
{
    public readonly F XNum, XDen, YNum, YDen;

    public FractionPoint(in F xNum, in F xDen, in F yNum, in F yDen)
    {
        XNum = xNum;
        XDen = xDen;
        YNum = yNum;
        YDen = yDen;
    }

    /// <summary>Affine coordinates with one inversion; false for the identity.</summary>
    public bool TryToAffine(out F x, out F y)
    {
        F inv = F.Inv(F.Mul(XDen, YDen));
        x = F.Mul(F.Mul(XNum, YDen), inv);
        y = F.Mul(F.Mul(YNum, XDen), inv);
        return !F.IsZeroElement(inv);
    }

    /// <summary>Jacobian coordinates without inversion (as in RFC 9380's sample code): Z = xDen·yDen,
    /// X = xNum·xDen·yDen^2, Y = yNum·yDen^2·xDen^3; Z = 0 is the identity.</summary>
    public void ToJacobian(out F x, out F y, out F z)
    {
        z = F.Mul(XDen, YDen);
        F yDen2 = F.Sqr(YDen);
        F xDen2 = F.Sqr(XDen);
        x = F.Mul(F.Mul(XNum, XDen), yDen2);
        y = F.Mul(F.Mul(YNum, yDen2), F.Mul(xDen2, XDen));
    }
}
