using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

using static InternetIdentity.ThresholdSigning.Fields.Limbs;

namespace InternetIdentity.ThresholdSigning.Fields;

/// <summary>
/// An element of the BLS12-381 scalar field F_r (the order of G1 and G2), four 64-bit limbs in Montgomery form
/// (R = 2^256). r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001.
/// </summary>
public readonly struct Fr : IEquatable<Fr>
{
    internal readonly ulong L0, L1, L2, L3;

    private const ulong R0 = 0xffffffff00000001, R1 = 0x53bda402fffe5bfe, R2 = 0x3339d80809a1d805, R3 = 0x73eda753299d7d48;

    // -r^-1 mod 2^64
    private const ulong Inv = 0xfffffffeffffffff;

    /// <summary>The group order r.</summary>
    public static readonly BigInteger Modulus = BigInteger.Parse(
        "073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", System.Globalization.NumberStyles.HexNumber);

    /// <summary>Size of the canonical big-endian encoding (the IC's Scalar::serialize).</summary>
    public const int ByteLength = 32;

    private static readonly Fr s_r2 = FromLimbsOf(BigInteger.ModPow(2, 512, Modulus));

    /// <summary>Zero.</summary>
    public static readonly Fr Zero = default;

    /// <summary>One.</summary>
    public static readonly Fr One = FromLimbsOf(BigInteger.ModPow(2, 256, Modulus));

    internal Fr(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3;
    }

    /// <summary>Whether this is zero.</summary>
    public bool IsZero => (L0 | L1 | L2 | L3) == 0;

    /// <summary>Converts a small integer.</summary>
    public static Fr FromUInt64(ulong value) => new Fr(value, 0, 0, 0) * s_r2;

    /// <summary>Converts an integer, reducing it modulo r.</summary>
    public static Fr FromBigInteger(BigInteger value)
    {
        value %= Modulus;
        if (value.Sign < 0)
        {
            value += Modulus;
        }

        return FromLimbsOf(value) * s_r2;
    }

    /// <summary>The canonical integer value.</summary>
    public BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        WriteBigEndian(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Parses a 32-byte big-endian scalar; false if it is not below r.</summary>
    public static bool TryReadBigEndian(ReadOnlySpan<byte> source, out Fr value)
    {
        if (source.Length != ByteLength)
        {
            throw new ArgumentException($"A scalar is {ByteLength} bytes, not {source.Length}.", nameof(source));
        }

        var raw = new Fr(
            BinaryPrimitives.ReadUInt64BigEndian(source[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(source));
        if (!raw.IsBelowModulus())
        {
            value = default;
            return false;
        }

        value = raw * s_r2;
        return true;
    }

    private static readonly Fr s_twoTo64 = FromBigInteger(BigInteger.One << 64);

    /// <summary>Reduces a big-endian integer of any length modulo r (used by KeyGen and hashing to scalars).</summary>
    public static Fr FromBigEndianReduced(ReadOnlySpan<byte> source)
    {
        Fr acc = Zero;
        int i = 0;
        int head = source.Length % 8;
        if (head != 0)
        {
            ulong w = 0;
            for (; i < head; i++)
            {
                w = (w << 8) | source[i];
            }

            acc = FromUInt64(w);
        }

        for (; i < source.Length; i += 8)
        {
            acc = acc * s_twoTo64 + FromUInt64(BinaryPrimitives.ReadUInt64BigEndian(source[i..]));
        }

        return acc;
    }

    /// <summary>Writes the canonical 32-byte big-endian encoding.</summary>
    public void WriteBigEndian(Span<byte> destination)
    {
        if (destination.Length < ByteLength)
        {
            throw new ArgumentException($"Need {ByteLength} bytes.", nameof(destination));
        }

        Fr c = FromMontgomery();
        BinaryPrimitives.WriteUInt64BigEndian(destination, c.L3);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], c.L2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], c.L1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], c.L0);
    }

    /// <summary>The canonical 32-byte big-endian encoding.</summary>
    public byte[] ToBigEndian()
    {
        var bytes = new byte[ByteLength];
        WriteBigEndian(bytes);
        return bytes;
    }

    /// <summary>The canonical value as four little-endian 64-bit words, for scalar multiplication.</summary>
    public void GetCanonicalWords(Span<ulong> words)
    {
        Fr c = FromMontgomery();
        words[0] = c.L0;
        words[1] = c.L1;
        words[2] = c.L2;
        words[3] = c.L3;
    }

    private Fr FromMontgomery() => this * new Fr(1, 0, 0, 0);

    private bool IsBelowModulus()
    {
        ulong borrow = 0;
        SubBorrow(L0, R0, ref borrow);
        SubBorrow(L1, R1, ref borrow);
        SubBorrow(L2, R2, ref borrow);
        SubBorrow(L3, R3, ref borrow);
        return borrow != 0;
    }

    private static Fr FromLimbsOf(BigInteger v)
    {
        Span<byte> b = stackalloc byte[32];
        b.Clear();
        v.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return new Fr(
            BinaryPrimitives.ReadUInt64LittleEndian(b),
            BinaryPrimitives.ReadUInt64LittleEndian(b[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(b[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(b[24..]));
    }



    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fr SubtractModulusIfNeeded(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        ulong br = 0;
        ulong d0 = SubBorrow(s0, R0, ref br);
        ulong d1 = SubBorrow(s1, R1, ref br);
        ulong d2 = SubBorrow(s2, R2, ref br);
        ulong d3 = SubBorrow(s3, R3, ref br);
        ulong mask = 0UL - br;
        return new Fr((s0 & mask) | (d0 & ~mask), (s1 & mask) | (d1 & ~mask), (s2 & mask) | (d2 & ~mask), (s3 & mask) | (d3 & ~mask));
    }

    /// <summary>Addition modulo r.</summary>
    public static Fr operator +(in Fr a, in Fr b)
    {
        // r < 2^255, so the sum fits in 256 bits.
        ulong c = 0;
        ulong s0 = AddCarry(a.L0, b.L0, ref c);
        ulong s1 = AddCarry(a.L1, b.L1, ref c);
        ulong s2 = AddCarry(a.L2, b.L2, ref c);
        ulong s3 = a.L3 + b.L3 + c;
        return SubtractModulusIfNeeded(s0, s1, s2, s3);
    }

    /// <summary>Subtraction modulo r.</summary>
    public static Fr operator -(in Fr a, in Fr b)
    {
        ulong br = 0;
        ulong d0 = SubBorrow(a.L0, b.L0, ref br);
        ulong d1 = SubBorrow(a.L1, b.L1, ref br);
        ulong d2 = SubBorrow(a.L2, b.L2, ref br);
        ulong d3 = SubBorrow(a.L3, b.L3, ref br);
        ulong mask = 0UL - br;
        ulong c = 0;
        d0 = AddCarry(d0, R0 & mask, ref c);
        d1 = AddCarry(d1, R1 & mask, ref c);
        d2 = AddCarry(d2, R2 & mask, ref c);
        d3 = d3 + (R3 & mask) + c;
        return new Fr(d0, d1, d2, d3);
    }

    /// <summary>Negation modulo r.</summary>
    public static Fr operator -(in Fr a) => Zero - a;

    /// <summary>Montgomery multiplication (CIOS; r has a spare top bit, so no final carry word).</summary>
    public static Fr operator *(in Fr a, in Fr b)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        Round(a.L0, b, ref t0, ref t1, ref t2, ref t3);
        Round(a.L1, b, ref t0, ref t1, ref t2, ref t3);
        Round(a.L2, b, ref t0, ref t1, ref t2, ref t3);
        Round(a.L3, b, ref t0, ref t1, ref t2, ref t3);
        return SubtractModulusIfNeeded(t0, t1, t2, t3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ulong ai, in Fr b, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3)
    {
        ulong c = 0;
        t0 = Mac(t0, ai, b.L0, ref c);
        t1 = Mac(t1, ai, b.L1, ref c);
        t2 = Mac(t2, ai, b.L2, ref c);
        t3 = Mac(t3, ai, b.L3, ref c);
        ulong c2 = c;
        ulong m = t0 * Inv;
        c = MontgomeryFirstCarry(t0, m, R0);
        t0 = Mac(t1, m, R1, ref c);
        t1 = Mac(t2, m, R2, ref c);
        t2 = Mac(t3, m, R3, ref c);
        t3 = c2 + c;
    }

    /// <summary>Squaring.</summary>
    public Fr Square() => this * this;

    private static readonly ulong[] s_rMinus2 = [R0 - 2, R1, R2, R3];

    /// <summary>The multiplicative inverse (Fermat; constant time); the inverse of zero is zero.</summary>
    public Fr Invert()
    {
        Fr result = One;
        for (int i = 3; i >= 0; i--)
        {
            for (int bit = 63; bit >= 0; bit--)
            {
                result = result.Square();
                // Fermat exponent r-2 is public, so branching on its bits leaks nothing about the operand.
                if (((s_rMinus2[i] >> bit) & 1) == 1)
                {
                    result *= this;
                }
            }
        }

        return result;
    }

    /// <summary>Inverts every element in place with one field inversion (Montgomery's trick); zeros stay zero.</summary>
    public static void BatchInvert(Span<Fr> values)
    {
        if (values.Length == 0)
        {
            return;
        }

        var prefix = new Fr[values.Length];
        Fr acc = One;
        for (int i = 0; i < values.Length; i++)
        {
            prefix[i] = acc;
            if (!values[i].IsZero)
            {
                acc *= values[i];
            }
        }

        Fr inv = acc.Invert();
        for (int i = values.Length - 1; i >= 0; i--)
        {
            if (values[i].IsZero)
            {
                continue;
            }

            Fr next = inv * values[i];
            values[i] = inv * prefix[i];
            inv = next;
        }
    }

    /// <inheritdoc/>
    public bool Equals(Fr other) => ((L0 ^ other.L0) | (L1 ^ other.L1) | (L2 ^ other.L2) | (L3 ^ other.L3)) == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fr other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3);

    /// <summary>Equality.</summary>
    public static bool operator ==(in Fr a, in Fr b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(in Fr a, in Fr b) => !a.Equals(b);

    /// <summary>Lowercase hex of the big-endian encoding.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToBigEndian());
}
