using InternetIdentity.TestSupport;

namespace InternetIdentity.Replica.Tests.Execution;

/// <summary>Motoko canisters compiled once per test run by npm motoko@4.10.0 (tests/js/motoko-compile.mjs).</summary>
internal static class MotokoCanisters
{
    /// <summary>A counter whose count is a stable (persistent) variable, with a trap, a caller echo and a log line.</summary>
    public const string CounterSource = """
        import Prim "mo:⛔";
        persistent actor Counter {
          var count : Nat = 0;
          public func inc() : async Nat { count += 1; Prim.debugPrint("count is " # debug_show(count)); count };
          public query func get() : async Nat { count };
          public shared(msg) func whoami() : async Principal { msg.caller };
          public func boom() : async () { count += 100; assert false };
        };
        """;

    /// <summary>A canister that calls others (a counter, whoami, the management canister) and counts its heartbeats.</summary>
    public const string CallerSource = """
        persistent actor Caller {
          var beats : Nat = 0;
          public func callInc(counter : Principal) : async Nat {
            let c : actor { inc : () -> async Nat } = actor (debug_show counter);
            await c.inc()
          };
          public func whoamiOf(w : Principal) : async Principal {
            let a : actor { whoami : () -> async Principal } = actor (debug_show w);
            await a.whoami()
          };
          public func rand() : async Blob {
            let ic : actor { raw_rand : () -> async Blob } = actor "aaaaa-aa";
            await ic.raw_rand()
          };
          public func down(n : Nat) : async Nat { if (n == 0) { 0 } else { 1 + (await down(n - 1)) } };
          system func heartbeat() : async () { beats += 1 };
          public query func heartbeats() : async Nat { beats };
        };
        """;

    private static readonly Lazy<byte[]> s_caller = new(() => Convert.FromBase64String(NodeScript.Run("motoko-compile.mjs", CallerSource)));

    /// <summary>The caller's wasm.</summary>
    public static byte[] Caller => s_caller.Value;

    private static readonly Lazy<byte[]> s_counter = new(() => Convert.FromBase64String(NodeScript.Run("motoko-compile.mjs", CounterSource)));

    /// <summary>The counter's wasm.</summary>
    public static byte[] Counter => s_counter.Value;
}
