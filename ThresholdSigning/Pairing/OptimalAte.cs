using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Pairing;

/// <summary>
/// The optimal ate pairing e: G1 × G2 → G_T of BLS12-381: a Miller loop over |x| = 0xd201000000010000 (conjugated at
/// the end because x is negative) followed by the final exponentiation.
/// </summary>
/// <remarks>
/// Like zkcrypto, blst, gnark and Constantine, the hard part of the final exponentiation raises to
/// 3·(p^4 - p^2 + 1)/r, so the result is the cube of the textbook reduced pairing. Cubing is a bijection on G_T
/// (3 does not divide r), so bilinearity and non-degeneracy hold, and values agree with those libraries bit for bit.
/// </remarks>
public static class OptimalAte
{
    /// <summary>The pairing of one pair; infinity on either side gives the identity.</summary>
    public static Gt Pair(in G1Affine p, in G2Affine q)
    {
        ReadOnlySpan<(G1Affine, G2Prepared)> pairs = [(p, G2Prepared.FromAffine(q))];
        return FinalExponentiation(MillerLoop(pairs));
    }

    /// <summary>Whether the product of the pairings of all pairs is the identity: one shared Miller loop, one final exponentiation.</summary>
    public static bool PairingProductIsOne(ReadOnlySpan<(G1Affine, G2Prepared)> pairs) =>
        FinalExponentiation(MillerLoop(pairs)).IsOne;

    /// <summary>The product of the pairings of all pairs.</summary>
    public static Gt PairingProduct(ReadOnlySpan<(G1Affine, G2Prepared)> pairs) =>
        FinalExponentiation(MillerLoop(pairs));

    /// <summary>
    /// The product of the Miller functions f_{|x|,Q}(P) of all pairs, conjugated for the negative x, sharing one
    /// F_p12 squaring per step among the pairs. Pairs with a point at infinity contribute 1.
    /// </summary>
    public static Fp12 MillerLoop(ReadOnlySpan<(G1Affine P, G2Prepared Q)> pairs)
    {
        int count = 0;
        foreach (var (p, q) in pairs)
        {
            ArgumentNullException.ThrowIfNull(q, nameof(pairs));
            if (!p.IsInfinity && !q.IsInfinity)
            {
                count++;
            }
        }

        if (count == 0)
        {
            return Fp12.One;
        }

        var xs = new Fp[count];
        var ys = new Fp[count];
        var lines = new G2Prepared.Line[count][];
        int k = 0;
        foreach (var (p, q) in pairs)
        {
            if (!p.IsInfinity && !q.IsInfinity)
            {
                xs[k] = p.X;
                ys[k] = p.Y;
                lines[k] = q.Lines;
                k++;
            }
        }

        Fp12 f = Fp12.One;
        int n = 0;
        for (int bit = 62; bit >= 0; bit--)
        {
            if (bit != 62)
            {
                f = f.Square();
            }

            Evaluate(ref f, lines, xs, ys, n++);
            if (((Fp12.BlsXMagnitude >> bit) & 1) == 1)
            {
                Evaluate(ref f, lines, xs, ys, n++);
            }
        }

        return f.Conjugate();
    }

    // Multiplies f by the lines of all pairs at one step, two at a time (their product first is cheaper).
    private static void Evaluate(ref Fp12 f, G2Prepared.Line[][] lines, Fp[] xs, Fp[] ys, int index)
    {
        int i = 0;
        for (; i + 1 < lines.Length; i += 2)
        {
            ref readonly G2Prepared.Line a = ref lines[i][index];
            ref readonly G2Prepared.Line b = ref lines[i + 1][index];
            f = f.MulBy014Pair(
                a.C0, Fp2Wide.MultiplyReduced(a.CX, xs[i]), Fp2Wide.MultiplyReduced(a.CY, ys[i]),
                b.C0, Fp2Wide.MultiplyReduced(b.CX, xs[i + 1]), Fp2Wide.MultiplyReduced(b.CY, ys[i + 1]));
        }

        if (i < lines.Length)
        {
            ref readonly G2Prepared.Line line = ref lines[i][index];
            f = f.MulBy014(line.C0, Fp2Wide.MultiplyReduced(line.CX, xs[i]), Fp2Wide.MultiplyReduced(line.CY, ys[i]));
        }
    }

    /// <summary>
    /// Raises a Miller-loop output to 3·(p^12 - 1)/r: the easy part (p^6 - 1)(p^2 + 1) with one inversion, then the
    /// hard part by Hayashida–Hayasaka–Teruya (eprint 2020/875), 3·(p^4 - p^2 + 1)/r = (x - 1)^2·(x + p)·(x^2 + p^2 - 1) + 3,
    /// with five cyclotomic exponentiations by x. Variable time: for public values only.
    /// </summary>
    public static Gt FinalExponentiation(in Fp12 f)
    {
        // Easy part: g = f^(p^6 - 1) = conj(f)/f, then g^(p^2 + 1). The result lies in the cyclotomic subgroup.
        // Pairing inputs are public (signatures, keys, messages), so the inversion and the compressed squarings of
        // the hard part may run in variable time.
        Fp12 g = f.Conjugate() * f.InvertVartime();
        g = g.FrobeniusMap(2) * g;

        // Hard part.
        Fp12 t = g.CyclotomicExpByX() * g.Conjugate();                      // g^(x - 1)
        t = t.CyclotomicExpByX() * t.Conjugate();                           // g^((x - 1)^2)
        t = t.CyclotomicExpByX() * t.FrobeniusMap(1);                       // ·(x + p)
        Fp12 u = t.CyclotomicExpByX().CyclotomicExpByX();                   // t^(x^2)
        t = u * t.FrobeniusMap(2) * t.Conjugate();                          // ·(x^2 + p^2 - 1)
        return new Gt(t * g.CyclotomicSquare() * g);                        // ·g^3
    }
}
