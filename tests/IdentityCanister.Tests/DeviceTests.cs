using System.Text;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using static InternetIdentity.IdentityCanister.Tests.CanisterHarness;
using static InternetIdentity.IdentityCanister.Tests.RegistrationTests;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>Checklist items 11-21: device management.</summary>
public class DeviceTests
{
    private static readonly DeviceData Device1 = Device("test", credentialId: "credential id 1");

    private static (CanisterHarness H, ulong Anchor, Principal P) Setup()
    {
        var h = new CanisterHarness(captcha: false);
        return (h, h.Register(Device1), PrincipalOf(Device1));
    }

    private static IReadOnlyList<CandidValue> Devices(CanisterHarness h, Principal p, ulong anchor) =>
        ((CandidVec)((CandidRecord)h.Update(p, "get_anchor_info", V.Nat64(anchor)).Single)["devices"]).Elements;

    private static CandidRecord Credentials(CanisterHarness h, ulong anchor) =>
        (CandidRecord)h.Query(Principal.Anonymous, "get_anchor_credentials", V.Nat64(anchor)).Single;

    private static string Alias(CandidValue device) => ((CandidText)((CandidRecord)device)["alias"]).Value;

    private static DeviceData LargeDevice(int i) => new(
        [.. Enumerable.Repeat((byte)i, 300)], new string('a', 64), [.. Enumerable.Repeat((byte)i, 200)], null,
        Purpose.Authentication, KeyType.Unknown, DeviceProtection.Unprotected, "https://identity.internetcomputer.org",
        new MetadataMap([new("some key", new MetadataValue.Bytes([.. Enumerable.Repeat((byte)1, 92)]))]));

    [Test]
    public void Add_NewDevice_VisibleInAnchorInfoAndCredentials()
    {
        var (h, anchor, p) = Setup();
        DeviceData second = Device("second", credentialId: "cred 2");
        Assert.That(h.Update(p, "add", V.Nat64(anchor), Dev(second)).IsReject, Is.False);
        Assert.That(Devices(h, p, anchor), Has.Count.EqualTo(2));
        Assert.That(((CandidVec)Credentials(h, anchor)["credentials"]).Elements, Has.Count.EqualTo(2));
    }

    [Test]
    public void Add_ExistingPubkey_Traps()
    {
        var (h, anchor, p) = Setup();
        AssertTrap(h.Update(p, "add", V.Nat64(anchor), Dev(Device1)), $"Device with key {Convert.ToHexStringLower("test"u8)} already exists on this anchor.");
    }

    [Test]
    public void Add_SecondRecoveryPhrase_Traps()
    {
        var (h, anchor, p) = Setup();
        DeviceData phrase1 = Device("phrase 1", purpose: Purpose.Recovery, keyType: KeyType.SeedPhrase, origin: null);
        DeviceData phrase2 = Device("phrase 2", purpose: Purpose.Recovery, keyType: KeyType.SeedPhrase, origin: null);
        Assert.That(h.Update(p, "add", V.Nat64(anchor), Dev(phrase1)).IsReject, Is.False);
        AssertTrap(h.Update(p, "add", V.Nat64(anchor), Dev(phrase2)), "There is already a recovery phrase and only one is allowed.");
    }

    [Test]
    public void AnyOperation_OnSomeoneElsesAnchor_TrapsCouldNotBeAuthenticated()
    {
        var (h, anchor, _) = Setup();
        Principal stranger = PrincipalOf(Device("stranger"));
        string expected = $"{stranger} could not be authenticated.";
        AssertTrap(h.Update(stranger, "add", V.Nat64(anchor), Dev(Device("x"))), expected);
        AssertTrap(h.Update(stranger, "update", V.Nat64(anchor), Key(Device1), Dev(Device1 with { Alias = "x" })), expected);
        AssertTrap(h.Update(stranger, "remove", V.Nat64(anchor), Key(Device1)), expected);
        AssertTrap(h.Update(stranger, "get_anchor_info", V.Nat64(anchor)), expected);
        AssertTrap(h.Update(stranger, "prepare_delegation", V.Nat64(anchor), V.Text("https://dapp.com"), V.Blob("session"u8), V.None), expected);
        AssertTrap(h.Query(stranger, "get_delegation", V.Nat64(anchor), V.Text("https://dapp.com"), V.Blob("session"u8), V.Nat64(0)), expected);
        AssertTrap(h.Query(stranger, "get_principal", V.Nat64(anchor), V.Text("https://dapp.com")), expected);
    }

    [Test]
    public void Add_FourthLargeDevice_TrapsCumulativeSize()
    {
        var h = new CanisterHarness(captcha: false);
        ulong anchor = h.Register(LargeDevice(1));
        Principal p = PrincipalOf(LargeDevice(1));
        Assert.That(h.Update(p, "add", V.Nat64(anchor), Dev(LargeDevice(2))).IsReject, Is.False);
        Assert.That(h.Update(p, "add", V.Nat64(anchor), Dev(LargeDevice(3))).IsReject, Is.False);
        AssertTrap(h.Update(p, "add", V.Nat64(anchor), Dev(LargeDevice(4))), "Cumulative size of variable sized fields exceeds limit: length 2804, limit 2500.");
    }

