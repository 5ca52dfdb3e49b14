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

    private static readonly Lazy<byte[]> s_counter = new(() => Convert.FromBase64String(NodeScript.Run("motoko-compile.mjs", CounterSource)));

    /// <summary>The counter's wasm.</summary>
    public static byte[] Counter => s_counter.Value;
}
