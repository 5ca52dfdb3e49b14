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
    // Products and squares go through the double-width kernels (one reduction per coefficient).
    private static Fp2 Mul(in Fp2 a, in Fp2 b) => Fp2Wide.MultiplyReduced(a, b);

    private static Fp2 Sq(in Fp2 a) => Fp2Wide.SquareReduced(a);

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
        Fp2 xx = Sq(x);
        Fp2 yy = Sq(y);
        Fp2 zz = Sq(z);
        Fp2 e = TimesThreeB(zz);
        Fp2 f = e + e + e;
        Fp2 h = Sq(y + z) - yy - zz;
        var line = new G2Prepared.Line(e - yy, xx + xx + xx, -h);

        Fp2 xy = Mul(x, y);
        Fp2 x3 = Mul(xy, yy - f);
        Fp2 ee = Sq(e);
        Fp2 ee3 = ee + ee + ee;
        Fp2 ee12 = ee3.Double().Double();
        Fp2 z3 = Mul(yy, h);
        x = x3 + x3;
        y = Sq(yy + f) - ee12;
        z = z3.Double().Double();
        return line;
    }

    /// <summary>T ← T + Q for an affine Q; returns the line through T and Q.</summary>
    public static G2Prepared.Line Add(ref Fp2 x, ref Fp2 y, ref Fp2 z, in Fp2 qx, in Fp2 qy)
    {
        // θ = Y - y_Q·Z and λ = X - x_Q·Z give the slope θ/λ; the line scaled by λ is
        // (θ·x_Q - λ·y_Q) - θ·x_P·v + λ·y_P·v·w.
        Fp2 theta = y - Mul(qy, z);
        Fp2 lambda = x - Mul(qx, z);
        var line = new G2Prepared.Line(Mul(theta, qx) - Mul(lambda, qy), -theta, lambda);

        Fp2 c = Sq(theta);
        Fp2 d = Sq(lambda);
        Fp2 e = Mul(lambda, d);
        Fp2 f = Mul(z, c);
        Fp2 g = Mul(x, d);
        Fp2 h = e + f - g.Double();
        x = Mul(lambda, h);
        y = Mul(theta, g - h) - Mul(e, y);
        z = Mul(z, e);
        return line;
    }
}
