using InternetIdentity.TestSupport;

namespace InternetIdentity.Browser.Tests.Support;

/// <summary>The sample dapp of samples/dapp-login, built into its dist/ folder by `npm ci &amp;&amp; npm run build` (scripts/test.sh does it).</summary>
public static class SampleDapp
{
    /// <summary>samples/dapp-login/dist, or the test ends: ignored without npm locally, failed when npm is there or under CI.</summary>
    public static string RequireDist()
    {
        string dist = Path.Combine(RepoPaths.Root, "samples", "dapp-login", "dist");
        if (File.Exists(Path.Combine(dist, "index.html")) && File.Exists(Path.Combine(dist, "main.js")))
        {
            return dist;
        }

        const string Build = "samples/dapp-login/dist is missing: run `npm ci && npm run build` in samples/dapp-login (scripts/test.sh does it)";
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && !OnPath("npm"))
        {
            Assert.Ignore(Build + "; npm is not on PATH, so the sample's browser tests are skipped");
        }

        Assert.Fail(Build);
        return null!; // unreachable: Assert.Fail throws
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));
}
