using InternetIdentity.TestSupport;

namespace InternetIdentity.Browser.Tests.Support;

/// <summary>
/// The sample dapps as `npm ci &amp;&amp; npm run build` leaves them (scripts/test.sh does it): samples/dapp-login's dist/,
/// samples/motoko-dapp's dist/ and its backend in build/.
/// </summary>
public static class SampleDapp
{
    /// <summary>samples/dapp-login/dist, or the test ends: ignored without npm locally, failed when npm is there or under CI.</summary>
    public static string RequireDist() => RequireBuilt("dapp-login", "dist/index.html", "dist/main.js");

    /// <summary>samples/motoko-dapp/dist (the frontend), or the test ends as <see cref="RequireDist"/> does.</summary>
    public static string RequireMotokoDappDist() => RequireBuilt("motoko-dapp", "dist/index.html", "dist/main.js");

    /// <summary>samples/motoko-dapp/build/backend.wasm (the compiled backend), or the test ends as <see cref="RequireDist"/> does.</summary>
    public static string RequireMotokoBackend()
    {
        string folder = RequireBuilt("motoko-dapp", "build/backend.wasm", "build/backend.did");
        return Path.Combine(folder, "backend.wasm");
    }

    // The folder of the first file when every file exists.
    private static string RequireBuilt(string sample, params string[] files)
    {
        string root = Path.Combine(RepoPaths.Root, "samples", sample);
        if (files.All(f => File.Exists(Path.Combine(root, f))))
        {
            return Path.GetDirectoryName(Path.Combine(root, files[0]))!;
        }

        string build = $"samples/{sample}/{files[0]} is missing: run `npm ci && npm run build` in samples/{sample} (scripts/test.sh does it)";
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && !OnPath("npm"))
        {
            Assert.Ignore(build + "; npm is not on PATH, so the sample's browser tests are skipped");
        }

        Assert.Fail(build);
        return null!; // unreachable: Assert.Fail throws
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));
}
