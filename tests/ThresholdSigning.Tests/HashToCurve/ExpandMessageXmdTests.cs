using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InternetIdentity.ThresholdSigning.HashToCurve;

namespace InternetIdentity.ThresholdSigning.Tests.HashToCurve;

public class ExpandMessageXmdTests
{
    private static IEnumerable<TestCaseData> Vectors()
    {
        foreach (string file in new[] { "expand_message_xmd_SHA256_38.json", "expand_message_xmd_SHA256_256.json" })
        {
            JsonElement root = Rfc9380Vectors.Load(file);
            string dst = root.GetProperty("DST").GetString()!;
            int i = 0;
            foreach (JsonElement t in root.GetProperty("tests").EnumerateArray())
            {
                yield return new TestCaseData(dst, t).SetArgDisplayNames($"{file}#{i++}");
            }
        }
    }

    private static int ParseLength(JsonElement t) =>
        Convert.ToInt32(t.GetProperty("len_in_bytes").GetString()!, 16);

    [TestCaseSource(nameof(Vectors))]
    public void Expand_RfcVector_MatchesUniformBytes(string dst, JsonElement t)
    {
        byte[] msg = Encoding.UTF8.GetBytes(t.GetProperty("msg").GetString()!);
        byte[] output = ExpandMessageXmd.Expand(msg, Encoding.UTF8.GetBytes(dst), ParseLength(t));

        Assert.That(Convert.ToHexStringLower(output), Is.EqualTo(t.GetProperty("uniform_bytes").GetString()));
    }

    [TestCaseSource(nameof(Vectors))]
    public void WriteDstPrime_RfcVector_MatchesDstPrime(string dst, JsonElement t)
    {
        var buffer = new byte[256];
        int length = ExpandMessageXmd.WriteDstPrime(Encoding.UTF8.GetBytes(dst), buffer);

        Assert.That(Convert.ToHexStringLower(buffer.AsSpan(0, length)), Is.EqualTo(t.GetProperty("DST_prime").GetString()));
    }

    [TestCaseSource(nameof(Vectors))]
    public void ComputeB0_RfcVector_HashesMsgPrime(string dst, JsonElement t)
    {
        byte[] msg = Encoding.UTF8.GetBytes(t.GetProperty("msg").GetString()!);
        byte[] dstPrime = Convert.FromHexString(t.GetProperty("DST_prime").GetString()!);
        var b0 = new byte[32];
        ExpandMessageXmd.ComputeB0(msg, dstPrime, ParseLength(t), b0);

        byte[] expected = SHA256.HashData(Convert.FromHexString(t.GetProperty("msg_prime").GetString()!));
        Assert.That(b0, Is.EqualTo(expected));
    }

    [Test]
    public void Expand_LargeMessage_UsesPooledBufferAndMatchesSpanOverload()
    {
        // Over the stack limit: msg_prime is built in a pooled array; both overloads must agree.
        byte[] msg = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        byte[] dst = "QUUX-V01-CS02-with-expander-SHA256-128"u8.ToArray();
        byte[] a = ExpandMessageXmd.Expand(msg, dst, 96);
        var b = new byte[96];
        ExpandMessageXmd.Expand(msg, dst, b);
        byte[] prefix = ExpandMessageXmd.Expand(msg, dst, 32);

        Assert.That(a, Is.EqualTo(b));
        // The output length is bound into b_0, so a shorter output is not a prefix of a longer one.
        Assert.That(a.AsSpan(0, 32).SequenceEqual(prefix), Is.False);
    }

    [Test]
    public void Expand_MaximumLength_Succeeds()
    {
        byte[] output = ExpandMessageXmd.Expand("abc"u8, "DST"u8, ExpandMessageXmd.MaxOutputBytes);

        Assert.That(output, Has.Length.EqualTo(255 * 32));
        Assert.That(output.AsSpan(output.Length - 32).ContainsAnyExcept((byte)0), Is.True);
    }

    [TestCase(255 * 32 + 1)]
    [TestCase(65536)]
    [TestCase(-1)]
    public void Expand_LengthOutOfRange_Throws(int length)
    {
        Assert.That(() => ExpandMessageXmd.Expand("abc"u8, "DST"u8, length), Throws.ArgumentException);
    }

    [Test]
    public void Expand_SpanTooLong_Throws()
    {
        Assert.That(() => ExpandMessageXmd.Expand("abc"u8, "DST"u8, new byte[255 * 32 + 1]), Throws.ArgumentException);
    }

    [Test]
    public void Expand_EmptyDst_Throws()
    {
        Assert.That(() => ExpandMessageXmd.Expand("abc"u8, ReadOnlySpan<byte>.Empty, 32), Throws.ArgumentException);
    }

    [Test]
    public void Expand_Dst255And256Bytes_OnlyTheLongerIsHashed()
    {
        var dst255 = new byte[255];
        var dst256 = new byte[256];
        var prime = new byte[256];

        Assert.That(ExpandMessageXmd.WriteDstPrime(dst255, prime), Is.EqualTo(256));
        Assert.That(prime[255], Is.EqualTo(255));
        Assert.That(ExpandMessageXmd.WriteDstPrime(dst256, prime), Is.EqualTo(33));
        byte[] expected = SHA256.HashData([.. "H2C-OVERSIZE-DST-"u8, .. dst256]);
        Assert.That(prime.AsSpan(0, 32).ToArray(), Is.EqualTo(expected));
        Assert.That(prime[32], Is.EqualTo(32));
    }
}
