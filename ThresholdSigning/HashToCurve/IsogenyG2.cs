using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.HashToCurve;

/// <summary>The 3-isogeny E2' → E2 of RFC 9380 Appendix E.3, evaluated on Jacobian input with at most one inversion.</summary>
internal static class IsogenyG2
{
    private const string Zero = "0";

    // Coefficients k_(i,0..n), constant term first, each as (c0, c1). x_den and y_den are monic.
    private static readonly Fp2[] s_xNum =
    [
        SswuG2.ParseHex(
            "05c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
            "05c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6"),
        SswuG2.ParseHex(
            Zero,
            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a"),
        SswuG2.ParseHex(
            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
            "08ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d"),
        SswuG2.ParseHex(
            "171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1",
            Zero),
    ];

    private static readonly Fp2[] s_xDen =
    [
        SswuG2.ParseHex(
            Zero,
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63"),
        SswuG2.ParseHex(
            "0c",
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f"),
    ];

    private static readonly Fp2[] s_yNum =
    [
        SswuG2.ParseHex(
            "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
            "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706"),
        SswuG2.ParseHex(
            Zero,
            "05c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be"),
        SswuG2.ParseHex(
            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
            "08ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f"),
        SswuG2.ParseHex(
            "124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10",
            Zero),
    ];

    private static readonly Fp2[] s_yDen =
    [
        SswuG2.ParseHex(
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb",
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb"),
        SswuG2.ParseHex(
            Zero,
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3"),
        SswuG2.ParseHex(
            "12",
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99"),
    ];

    /// <summary>iso_map to affine coordinates (one inversion); the identity for kernel points and the identity.</summary>
    public static G2Affine MapToAffine(in IsogenousJacobian<Fp2> p) =>
        Evaluate(p).TryToAffine(out Fp2 x, out Fp2 y) ? new G2Affine(x, y) : G2Affine.Infinity;

    /// <summary>iso_map to Jacobian coordinates, with no inversion.</summary>
    public static G2Projective MapToProjective(in IsogenousJacobian<Fp2> p)
    {
        Evaluate(p).ToJacobian(out Fp2 x, out Fp2 y, out Fp2 z);
        return new G2Projective(new Jacobian<Fp2, G2Curve>(x, y, z));
    }

    /// <summary>
    /// iso_map of the E2' point (X/Z^2, Y/Z^3) as fractions; the denominators vanish when Z = 0 or the point is
    /// in the kernel of the isogeny.
    /// </summary>
    private static FractionPoint<Fp2> Evaluate(in IsogenousJacobian<Fp2> p)
    {
        // A degree-d polynomial in x' = X/Z^2 is P(X, Z) / Z^(2d) with P homogeneous.
        Fp2 x = p.X;
        Fp2 z2 = p.Z.Square();
        Fp2 z4 = z2.Square();
        Fp2 z6 = z4 * z2;

        // x_num · Z^6, x_den · Z^4, y_num · Z^6, y_den · Z^6.
        Fp2 xNum = ((s_xNum[3] * x + s_xNum[2] * z2) * x + s_xNum[1] * z4) * x + s_xNum[0] * z6;
        Fp2 xDen = (x + s_xDen[1] * z2) * x + s_xDen[0] * z4;
        Fp2 yNum = ((s_yNum[3] * x + s_yNum[2] * z2) * x + s_yNum[1] * z4) * x + s_yNum[0] * z6;
        Fp2 yDen = ((x + s_yDen[2] * z2) * x + s_yDen[1] * z4) * x + s_yDen[0] * z6;

        // x = xNum / (xDen · Z^2); y = (Y / Z^3) · yNum / yDen = Y · yNum / (yDen · Z^3).
        return new FractionPoint<Fp2>(xNum, xDen * z2, p.Y * yNum, yDen * z2 * p.Z);
    }
}