    [Test]
    public void Add_EleventhDevice_TrapsDeviceLimit()
    {
        var (h, anchor, p) = Setup();
        for (int i = 0; i < 9; i++)
        {
            Assert.That(h.Update(p, "add", V.Nat64(anchor), Dev(Device("d" + i, alias: "a", origin: null))).IsReject, Is.False);
        }

        AssertTrap(h.Update(p, "add", V.Nat64(anchor), Dev(Device("d10", alias: "a", origin: null))), "Anchor device limit exceeded: num devices 11, limit 10");
    }

    [Test]
    public void Add_AliasOverLimit_TrapsWithFieldName()
    {
        var (h, anchor, p) = Setup();
        AssertTrap(h.Update(p, "add", V.Nat64(anchor), Dev(Device("x", alias: new string('b', 65)))), "alias limit exceeded: length 65, limit 64");
    }

    [Test]
    public void Update_Alias_IsChanged()
    {
        var (h, anchor, p) = Setup();
        Assert.That(h.Update(p, "update", V.Nat64(anchor), Key(Device1), Dev(Device1 with { Alias = "new alias" })).IsReject, Is.False);
        Assert.That(Alias(Devices(h, p, anchor)[0]), Is.EqualTo("new alias"));
    }

    [Test]
    public void Update_ChangingPubkey_Traps()
    {
        var (h, anchor, p) = Setup();
        AssertTrap(h.Update(p, "update", V.Nat64(anchor), Key(Device1), Dev(Device("other key"))), "Device key cannot be updated.");
    }

    [Test]
    public void Update_ProtectedSeedPhraseByItself_Works_ByOtherDevice_TrapsLocked()
    {
        var (h, anchor, p) = Setup();
        DeviceData phrase = Device("phrase", purpose: Purpose.Recovery, keyType: KeyType.SeedPhrase, protection: DeviceProtection.Protected, origin: null);
        Assert.That(h.Update(p, "add", V.Nat64(anchor), Dev(phrase)).IsReject, Is.False);
        Assert.That(h.Update(PrincipalOf(phrase), "update", V.Nat64(anchor), Key(phrase), Dev(phrase with { Alias = "mine" })).IsReject, Is.False);
        AssertTrap(h.Update(p, "update", V.Nat64(anchor), Key(phrase), Dev(phrase with { Alias = "theirs" })), "Device is locked. Must be authenticated with this device to mutate");
        AssertTrap(h.Update(p, "remove", V.Nat64(anchor), Key(phrase)), "Device is locked.");
    }

    [Test]
    public void GetAnchorCredentials_SplitsCredentialsRecoveryCredentialsAndPhrases_UnknownAnchorEmpty()
    {
        var (h, anchor, p) = Setup();
        h.Update(p, "add", V.Nat64(anchor), Dev(Device("recovery key", credentialId: "rc", purpose: Purpose.Recovery, keyType: KeyType.CrossPlatform)));
        h.Update(p, "add", V.Nat64(anchor), Dev(Device("phrase", purpose: Purpose.Recovery, keyType: KeyType.SeedPhrase, origin: null)));
        CandidRecord c = Credentials(h, anchor);
        Assert.That(((CandidVec)c["credentials"]).Elements, Has.Count.EqualTo(1));
        Assert.That(((CandidVec)c["recovery_credentials"]).Elements, Has.Count.EqualTo(1));
        Assert.That(((CandidVec)c["recovery_phrases"]).Elements.Single(), Is.EqualTo(V.Blob("phrase"u8)));
        CandidRecord empty = Credentials(h, 99_999);
        Assert.That(((CandidVec)empty["credentials"]).Elements.Count + ((CandidVec)empty["recovery_credentials"]).Elements.Count + ((CandidVec)empty["recovery_phrases"]).Elements.Count, Is.Zero);
    }

    [Test]
    public void Remove_LastDevice_LeavesAnchorWithoutCredentials()
    {
        var (h, anchor, p) = Setup();
        Assert.That(h.Update(p, "remove", V.Nat64(anchor), Key(Device1)).IsReject, Is.False);
        Assert.That(((CandidVec)Credentials(h, anchor)["credentials"]).Elements, Is.Empty);
        AssertTrap(h.Update(p, "get_anchor_info", V.Nat64(anchor)), "could not be authenticated.");
    }

    [Test]
    public void Remove_UnknownDevice_TrapsNotFound()
    {
        var (h, anchor, p) = Setup();
        AssertTrap(h.Update(p, "remove", V.Nat64(anchor), V.Blob("nope"u8)), $"failed to remove device: Device with key {Convert.ToHexStringLower("nope"u8)} not found.");
    }

