using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using InternetIdentity.IdentityCanister.Candid;
using InternetIdentity.IdentityCanister.Core;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using T = InternetIdentity.Protocol.Candid.CandidType;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.IdentityCanister.Benchmarks;

/// <summary>
/// The canister's hot paths through Candid bytes: register, add, prepare_delegation, get_delegation. Each invocation
/// runs <see cref="Batch"/> calls on distinct anchors/keys; the clock advances 50 µs per call (20,000 calls per second),
/// so the signature map holds what a subnet at that rate would hold.
/// </summary>
[MemoryDiagnoser]
public class CanisterBenchmarks
{
    private const int Batch = 1_000;
    private const ulong StepNs = 50_000;
    private static readonly Principal CanisterId = Principal.Parse("rdmx6-jaaaa-aaaaa-aaadq-cai");

    private InternetIdentityCanister _canister = null!;
    private CanisterState _initial = null!;
    private byte[][] _registerArgs = null!;
    private Principal[] _devicePrincipals = null!;
    private byte[][] _addArgs = null!;
    private byte[][] _prepareArgs = null!;
    private byte[][] _getArgs = null!;
    private byte[] _certificate = null!;
    private readonly byte[] _randomness = SHA256.HashData("bench"u8);
    private ulong _now = 1_700_000_000_000_000_000;

    private static DeviceData Device(int i, string prefix) =>
        new([.. Encoding.UTF8.GetBytes($"{prefix} device key {i:D8} padded to a realistic length of a DER key..")], "Chrome on Mac",
            [.. Encoding.UTF8.GetBytes($"{prefix} credential {i:D8}")], null, Purpose.Authentication, KeyType.Platform,
            DeviceProtection.Unprotected, "https://identity.ic0.app", null);

    private static byte[] Encode(string method, params V[] values) =>
        CandidEncoder.Encode(Methods.Table.Find(method)!.Arguments, values);

    [GlobalSetup]
    public void Setup()
    {
        byte[] init = CandidEncoder.Encode([T.Opt(DidTypes.InternetIdentityInit)], [V.Some(V.Record(
            ("assigned_user_number_range", V.None), ("archive_config", V.None), ("canister_creation_cycles_cost", V.None),
            ("register_rate_limit", V.Some(V.Record(("time_per_token_ns", V.Nat64(1)), ("max_tokens", V.Nat64(1_000_000_000))))),
            ("captcha_config", V.Some(V.Record(("max_unsolved_captchas", V.Nat64(500)), ("captcha_trigger", V.Variant("Static", V.Variant("CaptchaDisabled")))))),
            ("related_origins", V.None)))]);
        _canister = InternetIdentityCanister.Install(CanisterId, init);
        _devicePrincipals = new Principal[Batch];
        for (int i = 0; i < Batch; i++)
        {
            DeviceData d = Device(i, "owner");
            _devicePrincipals[i] = Principal.SelfAuthenticating(d.Pubkey.AsSpan());
            Expect(Call(_devicePrincipals[i], "register", Encode("register", DidValues.DeviceDataOf(d), V.Record(("key", V.Text("")), ("chars", V.Text(""))), V.None)));
        }

        Expect(Call(_devicePrincipals[0], "init_salt", Encode("init_salt")));
        _registerArgs = [.. Enumerable.Range(0, Batch).Select(i =>
            Encode("register", DidValues.DeviceDataOf(Device(i, "owner")), V.Record(("key", V.Text("")), ("chars", V.Text(""))), V.None))];
        _addArgs = [.. Enumerable.Range(0, Batch).Select(i => Encode("add", V.Nat64(10_000 + (ulong)i), DidValues.DeviceDataOf(Device(i, "second"))))];
        _prepareArgs = [.. Enumerable.Range(0, Batch).Select(i =>
            Encode("prepare_delegation", V.Nat64(10_000 + (ulong)i), V.Text("https://dapp.example.com"), V.Blob(SHA256.HashData(BitConverter.GetBytes(i))), V.None))];

        // Prepare once so get_delegation finds the signatures, then certify (the certificate's content is not checked here).
        _initial = _canister.State;
        var expirations = new ulong[Batch];
        for (int i = 0; i < Batch; i++)
        {
            byte[] reply = Expect(Call(_devicePrincipals[i], "prepare_delegation", _prepareArgs[i]));
            expirations[i] = ((CandidFixedNat)CandidDecoder.Decode(reply, [T.Blob, T.Nat64])[1]).Value;
        }

        _getArgs = [.. Enumerable.Range(0, Batch).Select(i =>
            Encode("get_delegation", V.Nat64(10_000 + (ulong)i), V.Text("https://dapp.example.com"), V.Blob(SHA256.HashData(BitConverter.GetBytes(i))), V.Nat64(expirations[i])))];
        _certificate = new byte[1_200];
        _canister.State = _initial;
    }

    private CanisterResponse Call(Principal caller, string method, byte[] arg)
    {
        _now += StepNs;
        return _canister.Update(new CallContext(caller, _now, _randomness), method, arg);
    }

    private static byte[] Expect(CanisterResponse r) => r.Reply ?? throw new InvalidOperationException(r.RejectMessage);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Register()
    {
        for (int i = 0; i < Batch; i++)
        {
            Expect(Call(_devicePrincipals[i], "register", _registerArgs[i]));
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Add()
    {
        _canister.State = _initial;
        for (int i = 0; i < Batch; i++)
        {
            Expect(Call(_devicePrincipals[i], "add", _addArgs[i]));
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void PrepareDelegation()
    {
        for (int i = 0; i < Batch; i++)
        {
            Expect(Call(_devicePrincipals[i], "prepare_delegation", _prepareArgs[i]));
        }
    }

    [IterationSetup(Target = nameof(GetDelegation))]
    public void PrepareForGet()
    {
        _canister.State = _initial;
        PrepareDelegation();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void GetDelegation()
    {
        for (int i = 0; i < Batch; i++)
        {
            var ctx = new CallContext(_devicePrincipals[i], _now, _randomness, _certificate);
            Expect(_canister.Query(ctx, "get_delegation", _getArgs[i]));
        }
    }
}
