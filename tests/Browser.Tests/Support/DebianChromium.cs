namespace InternetIdentity.Browser.Tests.Support;

/// <summary>
/// Finds Debian's `chromium` package (the only browser these tests use: none is ever downloaded). Where it is missing
/// the browser tests are ignored with a message, except under CI (CI=true), where .ci/run installs it and a missing
/// browser fails them.
/// </summary>
public static class DebianChromium
{
    /// <summary>The binary itself; /usr/bin/chromium is a shell wrapper around it that adds flags from /etc/chromium.d.</summary>
    public const string PreferredPath = "/usr/lib/chromium/chromium";

    /// <summary>The executable to launch: <see cref="PreferredPath"/>, else `chromium` on PATH; null when neither exists.</summary>
    public static string? Find()
    {
        if (File.Exists(PreferredPath))
        {
            return PreferredPath;
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The executable, or the test ends: ignored locally, failed under CI.</summary>
    public static string Require()
    {
        string? path = Find();
        if (path is not null)
        {
            return path;
        }

        const string Message = "Debian's chromium is not installed (apt-get install chromium; .ci/run does it)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(Message + ": CI must run the browser tests");
        }

        Assert.Ignore(Message + ": browser tests skipped");
        return null!; // unreachable: Assert.Ignore throws
    }
}
