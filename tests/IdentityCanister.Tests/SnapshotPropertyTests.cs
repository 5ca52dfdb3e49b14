using CsCheck;
using InternetIdentity.IdentityCanister.Core;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;
using static InternetIdentity.IdentityCanister.Tests.CanisterHarness;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>
/// Random interleavings of calls from honest and malicious principals: invariants hold after every call, a rejected
/// call leaves the state byte-for-byte unchanged, and a snapshot taken at any point restores to a canister with the
/// same snapshot bytes and the same behaviour afterwards.
/// </summary>
public class SnapshotPropertyTests
{
    private const string Origin = "https://dapp.example";

    /// <summary>One step: which operation, by whom, a parameter, and how far the clock moves first (seconds).</summary>
    public readonly record struct Op(int Kind, int Actor, int Arg, int Advance);

    private static readonly Gen<Op> GenOp = Gen.Select(Gen.Int[0, 17], Gen.Int[0, 5], Gen.Int[0, 1_000_000], Gen.Int[0, 200])
        .Select((k, a, x, t) => new Op(k, a, x, t));

    // Actors 0-2 are honest device owners, 3-4 are strangers, 5 is anonymous.
    private static Principal Actor(int i) => i == 5 ? Principal.Anonymous : PrincipalOf(ActorDevice(i));

    private static DeviceData ActorDevice(int i) => Device("actor " + i, credentialId: "cred " + i);

    private static CallResult Apply(CanisterHarness h, Op op)
    {
        h.Advance(TimeSpan.FromSeconds(op.Advance));
        Principal caller = Actor(op.Actor);
        ulong anchor = 10_000 + (ulong)(op.Arg % 4);
        string suffix = (op.Arg % 7).ToString(System.Globalization.CultureInfo.InvariantCulture);
        DeviceData extra = Device("extra " + suffix, credentialId: op.Arg % 2 == 0 ? "x" + suffix : null,
            alias: op.Arg % 11 == 0 ? new string('a', 70) : "alias",
            keyType: op.Arg % 5 == 0 ? KeyType.SeedPhrase : KeyType.Platform,
            protection: op.Arg % 3 == 0 ? DeviceProtection.Protected : DeviceProtection.Unprotected);
        if (extra.KeyType == KeyType.SeedPhrase && op.Arg % 4 != 0)
        {
            extra = extra with { CredentialId = null };
        }

        return op.Kind switch
        {
            0 => Register(h, caller, op),
            1 => h.Update(caller, "create_challenge"),
            2 => h.Update(caller, "add", V.Nat64(anchor), Dev(extra)),
            3 => h.Update(caller, "remove", V.Nat64(anchor), Key(extra)),
            4 => h.Update(caller, "update", V.Nat64(anchor), Key(extra), Dev(extra with { Alias = "upd" })),
            5 => h.Update(caller, "replace", V.Nat64(anchor), Key(ActorDevice(op.Actor % 5)), Dev(extra)),
            6 => h.Update(caller, "prepare_delegation", V.Nat64(anchor), V.Text(Origin), V.Blob([(byte)op.Arg]), op.Arg % 2 == 0 ? V.None : V.Some(V.Nat64((ulong)op.Arg * 1_000_000_000))),
            7 => h.Query(caller, "get_delegation", V.Nat64(anchor), V.Text(Origin), V.Blob([(byte)op.Arg]), V.Nat64(h.Now + (30UL * 60 * 1_000_000_000))),
            8 => h.Update(caller, "enter_device_registration_mode", V.Nat64(anchor)),
            9 => h.Update(caller, "add_tentative_device", V.Nat64(anchor), Dev(extra)),
            10 => h.Update(caller, "verify_tentative_device", V.Nat64(anchor), V.Text((op.Arg % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture))),
            11 => h.Update(caller, "identity_registration_start"),
            12 => h.Update(caller, "check_captcha", V.Record(("solution", V.Text(op.Arg % 2 == 0 && h.Canister.State.Flows.TryGetValue(caller.ToHex(), out var f) && f.Captcha is not null ? f.Captcha.Solution : "zzzzz")))),
            13 => h.Update(caller, "exit_device_registration_mode", V.Nat64(anchor)),
            14 => h.Update(caller, "get_anchor_info", V.Nat64(anchor)),
            15 => h.Query(caller, "get_principal", V.Nat64(anchor), V.Text(Origin)),
            16 => h.Update(caller, "init_salt"),
            _ => h.Query(caller, "lookup", V.Nat64(anchor)),
        };
    }

    /// <summary>register with the first unsolved captcha (solved unless the parameter says otherwise): one call.</summary>
    private static CallResult Register(CanisterHarness h, Principal caller, Op op)
    {
        var captcha = h.Canister.State.Captchas.FirstOrDefault();
        string key = captcha.Key ?? "none", chars = captcha.Value is { } c && op.Arg % 3 != 0 ? c.Solution : "wrong";
        return h.Update(caller, "register", Dev(ActorDevice(op.Actor % 5)), V.Record(("key", V.Text(key)), ("chars", V.Text(chars))),
            op.Arg % 4 == 0 ? V.Some(V.OfPrincipal(new CandidPrincipal(Actor((op.Actor + 1) % 6).Bytes))) : V.None);
    }

