using System.Diagnostics;
using System.Text.RegularExpressions;
using InternetIdentity.Browser.Tests.Support;

namespace InternetIdentity.Browser.Tests;

/// <summary>The browser the tests drive is Debian's chromium, launched by the Playwright driver of the NuGet package.</summary>
[TestFixture]
public sealed partial class ChromiumLaunchTests : ChromiumTest
{
    [Test]
    public async Task Launch_DebianChromium_ReportsTheVersionOfTheInstalledBinary()
    {
        string installed = await InstalledVersionAsync(ExecutablePath);

        Assert.Multiple(() =>
        {
            Assert.That(ExecutablePath, Does.Not.Contain("ms-playwright"), "a browser downloaded by Playwright was launched");
            Assert.That(Browser.BrowserType.Name, Is.EqualTo("chromium"));
            Assert.That(Browser.IsConnected, Is.True);
            Assert.That(Browser.Version, Is.EqualTo(installed), $"{ExecutablePath} --version says {installed}");
        });
        // The driver is playwright-core 1.64.x, whose own Chromium is 156: an older Debian browser may lack CDP features.
        Assert.That(int.Parse(Browser.Version.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(156),
            $"Chromium {Browser.Version} is older than the 156 that Playwright 1.64 targets");
        TestContext.Out.WriteLine($"{ExecutablePath}: Chromium {Browser.Version}");
    }

    [Test]
    public async Task NewPage_InlineDocument_RunsScriptsInTheBrowser()
    {
        await Page.SetContentAsync("<title>t</title><p id=p></p><script>document.getElementById('p').textContent = String(6 * 7)</script>");

        Assert.That(await Page.Locator("#p").TextContentAsync(), Is.EqualTo("42"));
        Assert.That(await Page.EvaluateAsync<string>("() => navigator.userAgent"), Does.Contain($"HeadlessChrome/{Browser.Version.Split('.')[0]}."),
            "the page runs in headless Chromium (the user agent carries only the major version)");
    }

    private static async Task<string> InstalledVersionAsync(string executable)
    {
        var psi = new ProcessStartInfo(executable, ["--version"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(psi)!;
        string output = await Bounded.WaitAsync(process.StandardOutput.ReadToEndAsync(), $"{executable} --version");
        await Bounded.WaitAsync(process.WaitForExitAsync(), $"{executable} --version to exit");
        Match m = VersionPattern().Match(output);
        Assert.That(m.Success, Is.True, $"{executable} --version printed '{output.Trim()}'");
        return m.Groups[1].Value;
    }

    [GeneratedRegex(@"Chromium (\d+\.\d+\.\d+\.\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
