using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.CanisterRuntime.Tests;

/// <summary>Compiles WAT, loads and installs modules for the tests.</summary>
internal static class TestCanisters
{
    public const ulong Time = 1_700_000_000_000_000_000;

    public static readonly Principal CanisterId = Principal.CanisterId(7);

    public static readonly byte[] Caller = Principal.SelfAuthenticating([0x30, 0x2a, 1, 2, 3]).ToArray();

    public static CanisterEnvironment Environment => new() { CanisterId = CanisterId.ToArray(), SubnetId = Principal.CanisterId(99).ToArray() };

    public static byte[] Wat(string text) => Wasmtime.Module.ConvertText(text).ToArray();

    public static CanisterModule Load(CanisterEngine engine, byte[] wasm)
    {
        bool ok = engine.TryLoadModule(wasm, out CanisterModule? module, out WasmValidationError? error);
        Assert.That(ok, Is.True, error?.Message);
        return module!;
    }

    public static WasmCanister Install(CanisterEngine engine, byte[] wasm, byte[]? argument = null)
    {
        var canister = WasmCanister.Create(engine, Load(engine, wasm), Environment);
        ExecutionResult result = canister.Install(Caller, Time, argument ?? []);
        Assert.That(result.Error, Is.Null, result.Error?.Description);
        return canister;
    }

    public static IncomingCall Call(string method, byte[]? argument = null, ulong time = Time) =>
        new(Caller, method, argument ?? [], time);
}
