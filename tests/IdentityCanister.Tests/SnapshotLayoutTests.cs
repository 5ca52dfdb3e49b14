using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using static InternetIdentity.IdentityCanister.Tests.CanisterHarness;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>
/// How the state is held and written at scale (issue 16): the credential index shares the devices' id bytes, restored
/// states share repeated strings, and the snapshot layout of the index is unchanged (lowercase hex in byte order).
/// </summary>
public class SnapshotLayoutTests
{
    private static readonly byte[] s_credA = [0xab, 0x01];
    private static readonly byte[] s_credB = [0x0a, 0xff, 0x00];

    private static CanisterHarness TwoAnchors(out DeviceData a, out DeviceData b)
    {
        var h = new CanisterHarness(captcha: false);
        a = Device("key a", alias: "Chrome on Mac", origin: "https://identity.ic0.app") with { CredentialId = [.. s_credA] };
        b = Device("key b", alias: "Chrome on Mac", origin: "https://identity.ic0.app") with { CredentialId = [.. s_credB] };
        h.Register(a);
        h.Register(b);
        return h;
    }

    private static byte[] IndexKeyArray(InternetIdentityCanister canister, byte[] credential) =>
        ImmutableCollectionsMarshal.AsArray(canister.State.CredentialIndex.Keys.Single(k => k.AsSpan().SequenceEqual(credential)))!;

    private static byte[] DeviceCredentialArray(InternetIdentityCanister canister, ulong anchor) =>
        ImmutableCollectionsMarshal.AsArray(canister.State.Anchors[anchor].Devices.Single().Data.CredentialId!.Value)!;

    [Test]
    public void Snapshot_CredentialIndex_WrittenAsLowercaseHexInByteOrder()
    {
        CanisterHarness h = TwoAnchors(out _, out _);
        string text = Encoding.Latin1.GetString(h.Canister.Snapshot());

        int b = text.IndexOf("\u0006\0\0\00aff00", StringComparison.Ordinal);
        int a = text.IndexOf("\u0004\0\0\0ab01", StringComparison.Ordinal);
        Assert.That(b, Is.GreaterThan(0), "0a ff 00 as 6 hex digits with their length");
        Assert.That(a, Is.GreaterThan(b), "in byte order: 0a.. before ab..");
        Assert.That(text, Does.Not.Contain("AB01"));
    }

    [Test]
    public void Register_CredentialIndex_SharesTheDevicesIdBytes()
    {
        CanisterHarness h = TwoAnchors(out _, out _);

        Assert.That(IndexKeyArray(h.Canister, s_credA), Is.SameAs(DeviceCredentialArray(h.Canister, 10_000)));
        Assert.That(IndexKeyArray(h.Canister, s_credB), Is.SameAs(DeviceCredentialArray(h.Canister, 10_001)));
    }

    [Test]
    public void Restore_CredentialIndex_SharesTheDevicesIdBytesAndLooksUp()
    {
        CanisterHarness h = TwoAnchors(out _, out _);
        byte[] snapshot = h.Canister.Snapshot();
        h.Canister = InternetIdentityCanister.Restore(IiCanisterId, snapshot);

        Assert.That(h.Canister.Snapshot(), Is.EqualTo(snapshot));
        Assert.That(IndexKeyArray(h.Canister, s_credB), Is.SameAs(DeviceCredentialArray(h.Canister, 10_001)));
        var found = (CandidRecord)((CandidOpt)h.Query(Principal.Anonymous, "lookup_device_key", V.Blob(s_credB)).Single).Value!;
        Assert.That(U64(found["anchor_number"]), Is.EqualTo(10_001UL));
        Assert.That(((CandidOpt)h.Query(Principal.Anonymous, "lookup_device_key", V.Blob([0x0a, 0xff])).Single).HasValue, Is.False);
    }

