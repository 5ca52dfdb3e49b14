namespace InternetIdentity.ThresholdSigning.Curves;

/// <summary>Width-w non-adjacent form of a public scalar, for variable-time scalar multiplication.</summary>
internal static class Wnaf
{
    /// <summary>Writes the digits (odd, |d| &lt; 2^(w-1), or zero), least significant first; returns their count.</summary>
    public static int Compute(ReadOnlySpan<ulong> scalar, int width, Span<sbyte> digits)
    {
        // Work on a copy with one spare word so that adding back a negative digit cannot overflow.
        Span<ulong> k = stackalloc ulong[scalar.Length + 1];
        scalar.CopyTo(k);
        k[^1] = 0;
        int window = 1 << width;
        int half = window >> 1;
        int length = 0;
        int position = 0;
        while (!IsZero(k))
        {
            int digit = 0;
            if ((k[0] & 1) == 1)
            {
                digit = (int)(k[0] & (ulong)(window - 1));
                if (digit >= half)
                {
                    digit -= window;
                }

                SubtractSmall(k, digit);
            }

            digits[position] = (sbyte)digit;
            position++;
            if (digit != 0)
            {
                length = position;
            }

            ShiftRightOne(k);
        }

        return length;
    }

    private static bool IsZero(ReadOnlySpan<ulong> k)
    {
        foreach (ulong w in k)
        {
            if (w != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static void SubtractSmall(Span<ulong> k, int digit)
    {
        if (digit >= 0)
        {
            ulong borrow = (ulong)digit;
            for (int i = 0; i < k.Length && borrow != 0; i++)
            {
                ulong before = k[i];
                k[i] = before - borrow;
                borrow = before < borrow ? 1UL : 0UL;
            }
        }
        else
        {
            ulong carry = (ulong)(-digit);
            for (int i = 0; i < k.Length && carry != 0; i++)
            {
                ulong sum = k[i] + carry;
                carry = sum < carry ? 1UL : 0UL;
                k[i] = sum;
            }
        }
    }

    private static void ShiftRightOne(Span<ulong> k)
    {
        for (int i = 0; i < k.Length - 1; i++)
        {
            k[i] = (k[i] >> 1) | (k[i + 1] << 63);
        }

        k[^1] >>= 1;
    }
}
