using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Pairing;

/// <summary>
/// Doubling and mixed-addition steps on the twist E2 in homogeneous projective coordinates, each returning the line
/// through the points involved (Costello–Lange–Naehrig 2010; Aranha et al., eprint 2010/526, section 4).
/// </summary>
/// <remarks>
/// With the M-type twist (b' = 4ξ) the untwisting map is (x', y') ↦ (x'/w^2, y'/w^3). A line of slope λ' through
/// (x_T, y_T) on the twist, evaluated at P = (x_P, y_P) and multiplied by w^3, becomes
/// (λ'·x_T - y_T) - (λ'·x_P)·v + y_P·v·w: F_p12 slots 0, 1 and 4. Factors in F_p2 (projective denominators and the
/// w^3) are erased by the final exponentiation, so each step returns its line up to such a factor.
/// </remarks>
internal static class MillerSteps
{
    // 3·b' = 12·ξ; multiplied in as ξ·t scaled by 12 through additions.
    private static Fp2 TimesThreeB(in Fp2 t)
    {
        Fp2 xi = t.MulByNonresidue();
        Fp2 x2 = xi + xi;
        Fp2 x4 = x2 + x2;
        Fp2 x8 = x4 + x4;
        return x8 + x4;
    }

    /// <summary>T ← 2T; returns the tangent line at T.</summary>
    public static G2Prepared.Line Double(ref Fp2 x, ref Fp2 y, ref Fp2 z)
    {
        // Tangent slope 3X^2/(2YZ); with X^3 = Y^2·Z - b'·Z^3 the scaled line is
        // (3b'Z^2 - Y^2) + 3X^2·x_P·v - 2YZ·y_P·v·w.
        // The point formulas are Aranha et al.'s, scaled by 4 to avoid halving:
        // X3 = 2XY(Y^2 - 9b'Z^2), Y3 = (Y^2 + 9b'Z^2)^2 - 108b'^2Z^4, Z3 = 8Y^3Z.
        Fp2 xx = x.Square();
        Fp2 yy = y.Square();
        Fp2 zz = z.Square();
        Fp2 e = TimesThreeB(zz);
        Fp2 f = e + e + e;
        Fp2 h = (y + z).Square() - yy - zz;
        var line = new G2Prepared.Line(e - yy, xx + xx + xx, -h);

        Fp2 xy = x * y;
        Fp2 x3 = xy * (yy - f);
        Fp2 ee = e.Square();
        Fp2 ee3 = ee + ee + ee;
        Fp2 ee12 = ee3.Double().Double();
        Fp2 z3 = yy * h;
        x = x3 + x3;
        y = (yy + f).Square() - ee12;
        z = z3.Double().Double();
        return line;
    }

    /// <summary>T ← T + Q for an affine Q; returns the line through T and Q.</summary>
    public static G2Prepared.Line Add(ref Fp2 x, ref Fp2 y, ref Fp2 z, in Fp2 qx, in Fp2 qy)
    {
        // θ = Y - y_Q·Z and λ = X - x_Q·Z give the slope θ/λ; the line scaled by λ is
        // (θ·x_Q - λ·y_Q) - θ·x_P·v + λ·y_P·v·w.
        Fp2 theta = y - qy * z;
        Fp2 lambda = x - qx * z;
        var line = new G2Prepared.Line(theta * qx - lambda * qy, -theta, lambda);

        Fp2 c = theta.Square();
        Fp2 d = lambda.Square();
        Fp2 e = lambda * d;
        Fp2 f = z * c;
        Fp2 g = x * d;
        Fp2 h = e + f - g.Double();
        x = lambda * h;
        y = theta * (g - h) - e * y;
        z = z * e;
        return line;
    }
}
