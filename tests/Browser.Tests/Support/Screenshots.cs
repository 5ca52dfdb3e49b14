using System.Text.RegularExpressions;
using InternetIdentity.TestSupport;
using Microsoft.Playwright;

namespace InternetIdentity.Browser.Tests.Support;

/// <summary>
/// Screenshots: the documentation's images under docs/screenshots/ (committed; the tests that take them overwrite
/// them, so they always show what the code renders), and failure evidence attached to a failed test's result.
/// </summary>
public static partial class Screenshots
{
    /// <summary>docs/screenshots/ of this repository.</summary>
    public static string Directory => Path.Combine(RepoPaths.Root, "docs", "screenshots");

    /// <summary>Saves <paramref name="page"/> as docs/screenshots/<paramref name="name"/>.png and returns the path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!SafeName().IsMatch(name))
        {
            throw new ArgumentException($"screenshot name '{name}' must be lowercase letters, digits and dashes", nameof(name));
        }

        System.IO.Directory.CreateDirectory(Directory);
        string path = Path.Combine(Directory, name + ".png");
        await Bounded.WaitAsync(page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true }), $"a screenshot of {page.Url}");
        return path;
    }

    /// <summary>Attaches a screenshot of every open page of <paramref name="context"/> to the current test's result.</summary>
    public static async Task AttachAllAsync(IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int i = 0;
        foreach (IPage page in context.Pages)
        {
            string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "failures",
                $"{Regex.Replace(TestContext.CurrentContext.Test.Name, "[^A-Za-z0-9_-]", "_")}-{i++}.png");
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Timeout = 10_000 });
                TestContext.AddTestAttachment(path, page.Url);
                TestContext.Out.WriteLine($"screenshot of {page.Url}: {path}");
            }
            catch (PlaywrightException e)
            {
                TestContext.Out.WriteLine($"no screenshot of {page.Url}: {e.Message}");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}
