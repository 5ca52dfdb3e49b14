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
        NodeResult result = Execute(Path.Combine(RepoPaths.Root, "tests", "js"), script, stdin, TimeSpan.FromMinutes(3), null, args);
        if (result.ExitCode != 0)
        {
            Assert.Fail($"node {script} exited {result.ExitCode}: {result.StandardError}");
        }

        return result.StandardOutput;
    }

    /// <summary>
    /// Runs <paramref name="script"/> (relative to <paramref name="directory"/>, whose npm packages must be installed)
    /// with extra <paramref name="environment"/> variables; kills it and fails after <paramref name="timeout"/>.
    /// Returns whatever the exit code, so that a test runner's report can be read.
    /// </summary>
    public static NodeResult Execute(string directory, string script, string stdin, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
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

        string relative = Path.GetRelativePath(RepoPaths.Root, directory);
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            Assert.Fail($"{relative}/node_modules is missing: run `npm ci` in {relative}");
        }

        var psi = new ProcessStartInfo(node!)
        {
            WorkingDirectory = directory,
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

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"node {script} in {relative} did not finish within {timeout.TotalMinutes:0.#} minutes");
        }

        return new NodeResult(process.ExitCode, stdout.Result, stderr.Result);
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

/// <summary>How a node process ended: its exit code and both streams.</summary>
internal sealed record NodeResult(int ExitCode, string StandardOutput, string StandardError);
