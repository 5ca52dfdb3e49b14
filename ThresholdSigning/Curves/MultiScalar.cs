using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>
/// Multi-scalar multiplication Σ [k_i]P_i for public scalars by Straus's method: one doubling chain shared by all
/// terms, each adding its width-5 NAF digits from a table of odd multiples. For t terms of n bits this costs n
/// doublings instead of t·n, which is what Lagrange combination and batch verification need (t up to a few dozen;
/// Pippenger's buckets only pay off for hundreds of terms). Variable time: for public data only.
/// </summary>
internal static class MultiScalar
{
    private const int Width = 5;

    // Odd multiples P, 3P, ..., 15P for digits |d| < 2^(Width-1).
    private const int TableSize = 1 << (Width - 2);

    /// <summary>
    /// The sum of [k_i]P_i, where k_i is the little-endian words scalars[i·wordsPerScalar .. (i+1)·wordsPerScalar).
    /// </summary>
    public static Jacobian<F, C> SumVartime<F, C>(ReadOnlySpan<Jacobian<F, C>> points, ReadOnlySpan<ulong> scalars, int wordsPerScalar)
        where F : unmanaged, IField<F> where C : unmanaged, ICurve<F>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wordsPerScalar, 1);
        if (scalars.Length != points.Length * wordsPerScalar)
        {
            throw new ArgumentException($"{points.Length} points need {points.Length * wordsPerScalar} scalar words, not {scalars.Length}.", nameof(scalars));
        }

        int count = points.Length;
        int digitsPerScalar = wordsPerScalar * 64 + 1;
        sbyte[] digits = new sbyte[count * digitsPerScalar];
        int[] lengths = new int[count];
        var tables = new Jacobian<F, C>[count * TableSize];
        int longest = 0;
        for (int i = 0; i < count; i++)
        {
            lengths[i] = Wnaf.Compute(scalars.Slice(i * wordsPerScalar, wordsPerScalar), Width, digits.AsSpan(i * digitsPerScalar, digitsPerScalar));
            if (lengths[i] > 0 && !points[i].IsIdentity)
            {
                OddMultiples(points[i], tables.AsSpan(i * TableSize, TableSize));
                longest = Math.Max(longest, lengths[i]);
            }
            else
            {
                lengths[i] = 0;
            }
        }

        Jacobian<F, C> acc = Jacobian<F, C>.Identity;
        for (int bit = longest - 1; bit >= 0; bit--)
        {
            acc = acc.Double();
            for (int i = 0; i < count; i++)
            {
                if (bit < lengths[i])
                {
                    int digit = digits[i * digitsPerScalar + bit];
                    if (digit != 0)
                    {
                        acc = AddDigit(acc, tables.AsSpan(i * TableSize, TableSize), digit);
                    }
                }
            }
        }

        return acc;
    }

    /// <summary>Fills the table with P, 3P, 5P, ... (one doubling, then additions of 2P).</summary>
    internal static void OddMultiples<F, C>(in Jacobian<F, C> p, Span<Jacobian<F, C>> table)
        where F : unmanaged, IField<F> where C : unmanaged, ICurve<F>
    {
        table[0] = p;
        Jacobian<F, C> twice = p.Double();
        for (int i = 1; i < table.Length; i++)
        {
            table[i] = Jacobian<F, C>.Add(table[i - 1], twice);
        }
    }

    /// <summary>acc + [digit]P for a nonzero odd digit, from the table of odd multiples of P.</summary>
    internal static Jacobian<F, C> AddDigit<F, C>(in Jacobian<F, C> acc, ReadOnlySpan<Jacobian<F, C>> table, int digit)
        where F : unmanaged, IField<F> where C : unmanaged, ICurve<F> =>
        digit > 0 ? Jacobian<F, C>.Add(acc, table[digit >> 1]) : Jacobian<F, C>.Add(acc, table[(-digit) >> 1].Negate());
}
