using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

using InternetIdentity.ThresholdSigning.Fields.Native;

using static InternetIdentity.ThresholdSigning.Fields.Limbs;

namespace InternetIdentity.ThresholdSigning.Fields;

/// <summary>An element of the BLS12-381 base field F_p, held as six 64-bit limbs in Montgomery form (R = 2^384).</summary>
/// <remarks>
/// p = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab.
/// Because p &lt; 2^381 the top limb keeps three spare bits, which lets multiplication skip the final carry word
/// (the "no-carry" CIOS variant) and end with a single conditional subtraction.
/// </remarks>
public readonly struct Fp : IEquatable<Fp>, IField<Fp>
{
    internal readonly ulong L0, L1, L2, L3, L4, L5;

    internal const ulong P0 = 0xb9feffffffffaaab, P1 = 0x1eabfffeb153ffff, P2 = 0x6730d2a0f6b0f624,
        P3 = 0x64774b84f38512bf, P4 = 0x4b1ba7b6434bacd7, P5 = 0x1a0111ea397fe69a;

    // -p^-1 mod 2^64
    private const ulong Inv = 0x89f3fffcfffcfffd;

    /// <summary>The field modulus p.</summary>
    public static readonly BigInteger Modulus = BigInteger.Parse(
        "01a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
        System.Globalization.NumberStyles.HexNumber);

    /// <summary>Size of the canonical big-endian encoding.</summary>
    public const int ByteLength = 48;

    private static readonly Fp s_r2 = FromLimbsOf(BigInteger.ModPow(2, 768, Modulus));

    /// <summary>The additive identity.</summary>
    public static readonly Fp Zero = default;

    /// <summary>The multiplicative identity (R mod p in Montgomery form).</summary>
    public static readonly Fp One = FromLimbsOf(BigInteger.ModPow(2, 384, Modulus));

    internal Fp(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3; L4 = l4; L5 = l5;
    }

    /// <summary>Whether this is zero.</summary>
    public bool IsZero => (L0 | L1 | L2 | L3 | L4 | L5) == 0;

    /// <summary>Whether this is one.</summary>
    public bool IsOne => Equals(One);

    /// <summary>Converts a small integer into the field.</summary>
    public static Fp FromUInt64(ulong value) => new Fp(value, 0, 0, 0, 0, 0) * s_r2;

    /// <summary>Converts a non-negative integer below p into the field; larger values are reduced mod p.</summary>
    public static Fp FromBigInteger(BigInteger value)
    {
        value %= Modulus;
        if (value.Sign < 0)
        {
            value += Modulus;
        }

        return FromLimbsOf(value) * s_r2;
    }

    /// <summary>The canonical integer value of this element.</summary>
    public BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        WriteBigEndian(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Parses a 48-byte big-endian canonical encoding; returns false if the value is not below p.</summary>
    public static bool TryReadBigEndian(ReadOnlySpan<byte> source, out Fp value)
    {
        if (source.Length != ByteLength)
        {
            throw new ArgumentException($"A field element is {ByteLength} bytes, not {source.Length}.", nameof(source));
        }

        ulong l5 = BinaryPrimitives.ReadUInt64BigEndian(source);
        ulong l4 = BinaryPrimitives.ReadUInt64BigEndian(source[8..]);
        ulong l3 = BinaryPrimitives.ReadUInt64BigEndian(source[16..]);
        ulong l2 = BinaryPrimitives.ReadUInt64BigEndian(source[24..]);
        ulong l1 = BinaryPrimitives.ReadUInt64BigEndian(source[32..]);
        ulong l0 = BinaryPrimitives.ReadUInt64BigEndian(source[40..]);
        var raw = new Fp(l0, l1, l2, l3, l4, l5);
        if (!raw.IsBelowModulus())
        {
            value = default;
            return false;
        }

        value = raw * s_r2;
        return true;
    }

    private static readonly Fp s_twoTo64 = FromBigInteger(BigInteger.One << 64);

    /// <summary>Reduces a big-endian integer of any length modulo p (used by hash-to-field).</summary>
    public static Fp FromBigEndianReduced(ReadOnlySpan<byte> source)
    {
        // Horner over 48-byte chunks would need a 2^384 multiplier; 64-byte inputs are split as hi*2^256 + lo.
        Fp acc = Zero;
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

    /// <summary>Writes the canonical 48-byte big-endian encoding.</summary>
    public void WriteBigEndian(Span<byte> destination)
    {
        if (destination.Length < ByteLength)
        {
            throw new ArgumentException($"Need {ByteLength} bytes.", nameof(destination));
        }

        Fp c = FromMontgomery();
        BinaryPrimitives.WriteUInt64BigEndian(destination, c.L5);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], c.L4);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], c.L3);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], c.L2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[32..], c.L1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[40..], c.L0);
    }

    /// <summary>The canonical 48-byte big-endian encoding.</summary>
    public byte[] ToBigEndian()
    {
        var bytes = new byte[ByteLength];
        WriteBigEndian(bytes);
        return bytes;
    }

    /// <summary>The parity of the canonical value (RFC 9380 sgn0 for m = 1).</summary>
    public bool Sgn0 => (FromMontgomery().L0 & 1) == 1;

    /// <summary>Whether the canonical value is greater than (p-1)/2, the ZCash "sort" flag rule.</summary>
    public bool IsLexicographicallyLargest
    {
        get
        {
            // value > (p-1)/2  <=>  2*value > p-1  <=>  2*value >= p (value canonical, 2*value < 2^382 fits).
            Fp c = FromMontgomery();
            ulong d0 = c.L0 << 1, d1 = (c.L1 << 1) | (c.L0 >> 63), d2 = (c.L2 << 1) | (c.L1 >> 63),
                d3 = (c.L3 << 1) | (c.L2 >> 63), d4 = (c.L4 << 1) | (c.L3 >> 63), d5 = (c.L5 << 1) | (c.L4 >> 63);
            return !new Fp(d0, d1, d2, d3, d4, d5).IsBelowModulus();
        }
    }

    private Fp FromMontgomery() => this * new Fp(1, 0, 0, 0, 0, 0);

    private bool IsBelowModulus()
    {
        ulong borrow = 0;
        SubBorrow(L0, P0, ref borrow);
        SubBorrow(L1, P1, ref borrow);
        SubBorrow(L2, P2, ref borrow);
        SubBorrow(L3, P3, ref borrow);
        SubBorrow(L4, P4, ref borrow);
        SubBorrow(L5, P5, ref borrow);
        return borrow != 0;
    }

    /// <summary>The limbs of a non-negative integer below 2^384 taken as they are (no Montgomery conversion).</summary>
    internal static Fp RawLimbs(BigInteger v) => FromLimbsOf(v);

    /// <summary>The multiplicative inverse in variable time: for public values only.</summary>
    public Fp InvertVartime() => FpInverseVartime.InvertVartime(this);

    private static Fp FromLimbsOf(BigInteger v)
    {
        Span<byte> b = stackalloc byte[48];
        b.Clear();
        v.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        return new Fp(
            BinaryPrimitives.ReadUInt64LittleEndian(b),
            BinaryPrimitives.ReadUInt64LittleEndian(b[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(b[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(b[24..]),
            BinaryPrimitives.ReadUInt64LittleEndian(b[32..]),
            BinaryPrimitives.ReadUInt64LittleEndian(b[40..]));
    }



    /// <summary>Field addition.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp operator +(in Fp a, in Fp b)
    {
        // Both below p < 2^381, so the sum fits in 384 bits with no carry out.
        ulong c = 0;
        ulong s0 = AddCarry(a.L0, b.L0, ref c);
        ulong s1 = AddCarry(a.L1, b.L1, ref c);
        ulong s2 = AddCarry(a.L2, b.L2, ref c);
        ulong s3 = AddCarry(a.L3, b.L3, ref c);
        ulong s4 = AddCarry(a.L4, b.L4, ref c);
        ulong s5 = a.L5 + b.L5 + c;
        return SubtractModulusIfNeeded(s0, s1, s2, s3, s4, s5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp SubtractModulusIfNeeded(ulong s0, ulong s1, ulong s2, ulong s3, ulong s4, ulong s5)
    {
        ulong br = 0;
        ulong d0 = SubBorrow(s0, P0, ref br);
        ulong d1 = SubBorrow(s1, P1, ref br);
        ulong d2 = SubBorrow(s2, P2, ref br);
        ulong d3 = SubBorrow(s3, P3, ref br);
        ulong d4 = SubBorrow(s4, P4, ref br);
        ulong d5 = SubBorrow(s5, P5, ref br);
        // br == 1 means s < p: keep s. Branch-free select.
        ulong mask = 0UL - br;
        return new Fp(
            (s0 & mask) | (d0 & ~mask), (s1 & mask) | (d1 & ~mask), (s2 & mask) | (d2 & ~mask),
            (s3 & mask) | (d3 & ~mask), (s4 & mask) | (d4 & ~mask), (s5 & mask) | (d5 & ~mask));
    }

    /// <summary>Field subtraction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp operator -(in Fp a, in Fp b)
    {
        ulong br = 0;
        ulong d0 = SubBorrow(a.L0, b.L0, ref br);
        ulong d1 = SubBorrow(a.L1, b.L1, ref br);
        ulong d2 = SubBorrow(a.L2, b.L2, ref br);
        ulong d3 = SubBorrow(a.L3, b.L3, ref br);
        ulong d4 = SubBorrow(a.L4, b.L4, ref br);
        ulong d5 = SubBorrow(a.L5, b.L5, ref br);
        // On borrow add p back (branch-free).
        ulong mask = 0UL - br;
        ulong c = 0;
        d0 = AddCarry(d0, P0 & mask, ref c);
        d1 = AddCarry(d1, P1 & mask, ref c);
        d2 = AddCarry(d2, P2 & mask, ref c);
        d3 = AddCarry(d3, P3 & mask, ref c);
        d4 = AddCarry(d4, P4 & mask, ref c);
        d5 = d5 + (P5 & mask) + c;
        return new Fp(d0, d1, d2, d3, d4, d5);
    }

    /// <summary>Additive inverse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp operator -(in Fp a)
    {
        ulong br = 0;
        ulong d0 = SubBorrow(P0, a.L0, ref br);
        ulong d1 = SubBorrow(P1, a.L1, ref br);
        ulong d2 = SubBorrow(P2, a.L2, ref br);
        ulong d3 = SubBorrow(P3, a.L3, ref br);
        ulong d4 = SubBorrow(P4, a.L4, ref br);
        ulong d5 = SubBorrow(P5, a.L5, ref br);
        // -0 must be 0, not p.
        ulong mask = (a.L0 | a.L1 | a.L2 | a.L3 | a.L4 | a.L5) == 0 ? 0UL : ulong.MaxValue;
        return new Fp(d0 & mask, d1 & mask, d2 & mask, d3 & mask, d4 & mask, d5 & mask);
    }

    /// <summary>Twice this element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Fp Double() => this + this;

    /// <summary>Montgomery multiplication.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp operator *(in Fp a, in Fp b) =>
        FpKernels.IsNative ? FpKernels.MultiplyMontgomery(a, b) : MultiplyManaged(a, b);

    /// <summary>Montgomery multiplication in managed code (CIOS, no final carry word since p has spare top bits).</summary>
    internal static Fp MultiplyManaged(in Fp a, in Fp b)
    {
        ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3, b4 = b.L4, b5 = b.L5;
        ulong t0, t1, t2, t3, t4, t5, c, c2, m;

        // i = 0
        c = 0;
        t0 = Mac(0, a.L0, b0, ref c);
        t1 = Mac(0, a.L0, b1, ref c);
        t2 = Mac(0, a.L0, b2, ref c);
        t3 = Mac(0, a.L0, b3, ref c);
        t4 = Mac(0, a.L0, b4, ref c);
        t5 = Mac(0, a.L0, b5, ref c);
        c2 = c;
        m = t0 * Inv;
        c = MontgomeryFirstCarry(t0, m, P0);
        t0 = Mac(t1, m, P1, ref c);
        t1 = Mac(t2, m, P2, ref c);
        t2 = Mac(t3, m, P3, ref c);
        t3 = Mac(t4, m, P4, ref c);
        t4 = Mac(t5, m, P5, ref c);
        t5 = c2 + c;

        Round(a.L1, b0, b1, b2, b3, b4, b5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        Round(a.L2, b0, b1, b2, b3, b4, b5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        Round(a.L3, b0, b1, b2, b3, b4, b5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        Round(a.L4, b0, b1, b2, b3, b4, b5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        Round(a.L5, b0, b1, b2, b3, b4, b5, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);

        return SubtractModulusIfNeeded(t0, t1, t2, t3, t4, t5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ulong ai, ulong b0, ulong b1, ulong b2, ulong b3, ulong b4, ulong b5,
        ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4, ref ulong t5)
    {
        ulong c = 0;
        t0 = Mac(t0, ai, b0, ref c);
        t1 = Mac(t1, ai, b1, ref c);
        t2 = Mac(t2, ai, b2, ref c);
        t3 = Mac(t3, ai, b3, ref c);
        t4 = Mac(t4, ai, b4, ref c);
        t5 = Mac(t5, ai, b5, ref c);
        ulong c2 = c;
        ulong m = t0 * Inv;
        c = MontgomeryFirstCarry(t0, m, P0);
        t0 = Mac(t1, m, P1, ref c);
        t1 = Mac(t2, m, P2, ref c);
        t2 = Mac(t3, m, P3, ref c);
        t3 = Mac(t4, m, P4, ref c);
        t4 = Mac(t5, m, P5, ref c);
        t5 = c2 + c;
    }

    /// <summary>Squaring.</summary>
    public Fp Square() => FpKernels.IsNative ? FpKernels.SquareMontgomery(this) : SquareManaged(this);

    /// <summary>Squaring in managed code: the cross products once (21 word products instead of 36), then one reduction.</summary>
    internal static Fp SquareManaged(in Fp a) => FpWide.SquareManaged(a).ReduceManaged();

    /// <summary>Raises to a power given as little-endian 64-bit words (variable time in the exponent, which is public).</summary>
    public Fp Pow(ReadOnlySpan<ulong> exponent)
    {
        Fp result = One;
        for (int i = exponent.Length - 1; i >= 0; i--)
        {
            for (int bit = 63; bit >= 0; bit--)
            {
                result = result.Square();
                if (((exponent[i] >> bit) & 1) == 1)
                {
                    result *= this;
                }
            }
        }

        return result;
    }

    // (p - 2), little-endian words: Fermat inversion.
    private static readonly ulong[] s_pMinus2 =
        [P0 - 2, P1, P2, P3, P4, P5];

    // (p + 1) / 4, for square roots since p = 3 mod 4.
    private static readonly ulong[] s_pPlus1Over4 = WordsOf((Modulus + 1) / 4);

    // (p - 3) / 4, for the RFC 9380 sqrt_ratio with q = 3 mod 4.
    internal static readonly ulong[] PMinus3Over4 = WordsOf((Modulus - 3) / 4);

    internal static ulong[] WordsOf(BigInteger v)
    {
        var words = new ulong[6];
        for (int i = 0; i < 6; i++)
        {
            words[i] = (ulong)(v & ulong.MaxValue);
            v >>= 64;
        }

        return words;
    }

    /// <summary>The multiplicative inverse; the inverse of zero is zero.</summary>
    public Fp Invert() => Pow(s_pMinus2);

    /// <summary>A square root if one exists.</summary>
    public bool TrySqrt(out Fp root)
    {
        root = Pow(s_pPlus1Over4);
        return root.Square().Equals(this);
    }

    /// <summary>Whether this is a square in F_p (zero counts as a square).</summary>
    public bool IsSquare() => TrySqrt(out _);

    /// <summary>Branch-free choice: <paramref name="b"/> if <paramref name="choice"/>, else <paramref name="a"/>.</summary>
    public static Fp Select(in Fp a, in Fp b, bool choice)
    {
        ulong m = 0UL - (ulong)(choice ? 1 : 0);
        return new Fp(
            (a.L0 & ~m) | (b.L0 & m), (a.L1 & ~m) | (b.L1 & m), (a.L2 & ~m) | (b.L2 & m),
            (a.L3 & ~m) | (b.L3 & m), (a.L4 & ~m) | (b.L4 & m), (a.L5 & ~m) | (b.L5 & m));
    }

    /// <inheritdoc/>
    public bool Equals(Fp other) =>
        ((L0 ^ other.L0) | (L1 ^ other.L1) | (L2 ^ other.L2) | (L3 ^ other.L3) | (L4 ^ other.L4) | (L5 ^ other.L5)) == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3, L4, L5);

    /// <summary>Equality.</summary>
    public static bool operator ==(in Fp a, in Fp b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(in Fp a, in Fp b) => !a.Equals(b);

    /// <summary>Lowercase hex of the canonical big-endian encoding.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToBigEndian());

    static Fp IField<Fp>.Zero => Zero;
    static Fp IField<Fp>.One => One;
    static Fp IField<Fp>.Add(in Fp a, in Fp b) => a + b;
    static Fp IField<Fp>.Sub(in Fp a, in Fp b) => a - b;
    static Fp IField<Fp>.Mul(in Fp a, in Fp b) => a * b;
    static Fp IField<Fp>.Sqr(in Fp a) => a.Square();
    static Fp IField<Fp>.Neg(in Fp a) => -a;
    static Fp IField<Fp>.Dbl(in Fp a) => a.Double();
    static Fp IField<Fp>.Inv(in Fp a) => a.Invert();
    static Fp IField<Fp>.InvVartime(in Fp a) => a.InvertVartime();
    static Fp IField<Fp>.Choose(in Fp a, in Fp b, bool choice) => Select(a, b, choice);
    static bool IField<Fp>.IsZeroElement(in Fp a) => a.IsZero;
    static bool IField<Fp>.AreEqual(in Fp a, in Fp b) => a.Equals(b);
}
