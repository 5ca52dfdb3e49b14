using System.Collections.Immutable;

namespace InternetIdentity.Consensus.Messages;

/// <summary>
/// A block: its height, notarized parent, maker and rank, time, and ingress payload. Its hash is cached. The time is
/// milliseconds (what consensus reasons in) plus the nanoseconds within the millisecond (what execution adds), so a
/// canister's time has the IC's nanosecond resolution; a block with no sub-millisecond part encodes and hashes as before.
/// </summary>
public sealed class Block
{
    /// <summary>Nanoseconds in a millisecond.</summary>
    public const long NanosPerMs = 1_000_000;

    /// <summary>Creates a block and computes its hash; <paramref name="timeSubMsNanos"/> must lie in 0..999 999.</summary>
    public Block(long height, byte[] parentHash, int maker, int rank, long timeMs, ImmutableArray<IngressMessage> payload, int timeSubMsNanos = 0)
    {
        ArgumentNullException.ThrowIfNull(parentHash);
        if ((uint)timeSubMsNanos >= NanosPerMs)
        {
            throw new ArgumentException($"the nanoseconds within the block's millisecond must lie in 0..{NanosPerMs - 1}, not {timeSubMsNanos}", nameof(timeSubMsNanos));
        }

        TimeSubMsNanos = timeSubMsNanos;
        Height = height;
        ParentHash = parentHash;
        Maker = maker;
        Rank = rank;
        TimeMs = timeMs;
        Payload = payload.IsDefault ? [] : payload;
        var w = new CanonicalWriter();
        Write(w);
        Hash = Digest.Sha256(w.ToArray());
        PayloadBytes = Payload.Sum(m => m.Size);
        Parent = parentHash.Length == 32 ? Digest.FromBytes(parentHash) : default;
    }

    /// <summary>Height in the chain; genesis is 0.</summary>
    public long Height { get; }

    /// <summary>Hash of the parent block at Height-1.</summary>
    public byte[] ParentHash { get; }

    /// <summary>Index of the replica that made the block.</summary>
    public int Maker { get; }

    /// <summary>The maker's rank at this height (0 = first choice).</summary>
    public int Rank { get; }

    /// <summary>Block time in milliseconds; execution uses it as the canister's time.</summary>
    public long TimeMs { get; }

    /// <summary>The nanoseconds of the block time within its millisecond (0..999 999).</summary>
    public int TimeSubMsNanos { get; }

    /// <summary>Block time in nanoseconds since the epoch (negative only for a faulty maker's time).</summary>
    public long TimeNanos => (TimeMs * NanosPerMs) + TimeSubMsNanos;

    /// <summary>Ingress messages, in execution order.</summary>
    public ImmutableArray<IngressMessage> Payload { get; }

    /// <summary>SHA-256 of the canonical encoding.</summary>
    public Digest Hash { get; }

    /// <summary>The parent hash as a digest.</summary>
    public Digest Parent { get; }

    /// <summary>Total payload bytes.</summary>
    public int PayloadBytes { get; }

    /// <summary>The genesis block of a subnet.</summary>
    public static Block Genesis(byte[] seed) => new(0, seed, -1, 0, 0, []);

    internal void Write(CanonicalWriter w)
    {
        w.Byte(MessageTags.Block);
        w.Int64(Height);
        w.Bytes(ParentHash);
        w.Int64(Maker);
        w.Int64(Rank);
        w.Int64(TimeMs);
        w.List(Payload, static (x, m) => m.Write(x));
        if (TimeSubMsNanos != 0)
        {
            w.Int64(TimeSubMsNanos); // only then: blocks of whole milliseconds keep the hashes they were signed with
        }
    }
}
