using System.Buffers.Binary;
using System.Security.Cryptography;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Tests;

/// <summary>Block time in nanoseconds: whole-millisecond blocks keep their old hash, the nanoseconds are part of a new one.</summary>
public class BlockTimeTests
{
    [Test]
    public void Hash_WholeMillisecond_SameAsTheEncodingWithoutNanoseconds()
    {
        var block = new Block(7, new byte[32], 2, 1, 1_700_000_000_123, []);

        // The encoding blocks had before they carried nanoseconds: tag, height, parent, maker, rank, time in ms, payload count.
        byte[] legacy = new byte[1 + 8 + 4 + 32 + 8 + 8 + 8 + 8];
        legacy[0] = MessageTags.Block;
        BinaryPrimitives.WriteInt64BigEndian(legacy.AsSpan(1), 7);
        BinaryPrimitives.WriteUInt32BigEndian(legacy.AsSpan(9), 32);
        BinaryPrimitives.WriteInt64BigEndian(legacy.AsSpan(45), 2);
        BinaryPrimitives.WriteInt64BigEndian(legacy.AsSpan(53), 1);
        BinaryPrimitives.WriteInt64BigEndian(legacy.AsSpan(61), 1_700_000_000_123);
        Assert.That(block.Hash.ToBytes(), Is.EqualTo(SHA256.HashData(legacy)));
        Assert.That(block.TimeNanos, Is.EqualTo(1_700_000_000_123_000_000));
    }

    [Test]
    public void Hash_SubMillisecondNanoseconds_ChangeTheHashAndTheTime()
    {
        var whole = new Block(7, new byte[32], 2, 1, 1_700_000_000_123, []);
        var fine = new Block(7, new byte[32], 2, 1, 1_700_000_000_123, [], 456_789);

        Assert.That(fine.Hash, Is.Not.EqualTo(whole.Hash));
        Assert.That(fine.TimeNanos, Is.EqualTo(1_700_000_000_123_456_789));
    }

    [TestCase(-1)]
    [TestCase(1_000_000)]
    public void Constructor_SubMillisecondOutOfRange_ThrowsArgumentException(int nanos)
    {
        ArgumentException? e = Assert.Throws<ArgumentException>(() => _ = new Block(1, new byte[32], 0, 0, 5, [], nanos));
        Assert.That(e!.Message, Does.Contain("0..999999"));
    }
}
