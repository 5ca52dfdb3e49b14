namespace InternetIdentity.Replica.Cluster;

/// <summary>
/// The frames one sender may still deliver: a newer epoch resets the window, an older one is over; within the epoch a
/// counter is fresh once, if above the highest seen or within <see cref="Size"/> below it (transport reordering between a
/// replica's actors). Not thread-safe: <see cref="FrameGate"/> locks it.
/// </summary>
internal sealed class ReplayWindow
{
    /// <summary>How many counters below the highest are still accepted once.</summary>
    public const int Size = 4096;

    private readonly ulong[] _seen = new ulong[Size / 64];
    private long _epoch = -1;
    private long _highest;

    /// <summary>Whether (<paramref name="epoch"/>, <paramref name="counter"/>) was not delivered yet and is not too old.</summary>
    public bool IsFresh(long epoch, long counter)
    {
        if (epoch != _epoch)
        {
            return epoch > _epoch;
        }

        if (counter > _highest)
        {
            return true;
        }

        return _highest - counter < Size && (_seen[Bit(counter) / 64] & (1UL << (Bit(counter) % 64))) == 0;
    }

    /// <summary>Records a delivered frame; false when it is not fresh.</summary>
    public bool Accept(long epoch, long counter)
    {
        if (!IsFresh(epoch, counter))
        {
            return false;
        }

        if (epoch != _epoch)
        {
            _epoch = epoch;
            _highest = counter;
            Array.Clear(_seen);
        }
        else if (counter > _highest)
        {
            for (long c = Math.Max(_highest + 1, counter - Size + 1); c <= counter; c++)
            {
                _seen[Bit(c) / 64] &= ~(1UL << (Bit(c) % 64)); // slots the window slides over are free again
            }

            _highest = counter;
        }

        _seen[Bit(counter) / 64] |= 1UL << (Bit(counter) % 64);
        return true;
    }

    private static int Bit(long counter) => (int)(counter % Size);
}
