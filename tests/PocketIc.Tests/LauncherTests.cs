using System.Diagnostics;
using System.Reflection;
using InternetIdentity.TestSupport;

namespace InternetIdentity.PocketIc.Tests;

/// <summary>PocketIC's process contract through the `pocket-ic` launcher in the Cli output, as pic-js runs it.</summary>
[NonParallelizable]
public class LauncherTests
{
    private static string Launcher
    {
        get
        {
            string configuration = typeof(LauncherTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            string path = Path.Combine(RepoPaths.Root, "Cli", "bin", configuration, "net" + Environment.Version.ToString(2), "pocket-ic");
            Assert.That(File.Exists(path), Is.True, $"the launcher {path} (built with the Cli)");
            return path;
        }
    }

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Launcher) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }

    private static async Task<string> WaitForPortAsync(string portFile, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (File.Exists(portFile) && await File.ReadAllTextAsync(portFile) is { Length: > 0 } text)
            {
                return text;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the port file {portFile} held no port within {timeout.TotalSeconds} s");
    }

    [Test]
    public async Task Version_Launcher_PrintsPocketIcServerVersion()
    {
        using Process process = Start("--version");
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(output.Trim(), Is.EqualTo("pocket-ic-server 14.0.0"));
        Assert.That(process.ExitCode, Is.Zero);
    }

    [Test]
    public async Task PortFile_ServerStarts_WritesPortThenExitsAfterTtlAndDeletesIt()
    {
        string portFile = Path.Combine(Path.GetTempPath(), $"pocket_ic_test_{Guid.NewGuid():N}.port");
        using Process process = Start("--port-file", portFile, "--ttl", "2");
        try
        {
            string text = await WaitForPortAsync(portFile, TimeSpan.FromSeconds(60));
            Assert.That(text, Does.Match(@"^\d+\n$"));
            using var http = new HttpClient();
            using HttpResponseMessage status = await http.GetAsync($"http://127.0.0.1:{text.Trim()}/status");
            Assert.That((int)status.StatusCode, Is.EqualTo(200));

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)); // idle for 2 s, then it stops
            Assert.That(process.ExitCode, Is.Zero);
            Assert.That(File.Exists(portFile), Is.False, "the port file is deleted on exit");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            File.Delete(portFile);
        }
    }

    [Test]
    public async Task PortFile_AlreadyExists_AnotherServerOwnsItAndThisOneExits()
    {
        string portFile = Path.Combine(Path.GetTempPath(), $"pocket_ic_test_{Guid.NewGuid():N}.port");
        await File.WriteAllTextAsync(portFile, "1\n");
        try
        {
            using Process process = Start("--port-file", portFile, "--ttl", "60");
            string error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.That(process.ExitCode, Is.Zero);
            Assert.That(error, Does.Contain("another PocketIC server owns it"));
            Assert.That(await File.ReadAllTextAsync(portFile), Is.EqualTo("1\n"), "the other server's port file is left alone");
        }
        finally
        {
            File.Delete(portFile);
        }
    }
}
