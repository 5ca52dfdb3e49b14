using System.Numerics;
using System.Text.Json;
using InternetIdentity.TestSupport;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Tests.Pairing;

/// <summary>
/// Deliberately naive affine curve arithmetic and point decoding for the pairing tests, independent of the library's
/// group code (which is written elsewhere): double-and-add with one inversion per step.
/// </summary>
internal static class TestCurveMath
{
    /// <summary>The prime order r of G1, G2 and G_T.</summary>
    public static readonly BigInteger R = BigInteger.Parse(
        "073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001",
        System.Globalization.NumberStyles.HexNumber);

    private static readonly Lazy<JsonElement> s_generators = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("bls", "pairing", "generators.json"))).RootElement);

    public static JsonElement Generators => s_generators.Value;

    public static readonly G1Affine G1 = new(
        Hex(Generators.GetProperty("g1_uncompressed_xy")[0].GetString()!),
        Hex(Generators.GetProperty("g1_uncompressed_xy")[1].GetString()!));

    public static readonly G2Affine G2 = new(
        new Fp2(Hex(G2Coordinate("x_c0")), Hex(G2Coordinate("x_c1"))),
        new Fp2(Hex(G2Coordinate("y_c0")), Hex(G2Coordinate("y_c1"))));

    private static string G2Coordinate(string name) => Generators.GetProperty("g2_uncompressed").GetProperty(name).GetString()!;

    public static Fp Hex(string hex)
    {
        if (hex.StartsWith("0x", StringComparison.Ordinal))
        {
            hex = hex[2..];
        }

        return Fp.FromBigInteger(BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber));
    }

    /// <summary>Decodes a ZCash compressed G1 point (test-only; no subgroup check).</summary>
    public static G1Affine DecompressG1(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        if ((bytes[0] & 0x40) != 0)
        {
            return G1Affine.Infinity;
        }

        bool largest = (bytes[0] & 0x20) != 0;
        bytes[0] &= 0x1f;
        Assert.That(Fp.TryReadBigEndian(bytes, out Fp x), Is.True);
        Assert.That((x.Square() * x + G1Affine.B).TrySqrt(out Fp y), Is.True);
        if (y.IsLexicographicallyLargest != largest)
        {
            y = -y;
        }

        return new G1Affine(x, y);
    }

    /// <summary>Decodes a ZCash compressed G2 point: x.c1 first, then x.c0 (test-only; no subgroup check).</summary>
    public static G2Affine DecompressG2(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        if ((bytes[0] & 0x40) != 0)
        {
            return G2Affine.Infinity;
        }

        bool largest = (bytes[0] & 0x20) != 0;
        bytes[0] &= 0x1f;
        Assert.That(Fp.TryReadBigEndian(bytes.AsSpan(0, 48), out Fp c1), Is.True);
        Assert.That(Fp.TryReadBigEndian(bytes.AsSpan(48, 48), out Fp c0), Is.True);
        var x = new Fp2(c0, c1);
        Assert.That((x.Square() * x + G2Affine.B).TrySqrt(out Fp2 y), Is.True);
        if (y.IsLexicographicallyLargest != largest)
        {
            y = -y;
        }

        return new G2Affine(x, y);
    }

    public static G1Affine Add(in G1Affine a, in G1Affine b)
    {
        if (a.IsInfinity)
        {
            return b;
        }

        if (b.IsInfinity)
        {
            return a;
        }

        Fp slope;
        if (a.X == b.X)
        {
            if (a.Y != b.Y || a.Y.IsZero)
            {
                return G1Affine.Infinity;
            }

            Fp xx = a.X.Square();
            slope = (xx + xx + xx) * a.Y.Double().Invert();
        }
        else
        {
            slope = (b.Y - a.Y) * (b.X - a.X).Invert();
        }

        Fp x3 = slope.Square() - a.X - b.X;
        return new G1Affine(x3, slope * (a.X - x3) - a.Y);
    }

    public static G2Affine Add(in G2Affine a, in G2Affine b)
    {
        if (a.IsInfinity)
        {
            return b;
        }

        if (b.IsInfinity)
        {
            return a;
        }

        Fp2 slope;
        if (a.X == b.X)
        {
            if (a.Y != b.Y || a.Y.IsZero)
            {
                return G2Affine.Infinity;
            }

            Fp2 xx = a.X.Square();
            slope = (xx + xx + xx) * a.Y.Double().Invert();
        }
        else
        {
            slope = (b.Y - a.Y) * (b.X - a.X).Invert();
        }

        Fp2 x3 = slope.Square() - a.X - b.X;
        return new G2Affine(x3, slope * (a.X - x3) - a.Y);
    }

    public static G1Affine Multiply(in G1Affine p, BigInteger k)
    {
        G1Affine result = G1Affine.Infinity;
        G1Affine addend = k.Sign < 0 ? p.Negate() : p;
        for (BigInteger e = BigInteger.Abs(k); e > 0; e >>= 1)
        {
            if (!e.IsEven)
            {
                result = Add(result, addend);
            }

            addend = Add(addend, addend);
        }

        return result;
    }

    public static G2Affine Multiply(in G2Affine q, BigInteger k)
    {
        G2Affine result = G2Affine.Infinity;
        G2Affine addend = k.Sign < 0 ? q.Negate() : q;
        for (BigInteger e = BigInteger.Abs(k); e > 0; e >>= 1)
        {
            if (!e.IsEven)
            {
                result = Add(result, addend);
            }

            addend = Add(addend, addend);
        }

        return result;
    }

    /// <summary>Little-endian words of a non-negative exponent, for the field Pow methods.</summary>
    public static ulong[] Words(BigInteger e)
    {
        var words = new List<ulong>();
        for (; e > 0; e >>= 64)
        {
            words.Add((ulong)(e & ulong.MaxValue));
        }

        return words.ToArray();
    }
}
