using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.CanisterRuntime.Benchmarks;

/// <summary>
/// A hand-written wasm canister whose methods spin a loop: an LCG step per iteration on i64 locals (about 10 Wasm
/// operators, so 10 instructions as the runtime counts them by fuel), or 8-byte stores over its heap (dirty pages for
/// the rollback image). Each method replies the 8-byte result, so the loop cannot be dropped.
/// </summary>
internal sealed class LoopCanister : IDisposable
{
    /// <summary>The methods the benchmarks call: (export name without its kind, update or query).</summary>
    public static readonly (string Method, bool Query)[] Methods =
    [
        ("loop_10m", false), ("loop_10m_query", true), ("loop_1k", false), ("store_8mib", false),
    ];

    private const string Wat = """
        (module
          (import "ic0" "msg_reply_data_append" (func $append (param i32 i32)))
          (import "ic0" "msg_reply" (func $reply))
          (memory 160)
          (global $acc (mut i64) (i64.const 0))
          (func $spin (param $n i64) (result i64)
            (local $i i64) (local $x i64)
            (local.set $x (i64.const 1))
            (block $done
              (loop $next
                (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
                (local.set $x (i64.add (i64.mul (local.get $x) (i64.const 6364136223846793005)) (i64.const 1442695040888963407)))
                (local.set $i (i64.add (local.get $i) (i64.const 1)))
                (br $next)))
            (local.get $x))
          (func $store (param $bytes i32) (result i64)
            (local $at i32)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
                (i64.store offset=65536 (local.get $at) (i64.extend_i32_u (local.get $at)))
                (local.set $at (i32.add (local.get $at) (i32.const 8)))
                (br $next)))
            (i64.extend_i32_u (local.get $at)))
          (func $answer (param $v i64)
            (global.set $acc (i64.add (global.get $acc) (local.get $v)))
            (i64.store (i32.const 0) (local.get $v))
            (call $append (i32.const 0) (i32.const 8))
            (call $reply))
          (func (export "canister_update loop_10m") (call $answer (call $spin (i64.const 10000000))))
          (func (export "canister_query loop_10m_query") (call $answer (call $spin (i64.const 10000000))))
          (func (export "canister_update loop_1k") (call $answer (call $spin (i64.const 1000))))
          (func (export "canister_update store_8mib") (call $answer (call $store (i32.const 8388608))))
        )
        """;

    private static readonly byte[] Caller = Principal.SelfAuthenticating([0x30, 0x2a, 1, 2, 3]).ToArray();
    private readonly CanisterEngine _engine = new();
    private readonly WasmCanister _canister;
    private ulong _time = 1_700_000_000_000_000_000;

    public LoopCanister()
    {
        byte[] wasm = Wasmtime.Module.ConvertText(Wat).ToArray();
        if (!_engine.TryLoadModule(wasm, out CanisterModule? module, out WasmValidationError? error))
        {
            throw new InvalidOperationException("the loop canister does not load: " + error!.Message);
        }

        _canister = WasmCanister.Create(_engine, module!,
            new CanisterEnvironment { CanisterId = Principal.CanisterId(7).ToArray(), SubnetId = Principal.CanisterId(99).ToArray() });
        ExecutionResult installed = _canister.Install(Caller, _time, []);
        if (installed.Error is not null)
        {
            throw new InvalidOperationException("the loop canister does not install: " + installed.Error.Description);
        }
    }

    /// <summary>Runs one method as an update or a query; returns the instructions it used. Throws unless it replied.</summary>
    public ulong Run(string method, bool query)
    {
        var call = new IncomingCall(Caller, method, Array.Empty<byte>(), _time += 1_000);
        ExecutionResult result = query ? _canister.ExecuteQuery(call, null) : _canister.ExecuteUpdate(call);
        if (result.Response is not Protocol.Canister.CanisterReply.Replied)
        {
            throw new InvalidOperationException($"{method} did not reply: {result.Response} {result.Error?.Description}");
        }

        return result.Instructions;
    }

    public void Dispose()
    {
        _canister.Dispose();
        _engine.Dispose();
    }
}
