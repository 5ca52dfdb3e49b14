using System.Security.Cryptography;
using System.Text;
using InternetIdentity.IdentityCanister.Core;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using static InternetIdentity.IdentityCanister.Tests.CanisterHarness;
using static InternetIdentity.IdentityCanister.Tests.RegistrationTests;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>Checklist items 24-29 and the certified delegation round trip.</summary>
public class DelegationTests
{
    private const string Origin = "https://some-dapp.com";
    private const ulong Minute = 60_000_000_000;
    private static readonly DeviceData Device1 = Device("test", credentialId: "credential id 1");
    private static readonly SubnetCertifier Subnet = new();

    private static (CanisterHarness H, ulong Anchor, Principal P) Setup()
    {
        var h = new CanisterHarness(captcha: false);
        return (h, h.Register(Device1), PrincipalOf(Device1));
    }

    internal static (byte[] UserKey, ulong Expiration) Prepare(CanisterHarness h, Principal p, ulong anchor, string origin, byte[] sessionKey, ulong? ttl = null)
    {
        CallResult r = h.Update(p, "prepare_delegation", V.Nat64(anchor), V.Text(origin), V.Blob(sessionKey), ttl is { } t ? V.Some(V.Nat64(t)) : V.None);
        Assert.That(r.IsReject, Is.False, r.RejectMessage);
        return (((CandidBlob)r.Values![0]).Bytes.ToArray(), U64(r.Values[1]));
    }

    internal static CandidValue Get(CanisterHarness h, Principal p, ulong anchor, string origin, byte[] sessionKey, ulong expiration)
    {
        h.Certificate = Subnet.Certify(h.Canister.CanisterId, h.Canister.CertifiedData, h.Now);
        return h.Query(p, "get_delegation", V.Nat64(anchor), V.Text(origin), V.Blob(sessionKey), V.Nat64(expiration)).Single;
    }

    private static (CandidRecord Delegation, byte[] Signature) Signed(CandidValue response)
    {
        var v = (CandidVariant)response;
        Assert.That(v.Label.Id, Is.EqualTo(CandidLabel.Hash("signed_delegation")), $"got {v}");
        var signed = (CandidRecord)v.Value;
        return ((CandidRecord)signed["delegation"], ((CandidBlob)signed["signature"]).Bytes.ToArray());
    }

    private static bool IsNoSuchDelegation(CandidValue response) =>
        ((CandidVariant)response).Label.Id == CandidLabel.Hash("no_such_delegation");

    [Test]
    public void PrepareDelegation_Expiry_DefaultThirtyMinutesOneHourHonouredThirtyOneDaysClamped()
    {
        var (h, anchor, p) = Setup();
        Assert.That(Prepare(h, p, anchor, Origin, [1]).Expiration, Is.EqualTo(h.Now + (30 * Minute)));
        Assert.That(Prepare(h, p, anchor, Origin, [2], 60 * Minute).Expiration, Is.EqualTo(h.Now + (60 * Minute)));
        Assert.That(Prepare(h, p, anchor, Origin, [3], 31 * 24 * 60 * Minute).Expiration, Is.EqualTo(h.Now + (30 * 24 * 60 * Minute)));
    }

    [Test]
    public void GetDelegation_CertifiedByThreeOfFourShares_VerifiesAgainstSubnetKey()
    {
        var (h, anchor, p) = Setup();
        byte[] session = Encoding.UTF8.GetBytes("session key");
        (byte[] userKey, ulong expiration) = Prepare(h, p, anchor, Origin, session);
        (CandidRecord delegation, byte[] signature) = Signed(Get(h, p, anchor, Origin, session, expiration));
        Assert.That(delegation["pubkey"], Is.EqualTo(V.Blob(session)));
        Assert.That(U64(delegation["expiration"]), Is.EqualTo(expiration));
        Assert.That(((CandidOpt)delegation["targets"]).HasValue, Is.False);

        byte[] message = Execution.DelegationMessage(session, expiration);
        var result = Subnet.VerifyCanisterSignature(userKey, message, signature);
        Assert.That(result.IsValid, Is.True, result.Reason);

        // The same signature does not cover another expiration, and another subnet's key does not accept it.
        Assert.That(Subnet.VerifyCanisterSignature(userKey, Execution.DelegationMessage(session, expiration + 1), signature).IsValid, Is.False);
        Assert.That(new SubnetCertifier("another subnet").VerifyCanisterSignature(userKey, message, signature).IsValid, Is.False);
    }

