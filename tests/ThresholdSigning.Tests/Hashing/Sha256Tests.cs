using System.Text;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.ThresholdSigning.Tests.Hashing;

public class Sha256Tests
{
    // FIPS 180-2 appendix B and the NIST example values.
    private static readonly (string Message, string Digest)[] s_vectors =
    [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ];

    private const string MillionAsDigest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 131 + 7)).ToArray();

    [Test]
    public void IsNative_OnLinux_IsTrue()
    {
        // libcrypto.so.3 is what .NET's crypto loads here; if the binding stops resolving, hashes silently take the slow path.
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("the native path is Linux-only");
        }

        Assert.That(Sha256.IsNative, Is.True);
    }

    [Test]
    public void HashData_FipsVectors_MatchPublishedDigests()
    {
        foreach ((string message, string digest) in s_vectors)
        {
            Assert.That(Convert.ToHexStringLower(Sha256.HashData(Encoding.ASCII.GetBytes(message))), Is.EqualTo(digest), message);
        }
    }

    [Test]
    public void HashData_OneMillionA_MatchesPublishedDigest()
    {
        byte[] message = new byte[1_000_000];
        message.AsSpan().Fill((byte)'a');
        Assert.That(Convert.ToHexStringLower(Sha256.HashData(message)), Is.EqualTo(MillionAsDigest));
    }

    [Test]
    public void HashData_EveryLengthUpTo300_MatchesSystemSha256()
    {
        byte[] data = Pattern(300);
        Span<byte> destination = stackalloc byte[32];
        for (int length = 0; length <= 300; length++)
        {
            byte[] expected = System.Security.Cryptography.SHA256.HashData(data.AsSpan(0, length));
            Assert.That(Sha256.HashData(data.AsSpan(0, length)), Is.EqualTo(expected), $"length {length}");
            Assert.That(Sha256.HashData(data.AsSpan(0, length), destination), Is.EqualTo(32));
            Assert.That(destination.ToArray(), Is.EqualTo(expected), $"length {length} into a span");
        }
    }

    [Test]
    public void HashData_LongInputs_MatchSystemSha256()
    {
        // Above 1 KiB the update takes the call with a GC transition.
        foreach (int length in new[] { 1023, 1024, 1025, 4096, 65_537 })
        {
            byte[] data = Pattern(length);
            Assert.That(Sha256.HashData(data), Is.EqualTo(System.Security.Cryptography.SHA256.HashData(data)), $"length {length}");
        }
    }

    [Test]
    public void HashData_DestinationOverlapsSource_WritesDigestOfOriginalSource()
    {
        byte[] buffer = Pattern(64);
        byte[] expected = System.Security.Cryptography.SHA256.HashData(buffer);
        Sha256.HashData(buffer, buffer.AsSpan(16));
        Assert.That(buffer.AsSpan(16, 32).ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void HashData_DestinationTooShort_Throws()
    {
        byte[] destination = new byte[31];
        Assert.Throws<ArgumentException>(() => Sha256.HashData("abc"u8, destination));
    }

    [Test]
    public void HashData_LargerDestination_WritesOnlyTheFirst32Bytes()
    {
        byte[] destination = Enumerable.Repeat((byte)0xee, 40).ToArray();
        Assert.That(Sha256.HashData("abc"u8, destination), Is.EqualTo(32));
        Assert.That(Convert.ToHexStringLower(destination.AsSpan(0, 32)), Is.EqualTo(s_vectors[1].Digest));
        Assert.That(destination.AsSpan(32).ToArray(), Is.All.EqualTo((byte)0xee));
    }

    [Test]
    public void GetHashAndReset_EverySplitPoint_MatchesOneShot()
    {
        byte[] data = Pattern(200);
        byte[] expected = System.Security.Cryptography.SHA256.HashData(data);
        for (int first = 0; first <= data.Length; first++)
        {
            for (int second = first; second <= data.Length; second += 37)
            {
                using var hasher = new Sha256Hasher();
                hasher.Append(data.AsSpan(0, first));
                hasher.Append(data.AsSpan(first, second - first));
                hasher.Append(data.AsSpan(second));
                Assert.That(hasher.GetHashAndReset(), Is.EqualTo(expected), $"split at {first}, {second}");
            }
        }
    }

    [Test]
    public void GetHashAndReset_CalledTwice_SecondDigestCoversOnlyNewData()
    {
        using var hasher = new Sha256Hasher();
        hasher.Append("ab"u8);
        hasher.Append("c"u8);
        byte[] first = hasher.GetHashAndReset();
        byte[] empty = hasher.GetHashAndReset();
        hasher.Append(Encoding.ASCII.GetBytes(s_vectors[2].Message));
        byte[] third = hasher.GetHashAndReset();
        Assert.That(Convert.ToHexStringLower(first), Is.EqualTo(s_vectors[1].Digest));
        Assert.That(Convert.ToHexStringLower(empty), Is.EqualTo(s_vectors[0].Digest));
        Assert.That(Convert.ToHexStringLower(third), Is.EqualTo(s_vectors[2].Digest));
    }

    [Test]
    public void GetHashAndReset_LongPartsAndMillionA_MatchPublishedDigest()
    {
        byte[] chunk = new byte[10_000];
        chunk.AsSpan().Fill((byte)'a');
        using var hasher = new Sha256Hasher();
        for (int i = 0; i < 100; i++)
        {
            hasher.Append(chunk);
        }

        Assert.That(Convert.ToHexStringLower(hasher.GetHashAndReset()), Is.EqualTo(MillionAsDigest));
    }

    [Test]
    public void GetHashAndReset_DestinationTooShort_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
        {
            using var hasher = new Sha256Hasher();
            hasher.Append("abc"u8);
            hasher.GetHashAndReset(new byte[16]);
        });
    }
}
