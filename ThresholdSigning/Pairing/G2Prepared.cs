using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Pairing;

/// <summary>
/// The Miller-loop line coefficients of a fixed G2 point, computed once so that every pairing with it only evaluates
/// the lines at the G1 point (both G2 inputs of a min-sig verification are fixed: the generator and a public key).
/// </summary>
/// <remarks>
/// The point must lie in G2 (decoders subgroup-check it); for other points the result is meaningless but harmless.
/// Immutable, so one instance can be shared by any number of concurrent verifications.
/// </remarks>
public sealed class G2Prepared
{
    /// <summary>The coefficients of one line: the sparse F_p12 element c0 + (cx·x_P)·v + (cy·y_P)·v·w.</summary>
    internal readonly struct Line
    {
        public readonly Fp2 C0;
        public readonly Fp2 CX;
        public readonly Fp2 CY;

        public Line(in Fp2 c0, in Fp2 cx, in Fp2 cy)
        {
            C0 = c0;
            CX = cx;
            CY = cy;
        }
    }

    /// <summary>The 68 lines in Miller-loop order (63 doublings and 5 additions); empty for infinity.</summary>
    internal readonly Line[] Lines;

    /// <summary>Whether the point is the point at infinity (it then contributes the factor 1 to any pairing).</summary>
    public bool IsInfinity { get; }

    private G2Prepared(Line[] lines, bool isInfinity)
    {
        Lines = lines;
        IsInfinity = isInfinity;
    }

    /// <summary>The number of lines a finite point yields: 63 doublings plus one addition per further set bit of |x|.</summary>
    internal const int LineCount = 68;

    /// <summary>Precomputes the lines for an affine G2 point (infinity allowed).</summary>
    public static G2Prepared FromAffine(in G2Affine q)
    {
        if (q.IsInfinity)
        {
            return new G2Prepared([], isInfinity: true);
        }

        var lines = new Line[LineCount];
        int n = 0;
        // T in homogeneous projective coordinates (x = X/Z, y = Y/Z).
        Fp2 x = q.X, y = q.Y, z = Fp2.One;
        for (int bit = 62; bit >= 0; bit--)
        {
            lines[n++] = MillerSteps.Double(ref x, ref y, ref z);
            if (((Fp12.BlsXMagnitude >> bit) & 1) == 1)
            {
                lines[n++] = MillerSteps.Add(ref x, ref y, ref z, q.X, q.Y);
            }
        }

        return new G2Prepared(lines, isInfinity: false);
    }
}