    [TestCase(0UL)]
    [TestCase(1_650_114_196_974_266_000UL)]
    [TestCase(ulong.MaxValue)]
    public void DelegationMessage_EqualsDomainSeparatedHashOfMap(ulong expiration)
    {
        byte[] session = Encoding.UTF8.GetBytes("MY PUBLIC KEY");
        byte[] expected = Protocol.RequestIds.DomainSeparators.Prefix(
            Protocol.RequestIds.DomainSeparators.RequestAuthDelegation,
            Protocol.RequestIds.RepresentationIndependentHash.Map(
                ("pubkey", Protocol.RequestIds.RepresentationIndependentHash.Blob(session)),
                ("expiration", Protocol.RequestIds.RepresentationIndependentHash.Nat(expiration))));
        Assert.That(Execution.DelegationMessage(session, expiration), Is.EqualTo(expected));
    }

    [Test]
    public void UserKey_IsCanisterSignatureDerOfIiSeed_ByteForByte()
    {
        var (h, anchor, p) = Setup();
        (byte[] userKey, _) = Prepare(h, p, anchor, Origin, [9]);
        byte[] salt = [.. h.Canister.State.Salt!.Value];
        byte[] buffer = [0x20, .. salt, 5, .. "10000"u8, (byte)Origin.Length, .. Encoding.UTF8.GetBytes(Origin)];
        byte[] seed = SHA256.HashData(buffer);
        byte[] expected =
        [
            0x30, 0x3C, 0x30, 0x0C, 0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x83, 0xB8, 0x43, 0x01, 0x02, 0x03, 0x2C, 0x00,
            0x0A, 0, 0, 0, 0, 0, 0, 0, 7, 1, 1, .. seed,
        ];
        Assert.That(userKey, Is.EqualTo(expected));
    }

    [Test]
    public void Pseudonyms_EqualGetPrincipal_DifferAcrossOriginsAndAnchors_EqualAcrossDevices()
    {
        var (h, anchor, p) = Setup();
        DeviceData second = Device("second device");
        h.Update(p, "add", V.Nat64(anchor), Dev(second));
        ulong otherAnchor = h.Register(Device("other person"));

        (byte[] key1, _) = Prepare(h, p, anchor, Origin, [1]);
        (byte[] key2, _) = Prepare(h, PrincipalOf(second), anchor, Origin, [2]);
        (byte[] keyOtherOrigin, _) = Prepare(h, p, anchor, "https://other-dapp.com", [3]);
        (byte[] keyOtherAnchor, _) = Prepare(h, PrincipalOf(Device("other person")), otherAnchor, Origin, [4]);

        Principal principal = ReadPrincipal(h.Query(p, "get_principal", V.Nat64(anchor), V.Text(Origin)).Single);
        Assert.That(principal, Is.EqualTo(Principal.SelfAuthenticating(key1)));
        Assert.That(key2, Is.EqualTo(key1));
        Assert.That(ReadPrincipal(h.Query(PrincipalOf(second), "get_principal", V.Nat64(anchor), V.Text(Origin)).Single), Is.EqualTo(principal));
        Assert.That(Principal.SelfAuthenticating(keyOtherOrigin), Is.Not.EqualTo(principal));
        Assert.That(Principal.SelfAuthenticating(keyOtherAnchor), Is.Not.EqualTo(principal));
    }

    private static Principal ReadPrincipal(CandidValue v) => Principal.FromBytes(((CandidPrincipalValue)v).Principal.Span);

    [Test]
    public void GetDelegation_SeveralPreparedThirtySecondsApart_AllRetrievableAndVerify()
    {
        var (h, anchor, p) = Setup();
        var prepared = new List<(string Origin, byte[] Session, byte[] UserKey, ulong Expiration)>();
        string[] origins = [Origin, "https://a.com", "https://b.com"];
        for (int i = 0; i < 3; i++)
        {
            byte[] session = [(byte)i, 1, 2];
            (byte[] key, ulong exp) = Prepare(h, p, anchor, origins[i], session);
            prepared.Add((origins[i], session, key, exp));
            h.Advance(TimeSpan.FromSeconds(30) / 2);
        }

        foreach (var (origin, session, key, exp) in prepared)
        {
            (_, byte[] signature) = Signed(Get(h, p, anchor, origin, session, exp));
            Assert.That(Subnet.VerifyCanisterSignature(key, Execution.DelegationMessage(session, exp), signature).IsValid, Is.True);
        }
    }

    [Test]
    public void GetDelegation_WrongExpiration_IsNoSuchDelegation()
    {
        var (h, anchor, p) = Setup();
        (_, ulong exp) = Prepare(h, p, anchor, Origin, [1]);
        Assert.That(IsNoSuchDelegation(Get(h, p, anchor, Origin, [1], exp + 1)), Is.True);
    }

    [Test]
    public void GetDelegation_AfterUpgrade_IsNoSuchDelegation()
    {
        var (h, anchor, p) = Setup();
        (_, ulong exp) = Prepare(h, p, anchor, Origin, [1]);
        h.Canister.Upgrade([]);
        Assert.That(IsNoSuchDelegation(Get(h, p, anchor, Origin, [1], exp)), Is.True);
    }