    [Test]
    public void Restore_RepeatedAliasesAndOrigins_ShareOneString()
    {
        CanisterHarness h = TwoAnchors(out _, out _);
        InternetIdentityCanister restored = InternetIdentityCanister.Restore(IiCanisterId, h.Canister.Snapshot());
        DeviceData first = restored.State.Anchors[10_000].Devices.Single().Data, second = restored.State.Anchors[10_001].Devices.Single().Data;

        Assert.That(second.Alias, Is.SameAs(first.Alias));
        Assert.That(second.Origin, Is.SameAs(first.Origin));
        Assert.That(second.Alias, Is.EqualTo("Chrome on Mac"));
    }

    [Test]
    public void Restore_CredentialIndexKeyNotHex_ThrowsFormatException()
    {
        byte[] snapshot = TwoAnchors(out _, out _).Canister.Snapshot();
        int at = Encoding.Latin1.GetString(snapshot).IndexOf("0aff00", StringComparison.Ordinal);
        snapshot[at + 2] = (byte)'z';

        var e = Assert.Throws<FormatException>(() => InternetIdentityCanister.Restore(IiCanisterId, snapshot));
        Assert.That(e!.Message, Does.Contain("credential id"));
    }

    [Test]
    public void Restore_AnchorNumberRepeated_ThrowsFormatException()
    {
        byte[] snapshot = TwoAnchors(out _, out _).Canister.Snapshot();
        byte[] second = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(second, 10_001);
        int at = snapshot.AsSpan().IndexOf(second);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(snapshot.AsSpan(at), 10_000);

        var e = Assert.Throws<FormatException>(() => InternetIdentityCanister.Restore(IiCanisterId, snapshot));
        Assert.That(e!.Message, Does.Contain("anchor numbers are not in strictly ascending order"));
    }

    [Test]
    public void Restore_ManyAnchors_LookUpLikeTheOriginal()
    {
        var h = new CanisterHarness(captcha: false);
        for (int i = 0; i < 100; i++)
        {
            h.Register(Device("key " + i) with { CredentialId = [(byte)(i * 37 % 256), (byte)i] });
        }

        InternetIdentityCanister restored = InternetIdentityCanister.Restore(IiCanisterId, h.Canister.Snapshot());

        Assert.That(restored.State.Anchors.Keys, Is.EqualTo(Enumerable.Range(10_000, 100).Select(i => (ulong)i)));
        Assert.That(restored.State.CredentialIndex.Count, Is.EqualTo(100));
        Assert.That(restored.State.CredentialIndex.Keys.Select(k => Convert.ToHexStringLower(k.AsSpan())), Is.Ordered.Using<string>(StringComparer.Ordinal));
        var found = (CandidRecord)((CandidOpt)new CanisterHarness(captcha: false) { Canister = restored }.Query(Principal.Anonymous, "lookup_device_key", V.Blob([(byte)(57 * 37 % 256), 57])).Single).Value!;
        Assert.That(U64(found["anchor_number"]), Is.EqualTo(10_057UL));
        Assert.That(restored.Snapshot(), Is.EqualTo(h.Canister.Snapshot()));
    }

    [Test]
    public void DeviceData_OptionalByteFields_KeptAsGivenThroughWithAndEquality()
    {
        byte[] aaguid = [1, 2, 3];
        DeviceData d = Device("key") with { CredentialId = [.. s_credA], Aaguid = [.. aaguid] };

        Assert.That(d.CredentialId!.Value.ToArray(), Is.EqualTo(s_credA));
        Assert.That(d.Aaguid!.Value.ToArray(), Is.EqualTo(aaguid));
        Assert.That(d with { CredentialId = null }, Is.Not.EqualTo(d));
        Assert.That((d with { CredentialId = null }).CredentialId, Is.Null);
        Assert.That((d with { Aaguid = null }).Aaguid, Is.Null);
        Assert.That(d with { CredentialId = [.. s_credA] }, Is.EqualTo(d));
        Assert.That((d with { Aaguid = default(ImmutableArray<byte>) }).Aaguid, Is.EqualTo(ImmutableArray<byte>.Empty), "present but uninitialized: empty");
        ImmutableArray<byte> credential = d.CredentialId.Value;
        Assert.That(ImmutableCollectionsMarshal.AsArray(d.CredentialId.Value), Is.SameAs(ImmutableCollectionsMarshal.AsArray(credential)), "no copy per read");
    }
}