    [Test]
    public void Replace_SwapsDevice_NewDeviceAuthenticates()
    {
        var (h, anchor, p) = Setup();
        DeviceData fresh = Device("fresh", credentialId: "fresh cred");
        Assert.That(h.Update(p, "replace", V.Nat64(anchor), Key(Device1), Dev(fresh)).IsReject, Is.False);
        IReadOnlyList<CandidValue> devices = Devices(h, PrincipalOf(fresh), anchor);
        Assert.That(devices, Has.Count.EqualTo(1));
        Assert.That(((CandidRecord)devices[0])["pubkey"], Is.EqualTo(V.Blob("fresh"u8)));
        AssertTrap(h.Update(p, "get_anchor_info", V.Nat64(anchor)), "could not be authenticated.");
    }

    [Test]
    public void Metadata_RoundTrips()
    {
        var (h, anchor, p) = Setup();
        var metadata = new MetadataMap([
            new("some_key", new MetadataValue.String("some value")),
            new("nested", new MetadataValue.Map(new MetadataMap([new("bytes", new MetadataValue.Bytes([1, 2, 3]))]))),
        ]);
        DeviceData d = Device("with metadata", metadata: metadata);
        h.Update(p, "add", V.Nat64(anchor), Dev(d));
        CandidValue stored = ((CandidRecord)Devices(h, p, anchor)[1])["metadata"];
        Assert.That(stored, Is.EqualTo(V.Some(Candid.DidValues.MetadataOf(metadata, v2: false))));
    }

    [TestCase("pubkey")]
    [TestCase("alias")]
    [TestCase("credential_id")]
    [TestCase("purpose")]
    [TestCase("key_type")]
    [TestCase("protection")]
    [TestCase("origin")]
    [TestCase("last_usage_timestamp")]
    [TestCase("metadata")]
    [TestCase("usage")]
    [TestCase("authenticator_attachment")]
    public void Metadata_ReservedKey_Traps(string key)
    {
        var (h, anchor, p) = Setup();
        DeviceData d = Device("with metadata", metadata: new MetadataMap([new(key, new MetadataValue.String("x"))]));
        AssertTrap(h.Update(p, "add", V.Nat64(anchor), Dev(d)), $"Metadata key '{key}' is reserved and cannot be used.");
    }

    [Test]
    public void Lookup_EqualsAnchorInfoDevicesWithAliasCleared()
    {
        var (h, anchor, p) = Setup();
        IReadOnlyList<CandidValue> looked = ((CandidVec)h.Query(Principal.Anonymous, "lookup", V.Nat64(anchor)).Single).Elements;
        var info = (CandidRecord)Devices(h, p, anchor)[0];
        var l = (CandidRecord)looked.Single();
        Assert.That(Alias(l), Is.Empty);
        foreach (string field in new[] { "pubkey", "credential_id", "purpose", "key_type", "protection", "origin" })
        {
            Assert.That(l[field], Is.EqualTo(info[field]), field);
        }

        Assert.That(((CandidVec)h.Query(Principal.Anonymous, "lookup", V.Nat64(12_345)).Single).Elements, Is.Empty);
    }

    [Test]
    public void LookupDeviceKey_ByCredentialId_FindsPubkeyAndAnchor()
    {
        var (h, anchor, _) = Setup();
        var found = (CandidRecord)((CandidOpt)h.Query(Principal.Anonymous, "lookup_device_key", V.Blob("credential id 1"u8)).Single).Value!;
        Assert.That(found["pubkey"], Is.EqualTo(V.Blob("test"u8)));
        Assert.That(U64(found["anchor_number"]), Is.EqualTo(anchor));
        Assert.That(((CandidOpt)h.Query(Principal.Anonymous, "lookup_device_key", V.Blob("unknown"u8)).Single).HasValue, Is.False);
    }

    [Test]
    public void GetAnchorInfo_UnknownAnchor_TrapsOutOfRangeOrBad()
    {
        var (h, _, p) = Setup();
        AssertTrap(h.Update(p, "get_anchor_info", V.Nat64(5)), "Identity Anchor 5 is out of range [10000, 67116816)");
        AssertTrap(h.Update(p, "get_anchor_info", V.Nat64(10_001)), "bad Identity Anchor 10001");
    }

    [Test]
    public void UnknownMethod_IsRejectedWithDestinationInvalid()
    {
        var h = new CanisterHarness();
        var ctx = new Core.CallContext(Principal.Anonymous, h.Now, h.NextRandomness());
        CanisterResponse r = h.Canister.Update(ctx, "no_such_method", CandidEncoder.Encode([], []));
        Assert.That(r.RejectCode, Is.EqualTo(3));
    }

    [Test]
    public void MalformedArgument_IsRejectedAndLeavesNoTrace()
    {
        var h = new CanisterHarness();
        byte[] before = h.Canister.Snapshot();
        var ctx = new Core.CallContext(Principal.Anonymous, h.Now, h.NextRandomness());
        CanisterResponse r = h.Canister.Update(ctx, "add", Encoding.ASCII.GetBytes("DIDL garbage"));
        Assert.That(r.RejectCode, Is.EqualTo(5));
        Assert.That(r.RejectMessage, Does.StartWith("failed to decode call arguments"));
        Assert.That(h.Canister.Snapshot(), Is.EqualTo(before));
    }
}