    private static void CheckInvariants(CanisterState s, InternetIdentityCanister canister)
    {
        ulong[] numbers = [.. s.Anchors.Keys.Order()];
        Assert.That(numbers, Is.EqualTo(Enumerable.Range(0, numbers.Length).Select(i => s.Config.RangeLo + (ulong)i).ToArray()), "anchors are numbered sequentially");
        foreach (Anchor a in s.Anchors.Values)
        {
            Assert.That(AnchorRules.CheckAnchor([.. a.Devices.Select(d => d.Data)], a.Metadata), Is.Null);
            Assert.That(a.Devices.All(d => AnchorRules.CheckDevice(d.Data) is null), Is.True);
            Assert.That(a.Devices.Select(d => Convert.ToHexString(d.Data.Pubkey.AsSpan())).Distinct().Count(), Is.EqualTo(a.Devices.Length), "unique keys");
        }

        Assert.That(s.Signatures.Count, Is.LessThanOrEqualTo(s.Signatures.QueueLength));
        Assert.That(canister.CertifiedData, Is.EqualTo(Execution.CertifiedData(canister.Assets, s)));
        Assert.That((ulong)s.Captchas.Count, Is.LessThanOrEqualTo(s.Config.MaxUnsolvedCaptchas));
        Assert.That(s.RateLimit?.Tokens ?? 0, Is.LessThanOrEqualTo(s.Config.MaxTokens));
    }

    private static CanisterHarness Seeded()
    {
        var h = new CanisterHarness(maxUnsolvedCaptchas: 5, rateLimit: (2_000_000_000, 5));
        for (int i = 0; i < 3; i++)
        {
            h.Register(ActorDevice(i));
        }

        return h;
    }

    [Test]
    public void RandomInterleavings_KeepInvariants_RejectsLeaveNoTrace_SnapshotsRestoreExactly()
    {
        Gen.Select(GenOp.Array[1, 60], Gen.Int[0, 59]).Sample((ops, cut) =>
        {
            CanisterHarness h = Seeded();
            CanisterHarness? restored = null;
            for (int i = 0; i < ops.Length; i++)
            {
                if (i == cut % ops.Length)
                {
                    byte[] snapshot = h.Canister.Snapshot();
                    restored = new CanisterHarness { Now = h.Now, Calls = h.Calls, Canister = InternetIdentityCanister.Restore(h.Canister.CanisterId, snapshot) };
                    Assert.That(restored.Canister.Snapshot(), Is.EqualTo(snapshot));
                    Assert.That(restored.Canister.CertifiedData, Is.EqualTo(h.Canister.CertifiedData));
                }

                byte[] before = h.Canister.Snapshot();
                CallResult r = Apply(h, ops[i]);
                if (r.IsReject)
                {
                    Assert.That(h.Canister.Snapshot(), Is.EqualTo(before), "a rejected call changed the state");
                }

                CheckInvariants(h.Canister.State, h.Canister);
                if (restored is not null)
                {
                    CallResult r2 = Apply(restored, ops[i]);
                    Assert.That(r2.RejectMessage, Is.EqualTo(r.RejectMessage));
                    Assert.That(r2.Values?.Select(v => v.ToString()), Is.EqualTo(r.Values?.Select(v => v.ToString())));
                    Assert.That(restored.Canister.Snapshot(), Is.EqualTo(h.Canister.Snapshot()));
                }
            }
        }, iter: 40);
    }

    [Test]
    public void PrepareSnapshot_WrittenAfterLaterCallsIntoASlice_SnapshotBytesOfThePreparedState()
    {
        Gen.Select(GenOp.Array[1, 30], Gen.Int[0, 29]).Sample((ops, cut) =>
        {
            CanisterHarness h = Seeded();
            IPreparedSnapshot? prepared = null;
            byte[]? expected = null;
            for (int i = 0; i < ops.Length; i++)
            {
                if (i == cut % ops.Length)
                {
                    prepared = h.Canister.PrepareSnapshot();
                    expected = h.Canister.Snapshot();
                }

                Apply(h, ops[i]);
            }

            // Written into the middle of a larger buffer, as into a checkpoint: exactly its bytes, nothing around them.
            var buffer = new byte[prepared!.Length + 8];
            buffer.AsSpan().Fill(0xAB);
            prepared.WriteTo(buffer.AsMemory(4, prepared.Length));
            Assert.That(buffer[4..^4], Is.EqualTo(expected));
            Assert.That(buffer[..4].Concat(buffer[^4..]), Is.All.EqualTo((byte)0xAB));
            Assert.Throws<ArgumentException>(() => prepared.WriteTo(new byte[prepared.Length + 1]));
        });
    }

    [Test]
    public void Snapshot_EqualStatesReachedDifferently_GiveEqualBytes()
    {
        // Two canisters with the same anchors, one of which prepared and pruned a delegation: same signature set, same bytes.
        CanisterHarness a = Seeded(), b = Seeded();
        Assert.That(a.Canister.Snapshot(), Is.EqualTo(b.Canister.Snapshot()));
        a.Update(Actor(0), "get_anchor_info", V.Nat64(10_000));
        Assert.That(a.Canister.Snapshot(), Is.Not.EqualTo(b.Canister.Snapshot()));
    }

    [Test]
    public void Restore_CorruptedSnapshot_ThrowsFormatException()
    {
        byte[] snapshot = Seeded().Canister.Snapshot();
        Assert.Throws<FormatException>(() => InternetIdentityCanister.Restore(CanisterHarness.IiCanisterId, snapshot.AsSpan(0, snapshot.Length - 3)));
        Assert.Throws<FormatException>(() => InternetIdentityCanister.Restore(CanisterHarness.IiCanisterId, "garbage"u8));
    }
}
