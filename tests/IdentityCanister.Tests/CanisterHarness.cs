using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using InternetIdentity.IdentityCanister.Candid;
using InternetIdentity.IdentityCanister.Core;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using T = InternetIdentity.Protocol.Candid.CandidType;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>A reply's values or a reject, as a test sees them.</summary>
public sealed record CallResult(IReadOnlyList<V>? Values, int RejectCode, string? RejectMessage)
{
    public V Single => Values is { Count: 1 } v ? v[0] : throw new AssertionException($"expected one reply value, got reject {RejectCode}: {RejectMessage}");

    public bool IsReject => Values is null;
}

/// <summary>
/// Drives the canister through Candid bytes with a controllable clock and seeded randomness.
/// The II test suite's starting time is used so timestamps look real.
/// </summary>
public sealed class CanisterHarness
{
    public static readonly Principal IiCanisterId = Principal.Parse("rdmx6-jaaaa-aaaaa-aaadq-cai");

    private readonly byte[] _seed;

    public CanisterHarness(
        (ulong Lo, ulong Hi)? range = null,
        bool captcha = true,
        (ulong TimePerToken, ulong Max)? rateLimit = null,
        ulong maxUnsolvedCaptchas = 500,
        int seed = 1,
        bool dummyAuth = false)
    {
        _seed = SHA256.HashData(BitConverter.GetBytes(seed));
        Canister = InternetIdentityCanister.Install(IiCanisterId, InitArg(range, captcha, rateLimit, maxUnsolvedCaptchas, dummyAuth));
    }

    public InternetIdentityCanister Canister { get; set; }

    /// <summary>Calls made so far (the randomness counter).</summary>
    public ulong Calls { get; set; }

    public ulong Now { get; set; } = 1_620_328_630_000_000_000;

    public byte[]? Certificate { get; set; } = [0xd9, 0xd9, 0xf7, 0xa0];

    public void Advance(TimeSpan t) => Now += (ulong)t.Ticks * 100;

    public static byte[] InitArg((ulong Lo, ulong Hi)? range, bool captcha, (ulong TimePerToken, ulong Max)? rateLimit, ulong maxUnsolvedCaptchas,
        bool dummyAuth = false)
    {
        V init = V.Record(
            ("assigned_user_number_range", range is { } r ? V.Some(V.Tuple(V.Nat64(r.Lo), V.Nat64(r.Hi))) : V.None),
            ("archive_config", V.None),
            ("canister_creation_cycles_cost", V.None),
            ("register_rate_limit", rateLimit is { } rl ? V.Some(V.Record(("time_per_token_ns", V.Nat64(rl.TimePerToken)), ("max_tokens", V.Nat64(rl.Max)))) : V.None),
            ("captcha_config", V.Some(V.Record(
                ("max_unsolved_captchas", V.Nat64(maxUnsolvedCaptchas)),
                ("captcha_trigger", V.Variant("Static", V.Variant(captcha ? "CaptchaEnabled" : "CaptchaDisabled")))))),
            ("related_origins", V.None),
            ("fetch_root_key", V.None),
            ("dummy_auth", dummyAuth ? V.Some(V.Some(V.Record(("prompt_for_index", V.Bool(false))))) : V.None),
            ("alternative_origins", V.None));
        return CandidEncoder.Encode([T.Opt(DidTypes.InternetIdentityInit)], [V.Some(init)]);
    }

    public byte[] NextRandomness()
    {
        byte[] input = [.. _seed, .. BitConverter.GetBytes(Calls++)];
        return SHA256.HashData(input);
    }

    public CallResult Update(Principal caller, string method, params V[] args) => Run(caller, method, args, update: true);

    public CallResult Query(Principal caller, string method, params V[] args) => Run(caller, method, args, update: false);

    public CallResult Run(Principal caller, string method, V[] args, bool update)
    {
        Method m = Methods.Table.Find(method) ?? throw new ArgumentException(method);
        byte[] bytes = CandidEncoder.Encode(m.Arguments, args);
        var ctx = new CallContext(caller, Now, NextRandomness(), update ? null : Certificate);
        CanisterResponse r = update ? Canister.Update(ctx, method, bytes) : Canister.Query(ctx, method, bytes);
        return r.IsReply
            ? new CallResult(CandidDecoder.Decode(r.Reply, m.Results), 0, null)
            : new CallResult(null, r.RejectCode, r.RejectMessage);
    }

    /// <summary>A device whose principal is self_authenticating(pubkey), like II's test devices.</summary>
    public static DeviceData Device(string pubkey, string? credentialId = null, Purpose purpose = Purpose.Authentication,
        KeyType keyType = KeyType.Unknown, DeviceProtection protection = DeviceProtection.Unprotected, string alias = "My Device",
        string? origin = "https://identity.internetcomputer.org", MetadataMap? metadata = null) =>
        new([.. Encoding.UTF8.GetBytes(pubkey)], alias, credentialId is null ? null : [.. Encoding.UTF8.GetBytes(credentialId)], null,
            purpose, keyType, protection, origin, metadata);

    public static Principal PrincipalOf(DeviceData d) => Principal.SelfAuthenticating(d.Pubkey.AsSpan());

    public static V Dev(DeviceData d) => DidValues.DeviceDataOf(d);

    public static V Key(DeviceData d) => V.Blob(d.Pubkey.AsSpan());

    /// <summary>The solution of an unsolved captcha (the test reads the state; a user reads the PNG).</summary>
    public string Solution(string challengeKey) => Canister.State.Captchas[challengeKey].Solution;

    public string FlowSolution(Principal caller) => Canister.State.Flows[caller.ToHex()].Captcha!.Solution;

    /// <summary>create_challenge then register with the right solution; returns the register reply.</summary>
    public CallResult RegisterRaw(DeviceData device, Principal? caller = null, Principal? tempKey = null, string? solution = null)
    {
        string key = "", chars = "";
        if (Canister.State.Config.CaptchaEnabled)
        {
            CallResult challenge = Update(caller ?? PrincipalOf(device), "create_challenge");
            key = ((CandidText)((CandidRecord)challenge.Single)["challenge_key"]).Value;
            chars = solution ?? Solution(key);
        }

        return Update(caller ?? PrincipalOf(device), "register", Dev(device),
            V.Record(("key", V.Text(key)), ("chars", V.Text(chars))),
            tempKey is null ? V.None : V.Some(V.OfPrincipal(new CandidPrincipal(tempKey.Bytes))));
    }

    public ulong Register(DeviceData device, Principal? caller = null, Principal? tempKey = null)
    {
        CallResult r = RegisterRaw(device, caller, tempKey);
        var v = (CandidVariant)r.Single;
        Assert.That(v.Label.Id, Is.EqualTo(CandidLabel.Hash("registered")), $"register gave {v}");
        return ((CandidFixedNat)((CandidRecord)v.Value)["user_number"]).Value;
    }

    public static string CaseName(V v, params string[] names) => DidValues.Case(v, names).Name;

    public static ulong U64(V v) => ((CandidFixedNat)v).Value;
}
