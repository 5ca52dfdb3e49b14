using System.Reflection;
using InternetIdentity.TestSupport;

namespace InternetIdentity.PocketIc.Tests;

/// <summary>
/// tests/js-pic: unmodified @dfinity/pic 0.23.0 (node --test) with POCKET_IC_BIN naming the `pocket-ic` launcher, and a
/// Motoko counter compiled for it.
/// </summary>
[NonParallelizable]
public class JsPicSuiteTests
{
    // The Motoko canister the suite sets up (compiled here with npm motoko@4.10.0, tests/js/motoko-compile.mjs).
    internal const string CounterSource = """
        import Prim "mo:⛔";
        persistent actor Counter {
          var count : Nat = 0;
          public func inc() : async Nat { count += 1; count };
          public query func get() : async Nat { count };
          public shared(msg) func whoami() : async Principal { msg.caller };
          public func boom() : async () { count += 100; Prim.trap("boom") };
          public query func now() : async Nat64 { Prim.time() };
        };
        """;

    [Test]
    public void PicJsSuite_AgainstTheLauncher_EveryTestPasses()
    {
        string configuration = typeof(JsPicSuiteTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string launcher = Path.Combine(RepoPaths.Root, "Cli", "bin", configuration, "net" + Environment.Version.ToString(2), "pocket-ic");
        string wasm = Path.Combine(TestContext.CurrentContext.WorkDirectory, "pic-counter.wasm");
        File.WriteAllBytes(wasm, Convert.FromBase64String(NodeScript.Run("motoko-compile.mjs", CounterSource)));
        var environment = new Dictionary<string, string> { ["POCKET_IC_BIN"] = launcher, ["PIC_COUNTER_WASM"] = wasm };

        NodeResult result = NodeScript.Execute(Path.Combine(RepoPaths.Root, "tests", "js-pic"), "--test", "", TimeSpan.FromMinutes(5), environment, "pic.test.mjs");

        Assert.That(result.ExitCode, Is.Zero, result.StandardOutput + result.StandardError);
        Assert.That(result.StandardOutput, Does.Contain("# fail 0"));
    }
}
