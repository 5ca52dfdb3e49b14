using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests.Node;

/// <summary>`iinet node --parent-pid P` (hidden, for `iinet chaos`): the replica stops on its own once P is gone.</summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NodeParentWatchTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = CliHarness.MakeGenesisDir("iinet-node-parent-");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Node_ParentGone_StopsOnItsOwnAndSaysWhy()
    {
        // A stand-in parent: the test host cannot die on cue, a sleep can.
        using Process parent = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        await using IinetProcess node = IinetProcess.Start("node", "--config", Path.Combine(_dir, "node-0.json"),
            "--parent-pid", parent.Id.ToString(CultureInfo.InvariantCulture));
        // Alone it never certifies: it waits for its peers until something stops it.
        await node.WaitForLineAsync(new Regex("^waiting for the first certified height", RegexOptions.CultureInvariant));
        Assert.That(node.HasExited, Is.False, node.Transcript);

        parent.Kill();
        await parent.WaitForExitAsync();
        int code = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(code, Is.Zero, node.Transcript);
        Assert.That(node.StandardError, Does.Contain($"parent process {parent.Id} is gone; stopping"), node.Transcript);
        Assert.That(node.StandardOutput, Does.Contain("stopping ..."), node.Transcript);
    }

    [Test]
    public void Node_ParentPidNotRunning_ExitsTwo()
    {
        using Process gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();

        CliHarness.Result r = CliHarness.Run("node", "--config", Path.Combine(_dir, "node-0.json"), "--parent-pid", gone.Id.ToString(CultureInfo.InvariantCulture));

        Assert.That(r.ExitCode, Is.EqualTo(2), r.Output + r.Error);
        Assert.That(r.Error, Does.Contain($"--parent-pid: no process {gone.Id} runs"));
        Assert.That(CliHarness.Run("node", "--config", Path.Combine(_dir, "node-0.json"), "--parent-pid", "0").Error,
            Does.Contain("--parent-pid: 0 is not a process id"));
    }
}
