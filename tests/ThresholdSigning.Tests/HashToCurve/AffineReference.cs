using System.Numerics;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.HashToCurve;

/// <summary>
/// Textbook affine group law on E1 and E2 (a = 0), written independently of the library so tests can check
/// point sums and cofactor clearing without the library's own point arithmetic.
/// </summary>
internal static class AffineReference
{
    /// <summary>h_eff for G1 (RFC 9380 §8.8.1): 1 - x = 0xd201000000010001.</summary>
    public const ulong G1CofactorEff = 0xd201000000010001;

    public static G1Affine Add(G1Affine p, G1Affine q)
    {
        if (p.IsInfinity)
        {
            return q;
        }

        if (q.IsInfinity)
        {
            return p;
        }

        Fp lambda;
        if (p.X == q.X)
        {
            if (p.Y != q.Y || p.Y.IsZero)
            {
                return G1Affine.Infinity;
            }

            Fp xx = p.X.Square();
            lambda = (xx + xx + xx) * p.Y.Double().Invert();
        }
        else
        {
            lambda = (q.Y - p.Y) * (q.X - p.X).Invert();
        }

        Fp x = lambda.Square() - p.X - q.X;
        return new G1Affine(x, lambda * (p.X - x) - p.Y);
    }

    public static G2Affine Add(G2Affine p, G2Affine q)
    {
        if (p.IsInfinity)
        {
            return q;
        }

        if (q.IsInfinity)
        {
            return p;
        }

        Fp2 lambda;
        if (p.X == q.X)
        {
            if (p.Y != q.Y || p.Y.IsZero)
            {
                return G2Affine.Infinity;
            }

            Fp2 xx = p.X.Square();
            lambda = (xx + xx + xx) * p.Y.Double().Invert();
        }
        else
        {
            lambda = (q.Y - p.Y) * (q.X - p.X).Invert();
        }

        Fp2 x = lambda.Square() - p.X - q.X;
        return new G2Affine(x, lambda * (p.X - x) - p.Y);
    }

    public static G1Affine Multiply(G1Affine p, BigInteger k)
    {
        G1Affine acc = G1Affine.Infinity;
        for (int bit = (int)k.GetBitLength() - 1; bit >= 0; bit--)
        {
            acc = Add(acc, acc);
            if (!(k >> bit).IsEven)
            {
                acc = Add(acc, p);
            }
        }

        return acc;
    }

    /// <summary>clear_cofactor for G1: multiplication by h_eff.</summary>
    public static G1Affine ClearCofactor(G1Affine p) => Multiply(p, G1CofactorEff);

    /// <summary>ZCash compressed encoding of a G1 point.</summary>
    public static byte[] Compress(G1Affine p)
    {
        var bytes = new byte[48];
        if (p.IsInfinity)
        {
            bytes[0] = 0xc0;
            return bytes;
        }

        p.X.WriteBigEndian(bytes);
        bytes[0] |= (byte)(0x80 | (p.Y.IsLexicographicallyLargest ? 0x20 : 0));
        return bytes;
    }
}
