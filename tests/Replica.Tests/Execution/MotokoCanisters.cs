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

    /// <summary>
    /// A canister that calls others (a counter, whoami, the management canister's <c>raw_rand</c> and <c>canister_info</c>)
    /// and counts its heartbeats.
    /// </summary>
    public const string CallerSource = """
        persistent actor Caller {
          type ChangeOrigin = { #from_user : { user_id : Principal }; #from_canister : { canister_id : Principal; canister_version : ?Nat64 } };
          type ChangeDetails = {
            #creation : { controllers : [Principal] };
            #code_uninstall;
            #code_deployment : { mode : { #install; #reinstall; #upgrade }; module_hash : Blob };
            #controllers_change : { controllers : [Principal] };
            #load_snapshot : { canister_version : Nat64; snapshot_id : Blob; taken_at_timestamp : Nat64 };
          };
          type Change = { timestamp_nanos : Nat64; canister_version : Nat64; origin : ChangeOrigin; details : ChangeDetails };
          type Info = { total_num_changes : Nat64; recent_changes : [Change]; module_hash : ?Blob; controllers : [Principal] };
          public func info(c : Principal, n : ?Nat64) : async Info {
            let ic : actor { canister_info : { canister_id : Principal; num_requested_changes : ?Nat64 } -> async Info } = actor "aaaaa-aa";
            await ic.canister_info({ canister_id = c; num_requested_changes = n })
          };
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
