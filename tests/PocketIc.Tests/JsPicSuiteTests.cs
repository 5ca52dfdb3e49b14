using System.Reflection;
using InternetIdentity.TestSupport;

namespace InternetIdentity.PocketIc.Tests;

/// <summary>tests/js-pic: unmodified @dfinity/pic 0.23.0 (node --test) with POCKET_IC_BIN naming the `pocket-ic` launcher.</summary>
[NonParallelizable]
public class JsPicSuiteTests
{
    [Test]
    public void PicJsSuite_AgainstTheLauncher_EveryTestPasses()
    {
        string configuration = typeof(JsPicSuiteTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string launcher = Path.Combine(RepoPaths.Root, "Cli", "bin", configuration, "net" + Environment.Version.ToString(2), "pocket-ic");
        var environment = new Dictionary<string, string> { ["POCKET_IC_BIN"] = launcher };

        NodeResult result = NodeScript.Execute(Path.Combine(RepoPaths.Root, "tests", "js-pic"), "--test", "", TimeSpan.FromMinutes(5), environment, "pic.test.mjs");

        Assert.That(result.ExitCode, Is.Zero, result.StandardOutput + result.StandardError);
        Assert.That(result.StandardOutput, Does.Contain("# fail 0"));
    }
}
