namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>
/// The GLV split of a G1 scalar. With z = x^2 (128 bits) the endomorphism φ acts on G1 as [-z], and r = z^2 - z + 1,
/// so k = q·z + k1 with k1 &lt; z and q &lt; z gives [k]P = [k1]P + [q](-φ(P)): two 128-bit halves instead of one
/// 255-bit scalar. The division runs in constant time (a fixed loop of masked subtractions), since k may be secret.
/// </summary>
internal static class Glv
{
    // z = x^2 = 0xac45a4010001a4020000000100000000
    private const ulong ZHi = 0xac45a4010001a402, ZLo = 0x0000000100000000;

    /// <summary>Splits a scalar below r (four little-endian words) into k1 = k mod z and q = k div z (two words each).</summary>
    public static void Split(ReadOnlySpan<ulong> k, Span<ulong> k1, Span<ulong> q)
    {
        ulong remHi = 0, remLo = 0, qHi = 0, qLo = 0;
        for (int bit = 255; bit >= 0; bit--)
        {
            ulong top = remHi >> 63;
            remHi = (remHi << 1) | (remLo >> 63);
            remLo = (remLo << 1) | ((k[bit >> 6] >> (bit & 63)) & 1);

            // (top:rem) >= z  <=>  top == 1 or rem - z does not borrow.
            ulong dLo = remLo - ZLo;
            ulong borrowLo = remLo < ZLo ? 1UL : 0UL;
            ulong dHi = remHi - ZHi - borrowLo;
            ulong borrow = ((remHi < ZHi) | ((remHi == ZHi) & (borrowLo == 1))) ? 1UL : 0UL;
            ulong ge = top | (borrow ^ 1);
            ulong mask = 0UL - ge;
            remLo = (dLo & mask) | (remLo & ~mask);
            remHi = (dHi & mask) | (remHi & ~mask);
            qHi = (qHi << 1) | (qLo >> 63);
            qLo = (qLo << 1) | ge;
        }

        k1[0] = remLo;
        k1[1] = remHi;
        q[0] = qLo;
        q[1] = qHi;
    }
}
