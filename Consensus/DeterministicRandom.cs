namespace InternetIdentity.Consensus;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small, fast, reproducible generator. The core and the simulator
/// take randomness only from seeds through this type, never from the runtime.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the generator; equal seeds give equal sequences on every platform.</summary>
    public DeterministicRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, bound).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0)
        {
            throw new ArgumentException("the bound must be positive", nameof(bound));
        }
        return (int)(NextUInt64() % (ulong)bound);
    }

    /// <summary>A uniform integer in [min, max].</summary>
    public long NextLong(long min, long max) => max <= min ? min : min + (long)(NextUInt64() % (ulong)(max - min + 1));

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability p.</summary>
    public bool Chance(double p) => p > 0 && NextDouble() < p;

    /// <summary>A random permutation of 0..n-1 (Fisher-Yates).</summary>
    public int[] Permutation(int n)
    {
        int[] items = new int[n];
        for (int i = 0; i < n; i++)
        {
            items[i] = i;
        }
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
