using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.HashToCurve;

namespace InternetIdentity.ThresholdSigning.Tests.HashToCurve;

public class HashToFieldTests
{
    private static IEnumerable<Rfc9380Vectors.Case> G1Ro() => Rfc9380Vectors.Cases(Rfc9380Vectors.G1Ro);

    private static IEnumerable<Rfc9380Vectors.Case> G1Nu() => Rfc9380Vectors.Cases(Rfc9380Vectors.G1Nu);

    private static IEnumerable<Rfc9380Vectors.Case> G2Ro() => Rfc9380Vectors.Cases(Rfc9380Vectors.G2Ro);

    private static string[] ExpectedU(Rfc9380Vectors.Case c) =>
        c.Vector.GetProperty("u").EnumerateArray().Select(e => e.GetString()!).ToArray();

    [TestCaseSource(nameof(G1Ro))]
    public void HashToFp_G1RoVector_MatchesU(Rfc9380Vectors.Case c)
    {
        var u = new Fp[2];
        HashToField.HashToFp(c.Message, c.DstBytes, u);

        Assert.That(u, Is.EqualTo(ExpectedU(c).Select(Rfc9380Vectors.ParseFp).ToArray()));
    }

    [TestCaseSource(nameof(G1Nu))]
    public void HashToFp_G1NuVector_MatchesU(Rfc9380Vectors.Case c)
    {
        var u = new Fp[1];
        HashToField.HashToFp(c.Message, c.DstBytes, u);

        Assert.That(u[0], Is.EqualTo(Rfc9380Vectors.ParseFp(ExpectedU(c)[0])));
    }

    [TestCaseSource(nameof(G2Ro))]
    public void HashToFp2_G2RoVector_MatchesU(Rfc9380Vectors.Case c)
    {
        var u = new Fp2[2];
        HashToField.HashToFp2(c.Message, c.DstBytes, u);

        Assert.That(u, Is.EqualTo(ExpectedU(c).Select(Rfc9380Vectors.ParseFp2).ToArray()));
    }

    [Test]
    public void HashToFp_TooManyElements_Throws()
    {
        // 128 elements need 8192 bytes, above expand_message_xmd's 8160.
        Assert.That(() => HashToField.HashToFp("abc"u8, "DST"u8, new Fp[128]), Throws.ArgumentException);
        Assert.That(() => HashToField.HashToFp2("abc"u8, "DST"u8, new Fp2[64]), Throws.ArgumentException);
    }

    [Test]
    public void HashToFp_MaximumCount_Succeeds()
    {
        var u = new Fp[127];
        HashToField.HashToFp("abc"u8, "DST"u8, u);

        Assert.That(u.Distinct().Count(), Is.EqualTo(127));
    }
}
