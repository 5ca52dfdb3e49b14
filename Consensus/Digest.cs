using System.Buffers.Binary;

namespace InternetIdentity.Consensus;

/// <summary>A SHA-256 digest held as four words, so the core can key dictionaries by block hash cheaply.</summary>
public readonly record struct Digest(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>Reads a digest from exactly 32 bytes.</summary>
    public static Digest FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32)
        {
            throw new ArgumentException($"a digest is 32 bytes, got {bytes.Length}", nameof(bytes));
        }
        return new Digest(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    /// <summary>SHA-256 of the given bytes.</summary>
    public static Digest Sha256(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        ThresholdSigning.Hashing.Sha256.HashData(data, hash);
        return FromBytes(hash);
    }

    /// <summary>The 32 digest bytes.</summary>
    public byte[] ToBytes()
    {
        byte[] bytes = new byte[32];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Writes the 32 digest bytes to the start of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, A);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], D);
    }

    /// <summary>Lower-case hex, as the IC prints hashes.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToBytes());

    /// <summary>The first eight hex digits, for traces.</summary>
    public string Short => A.ToString("x16")[..8];

    /// <summary>Deterministic across processes (unlike HashCode.Combine), so pool iteration order is too.</summary>
    public override int GetHashCode() => (int)(A ^ (A >> 32));

    /// <summary>Orders digests as their big-endian bytes do.</summary>
    public static IComparer<Digest> Order { get; } = Comparer<Digest>.Create(static (a, b) =>
        a.A != b.A ? a.A.CompareTo(b.A) : a.B != b.B ? a.B.CompareTo(b.B) : a.C != b.C ? a.C.CompareTo(b.C) : a.D.CompareTo(b.D));

    /// <summary>Word-wise equality.</summary>
    public bool Equals(Digest other) => A == other.A && B == other.B && C == other.C && D == other.D;
}
