using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.IdentityCanister.Captchas;

/// <summary>
/// An endless byte stream from a seed: SHA-256(seed ‖ counter) blocks. Stands in for II's ChaCha20 RNG seeded from
/// raw_rand; what matters is that equal seeds give equal bytes on every replica.
/// </summary>
internal sealed class DeterministicBytes(ReadOnlySpan<byte> seed)
{
    private readonly byte[] _seed = seed.ToArray();
    private readonly byte[] _block = new byte[32];
    private uint _counter;
    private int _used = 32;

    /// <summary>The next byte.</summary>
    public byte NextByte()
    {
        if (_used == 32)
        {
            byte[] input = new byte[_seed.Length + 4];
            _seed.CopyTo(input, 0);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(_seed.Length), _counter++);
            Sha256.HashData(input, _block);
            _used = 0;
        }

        return _block[_used++];
    }

    /// <summary>A uniform number in [0, bound) (rejection sampling on one or two bytes).</summary>
    public int Next(int bound)
    {
        if (bound is <= 0 or > 65_536)
        {
            throw new ArgumentOutOfRangeException(nameof(bound));
        }

        int range = bound <= 256 ? 256 : 65_536;
        int limit = range - (range % bound);
        while (true)
        {
            int v = range == 256 ? NextByte() : (NextByte() << 8) | NextByte();
            if (v < limit)
            {
                return v % bound;
            }
        }
    }
}
