using System.Diagnostics;

namespace InternetIdentity.TestSupport;

/// <summary>
/// Runs a differential-test script from tests/js with Node.js. Where node is missing the test is ignored with a
/// clear message, except under CI (CI=true), where a missing node or missing npm packages fail the test.
/// </summary>
internal static class NodeScript
{
    /// <summary>Runs tests/js/<paramref name="script"/> with arguments and standard input; returns standard output.</summary>
    public static string Run(string script, string stdin = "", params string[] args)
    {
        string jsDir = Path.Combine(RepoPaths.Root, "tests", "js");
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        string? node = FindOnPath("node");
        if (node is null)
        {
            if (ci)
            {
                Assert.Fail("node is not on PATH; CI must install Node.js for the differential tests");
            }

            Assert.Ignore("node is not on PATH: differential test against the npm packages skipped");
        }

        if (!Directory.Exists(Path.Combine(jsDir, "node_modules")))
        {
            Assert.Fail("tests/js/node_modules is missing: run `npm ci` in tests/js (scripts/test.sh does it)");
        }

        var psi = new ProcessStartInfo(node!)
        {
            WorkingDirectory = jsDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"node {script} did not finish within 3 minutes");
        }

        if (process.ExitCode != 0)
        {
            Assert.Fail($"node {script} exited {process.ExitCode}: {stderr.Result}");
        }

        return stdout.Result;
    }

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
