using System.Globalization;
using InternetIdentity.Cli.Chaos;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests.Chaos;

/// <summary>One chaos replica process: its clean stop.</summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ChaosNodeTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = CliHarness.MakeGenesisDir("iinet-chaos-node-");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task StopAsync_SigintIgnoredAsInABackgroundJob_StillStopsCleanly()
    {
        // `iinet chaos ... &` in a script: the shell starts it with SIGINT ignored, and its replicas inherit that.
        var launcher = new NodeLauncher("bash", ["-c", "trap '' INT; exec \"$0\" \"$@\"", IinetProcess.DotnetHost(), IinetProcess.CliDll()]);
        await using var node = new ChaosNode(1, launcher, Path.Combine(_dir, "node-1.json"), Path.Combine(_dir, "state"),
            FreePorts.FindConsecutive(1), Path.Combine(_dir, "node-1.log"), postgres: null, extraArgs: []);
        node.Start();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!node.Tail.Contains("waiting for the first certified height", StringComparison.Ordinal))
        {
            Assert.That(node.Running, Is.True, node.Tail);
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(120)), "the replica did not start within 120 s:\n" + node.Tail);
            await Task.Delay(100);
        }

        int? code = await node.StopAsync(TimeSpan.FromSeconds(60));

        Assert.That(code, Is.Zero, "a clean exit, not the SIGKILL after the timeout:\n" + node.Tail);
        Assert.That(node.Tail, Does.Contain("stopping ..."));
    }
}
