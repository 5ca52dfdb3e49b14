using System.Text.Json;
using CsCheck;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Tests.Support;

namespace InternetIdentity.Protocol.Tests.Principals;

public class PrincipalTests
{
    private static readonly JsonElement s_vectors = IcVectors.Json("principals.json");

    private static IEnumerable<TestCaseData> TextVectors() =>
        s_vectors.GetProperty("vectors").EnumerateArray()
            .Where(v => v.Str("hex").Length / 2 <= Principal.MaxLength)
            .Select(v => new TestCaseData(v.Str("hex"), v.Str("text")).SetName("Text_" + v.Str("text")));

    [TestCaseSource(nameof(TextVectors))]
    public void ToStringAndParse_Vector_RoundTrip(string hex, string text)
    {
        Principal p = Principal.FromBytes(Convert.FromHexString(hex));
        Assert.That(p.ToString(), Is.EqualTo(text));
        Assert.That(Principal.Parse(text), Is.EqualTo(p));
    }

    [Test]
    public void FromBytes_ThirtyTwoBytes_Throws()
    {
        // agent-js prints a 32-byte blob as text, but principals have at most 29 bytes.
        Assert.Throws<ArgumentException>(() => Principal.FromBytes(new byte[32]));
    }

    private static IEnumerable<TestCaseData> InvalidTexts() =>
        s_vectors.GetProperty("invalid_text").EnumerateArray().Select(v => new TestCaseData(v.Str("text")).SetName("Invalid_" + v.Str("error")));

    [TestCaseSource(nameof(InvalidTexts))]
    public void Parse_InvalidText_ThrowsPrincipalFormatException(string text)
    {
        Assert.Throws<PrincipalFormatException>(() => Principal.Parse(text));
        Assert.That(Principal.TryParse(text, out _), Is.False);
    }

    [Test]
    public void Parse_UpperCase_Accepted()
    {
        Assert.That(Principal.Parse("AAAAA-AA"), Is.EqualTo(Principal.ManagementCanister));
    }

    [Test]
    public void WellKnown_Principals_HaveSpecText()
    {
        Assert.That(Principal.Anonymous.ToString(), Is.EqualTo("2vxsx-fae"));
        Assert.That(Principal.Anonymous.IsAnonymous, Is.True);
        Assert.That(Principal.ManagementCanister.ToString(), Is.EqualTo("aaaaa-aa"));
    }

    [Test]
    public void SelfAuthenticating_Vectors_Match()
    {
        foreach (JsonElement v in s_vectors.GetProperty("self_authenticating").EnumerateArray())
        {
            Principal p = Principal.SelfAuthenticating(v.Hex("der_pubkey_hex"));
            Assert.That(p.ToString(), Is.EqualTo(v.Str("text")));
            Assert.That(p.IsSelfAuthenticating, Is.True);
            if (v.TryGetProperty("principal_hex", out JsonElement hex))
            {
                Assert.That(p.ToHex(), Is.EqualTo(hex.GetString()));
            }
        }
    }

    [Test]
    public void CanisterId_U64Vectors_Match()
    {
        foreach (JsonElement v in s_vectors.GetProperty("canister_ids_u64").EnumerateArray())
        {
            ulong n = v.GetProperty("u64").GetUInt64();
            Principal p = Principal.CanisterId(n);
            Assert.That(p.ToString(), Is.EqualTo(v.Str("text")));
            Assert.That(p.ToHex(), Is.EqualTo(v.Str("hex")));
            Assert.That(Principal.Parse(v.Str("text")).CanisterIndex, Is.EqualTo(n));
        }
    }

    [Test]
    public void CompareTo_ShorterPrefix_SortsFirst()
    {
        Principal a = Principal.FromBytes([1, 2]);
        Principal b = Principal.FromBytes([1, 2, 0]);
        Principal c = Principal.FromBytes([1, 3]);
        Assert.That(a.CompareTo(b), Is.LessThan(0));
        Assert.That(b.CompareTo(c), Is.LessThan(0));
        Assert.That(Principal.CanisterId(1).CompareTo(Principal.CanisterId(256)), Is.LessThan(0));
    }

    [Test]
    public void Parse_FlippedChecksumCharacter_Fails()
    {
        Assert.That(Principal.TryParse("rdmx6-jaaaa-aaaaa-aaadq-cai", out _), Is.True);
        Assert.That(Principal.TryParse("rdmx7-jaaaa-aaaaa-aaadq-cai", out _, out string? error), Is.False);
        Assert.That(error, Does.Contain("checksum"));
    }

    [Test]
    public void TextRoundTrip_RandomBytes_Holds()
    {
        Gen.Byte.Array[0, 29].Sample(bytes =>
        {
            Principal p = Principal.FromBytes(bytes);
            return Principal.Parse(p.ToString()) == p && Principal.Parse(p.ToString().ToUpperInvariant()) == p;
        });
    }

    [Test]
    public void TryParse_RandomText_NeverThrows()
    {
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz234567-ABC01!"], 0, 70].Sample(text =>
        {
            bool ok = Principal.TryParse(text, out Principal? p);
            return !ok || string.Equals(p!.ToString(), text, StringComparison.OrdinalIgnoreCase);
        });
    }
}