    [Test]
    public void GetDelegation_After30MinutesAndAnotherPrepare_IsPruned()
    {
        var (h, anchor, p) = Setup();
        (_, ulong exp) = Prepare(h, p, anchor, Origin, [1]);
        h.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        // II prunes only when a new signature is added: until then the old one is still served.
        Assert.That(IsNoSuchDelegation(Get(h, p, anchor, Origin, [1], exp)), Is.False);
        Prepare(h, p, anchor, Origin, [2]);
        Assert.That(IsNoSuchDelegation(Get(h, p, anchor, Origin, [1], exp)), Is.True);
    }

    [Test]
    public void SignatureMap_PrunesAtMostFiftyPerPrepare()
    {
        var (h, anchor, p) = Setup();
        for (int i = 0; i < 60; i++)
        {
            Prepare(h, p, anchor, Origin, [(byte)i]);
        }

        h.Advance(TimeSpan.FromSeconds(61));
        Prepare(h, p, anchor, Origin, [200]);
        Assert.That(h.Canister.State.Signatures.Count, Is.EqualTo(11));
        Prepare(h, p, anchor, Origin, [201]);
        Assert.That(h.Canister.State.Signatures.Count, Is.EqualTo(2));
    }

    [Test]
    public void AnchorsFromBeforeUpgrade_StillWork()
    {
        var (h, anchor, p) = Setup();
        h.Update(p, "init_salt");
        Principal before = ReadPrincipal(h.Query(p, "get_principal", V.Nat64(anchor), V.Text(Origin)).Single);
        h.Canister.Upgrade(InitArg(range: null, captcha: false, rateLimit: null, maxUnsolvedCaptchas: 500));
        DeviceData second = Device("after upgrade");
        Assert.That(h.Update(p, "add", V.Nat64(anchor), Dev(second)).IsReject, Is.False);
        Assert.That(h.Update(p, "remove", V.Nat64(anchor), Key(second)).IsReject, Is.False);
        (byte[] key, ulong exp) = Prepare(h, p, anchor, Origin, [7]);
        Assert.That(Principal.SelfAuthenticating(key), Is.EqualTo(before));
        (_, byte[] signature) = Signed(Get(h, p, anchor, Origin, [7], exp));
        Assert.That(Subnet.VerifyCanisterSignature(key, Execution.DelegationMessage([7], exp), signature).IsValid, Is.True);
    }

    [Test]
    public void Upgrade_RangeNotStartingAtSameNumber_IsRefused()
    {
        var (h, _, _) = Setup();
        Assert.Throws<ArgumentException>(() => h.Canister.Upgrade(InitArg(range: (20_000, 30_000), captcha: false, rateLimit: null, maxUnsolvedCaptchas: 500)));
    }

    [Test]
    public void PrepareDelegation_FrontendLongerThan255Bytes_Traps()
    {
        var (h, anchor, p) = Setup();
        CallResult r = h.Update(p, "prepare_delegation", V.Nat64(anchor), V.Text(new string('a', 256)), V.Blob([1]), V.None);
        AssertTrap(r, "frontend hostname 256 exceeds the limit of 255 bytes");
    }

    [Test]
    public void GetDelegation_AsUpdateCallWithoutCertificate_Traps()
    {
        var (h, anchor, p) = Setup();
        (_, ulong exp) = Prepare(h, p, anchor, Origin, [1]);
        CallResult r = h.Update(p, "get_delegation", V.Nat64(anchor), V.Text(Origin), V.Blob([1]), V.Nat64(exp));
        AssertTrap(r, "NoCertificate");
    }

    [Test]
    public void CertifiedData_ChangesWithPrepare_AndIsForkOfAssetsAndSigLabel()
    {
        var (h, anchor, p) = Setup();
        byte[] empty = h.Canister.CertifiedData;
        Prepare(h, p, anchor, Origin, [1]);
        Assert.That(h.Canister.CertifiedData, Is.Not.EqualTo(empty));
        byte[] expected = Protocol.HashTrees.HashTree.HashForkDigests(
            h.Canister.Assets.RootHash,
            Protocol.HashTrees.HashTree.HashLabeledDigest("sig"u8, h.Canister.State.Signatures.Root!.ToHashTree().Digest));
        Assert.That(h.Canister.CertifiedData, Is.EqualTo(expected));
    }

    [Test]
    public void GetPrincipal_SaltNotSet_Traps()
    {
        var (h, anchor, p) = Setup();
        AssertTrap(h.Query(p, "get_principal", V.Nat64(anchor), V.Text(Origin)), "Salt is not set. Try calling init_salt() to set it");
        Assert.That(h.Update(p, "init_salt").IsReject, Is.False);
        AssertTrap(h.Update(p, "init_salt"), "Salt already set");
        Assert.That(h.Query(p, "get_principal", V.Nat64(anchor), V.Text(Origin)).IsReject, Is.False);
    }
}
