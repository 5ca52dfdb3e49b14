using System.Numerics;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.TestSupport;

namespace InternetIdentity.CanisterRuntime.Tests;

/// <summary>Real Motoko canisters, compiled during the test by npm motoko@4.10.0 (tests/js/motoko-compile.mjs).</summary>
public class MotokoTests
{
    private const string Counter = """
        import Prim "mo:⛔";
        persistent actor Counter {
          var count : Nat = 0;
          public func inc() : async Nat { count += 1; Prim.debugPrint("count is " # debug_show(count)); count };
          public query func get() : async Nat { count };
          public shared(msg) func whoami() : async Text { debug_show(msg.caller) };
          public func boom() : async () { count += 100; assert false };
        };
        """;

    private static readonly byte[] NoArguments = CandidEncoder.Encode([], []);
    private CanisterEngine _engine = null!;
    private byte[] _wasm = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _engine = new CanisterEngine();
        _wasm = Convert.FromBase64String(NodeScript.Run("motoko-compile.mjs", Counter));
    }

    [OneTimeTearDown]
    public void TearDown() => _engine?.Dispose();

    private static CandidValue Single(ExecutionResult result)
    {
        Assert.That(result.Response, Is.TypeOf<CanisterReply.Replied>(), (result.Response as CanisterReply.Rejected)?.Message);
        return CandidDecoder.DecodeUntyped(((CanisterReply.Replied)result.Response!).Candid.Span).Values.Single();
    }

    private static BigInteger Nat(ExecutionResult result) => ((CandidNat)Single(result)).Value;

    [Test]
    public void MotokoCounter_Module_IsMemory64WithEnhancedOrthogonalPersistence()
    {
        CanisterModule module = TestCanisters.Load(_engine, _wasm);
        Assert.That(module.Info.IsMemory64, Is.True);
        Assert.That(module.UsesEnhancedOrthogonalPersistence, Is.True);
        Assert.That(module.Exports.Updates, Is.SupersetOf(new[] { "inc", "whoami", "boom" }));
        Assert.That(module.Exports.Queries, Does.Contain("get"));
        Assert.That(module.Metadata.ContainsKey(CanisterContract.CandidServiceMetadata), Is.True);
    }

    [Test]
    public void MotokoCounter_IncAndGet_CountWithCandid()
    {
        using WasmCanister canister = TestCanisters.Install(_engine, _wasm, NoArguments);
        Assert.That(Nat(canister.ExecuteUpdate(TestCanisters.Call("inc", NoArguments))), Is.EqualTo(new BigInteger(1)));
        Assert.That(Nat(canister.ExecuteUpdate(TestCanisters.Call("inc", NoArguments))), Is.EqualTo(new BigInteger(2)));
        Assert.That(Nat(canister.ExecuteQuery(TestCanisters.Call("get", NoArguments), null)), Is.EqualTo(new BigInteger(2)));
        Assert.That(canister.Logs.Select(l => System.Text.Encoding.UTF8.GetString(l.Content.Span)), Is.EqualTo(new[] { "count is 1", "count is 2" }));
    }

    [Test]
    public void MotokoWhoami_ReturnsTheCallerAsText()
    {
        using WasmCanister canister = TestCanisters.Install(_engine, _wasm, NoArguments);
        var text = (CandidText)Single(canister.ExecuteUpdate(TestCanisters.Call("whoami", NoArguments)));
        Assert.That(text.Value, Is.EqualTo(Principal.FromBytes(TestCanisters.Caller).ToString()));
    }

    [Test]
    public void MotokoTrap_RollsBackAndRejectsWithCode5()
    {
        using WasmCanister canister = TestCanisters.Install(_engine, _wasm, NoArguments);
        canister.ExecuteUpdate(TestCanisters.Call("inc", NoArguments));
        ExecutionResult result = canister.ExecuteUpdate(TestCanisters.Call("boom", NoArguments));
        var reject = (CanisterReply.Rejected)result.Response!;
        Assert.That(reject.Code, Is.EqualTo(RejectCode.CanisterError));
        Assert.That(reject.Message, Does.Contain("assertion failed"));
        Assert.That(Nat(canister.ExecuteQuery(TestCanisters.Call("get", NoArguments), null)), Is.EqualTo(BigInteger.One));
    }

    [Test]
    public void MotokoUpgrade_KeepingMainMemory_TheStableCounterSurvives()
    {
        using WasmCanister canister = TestCanisters.Install(_engine, _wasm, NoArguments);
        canister.ExecuteUpdate(TestCanisters.Call("inc", NoArguments));
        canister.ExecuteUpdate(TestCanisters.Call("inc", NoArguments));
        using WasmCanister? upgraded = canister.Upgrade(canister.Module, TestCanisters.Caller, TestCanisters.Time, NoArguments, keepMainMemory: true, out ExecutionResult result);
        Assert.That(result.Error, Is.Null, result.Error?.Description);
        Assert.That(Nat(upgraded!.ExecuteQuery(TestCanisters.Call("get", NoArguments), null)), Is.EqualTo(new BigInteger(2)));
        Assert.That(Nat(upgraded.ExecuteUpdate(TestCanisters.Call("inc", NoArguments))), Is.EqualTo(new BigInteger(3)));
    }

    [Test]
    public void MotokoUpgrade_WithoutKeep_IsRefusedAsTheIcRefusesIt()
    {
        using WasmCanister canister = TestCanisters.Install(_engine, _wasm, NoArguments);
        WasmCanister? upgraded = canister.Upgrade(canister.Module, TestCanisters.Caller, TestCanisters.Time, NoArguments, keepMainMemory: false, out ExecutionResult result);
        Assert.That(upgraded, Is.Null);
        Assert.That(result.Error!.Description, Does.StartWith("Missing upgrade option: Enhanced orthogonal persistence requires the `wasm_memory_persistence` upgrade option."));
    }

    [Test]
    public void MotokoReinstall_ResetsTheCounter()
    {
        using WasmCanister canister = TestCanisters.Install(_engine, _wasm, NoArguments);
        canister.ExecuteUpdate(TestCanisters.Call("inc", NoArguments));
        using WasmCanister reinstalled = TestCanisters.Install(_engine, _wasm, NoArguments);
        Assert.That(Nat(reinstalled.ExecuteQuery(TestCanisters.Call("get", NoArguments), null)), Is.EqualTo(BigInteger.Zero));
    }
}
