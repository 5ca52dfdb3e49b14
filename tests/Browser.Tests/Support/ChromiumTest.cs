using Microsoft.Playwright;

namespace InternetIdentity.Browser.Tests.Support;

/// <summary>
/// Base of the browser fixtures: one Playwright driver and one headless Debian Chromium per fixture, a fresh context
/// (its own storage, so no anchors or sessions leak between tests) and page per test. The browser is launched through
/// <c>ExecutablePath</c>, so Playwright never looks for, let alone downloads, a browser of its own.
/// </summary>
public abstract class ChromiumTest
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;
    private IPage? _page;

    /// <summary>The executable that was launched.</summary>
    protected string ExecutablePath { get; private set; } = "";

    /// <summary>The browser of this fixture.</summary>
    protected IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is launched in OneTimeSetUp");

    /// <summary>This test's context.</summary>
    protected IBrowserContext Context => _context ?? throw new InvalidOperationException("the context is created in SetUp");

    /// <summary>This test's first page.</summary>
    protected IPage Page => _page ?? throw new InvalidOperationException("the page is created in SetUp");

    /// <summary>Launches Chromium (ignored when it is missing locally, failed under CI).</summary>
    [OneTimeSetUp]
    public async Task LaunchChromiumAsync()
    {
        ExecutablePath = DebianChromium.Require();
        // Belt and braces: nothing in these tests installs browsers, and no Playwright step may try.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Bounded.WaitAsync(Microsoft.Playwright.Playwright.CreateAsync(), "the Playwright driver to start");
        _browser = await Bounded.WaitAsync(_playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Timeout = (float)Bounded.Step.TotalMilliseconds,
        }), $"{ExecutablePath} to launch");
    }

    /// <summary>A fresh context and page; every Playwright wait in it is bounded by <see cref="Bounded.Step"/>.</summary>
    [SetUp]
    public async Task OpenPageAsync()
    {
        _context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 720 } });
        _context.SetDefaultTimeout((float)Bounded.Step.TotalMilliseconds);
        _context.SetDefaultNavigationTimeout((float)Bounded.Step.TotalMilliseconds);
        _page = await _context.NewPageAsync();
    }

    /// <summary>Closes the context; on failure first attaches a screenshot of every open page to the test result.</summary>
    [TearDown]
    public async Task ClosePageAsync()
    {
        if (_context is null)
        {
            return;
        }

        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await Screenshots.AttachAllAsync(_context);
        }

        await _context.CloseAsync();
        _context = null;
        _page = null;
    }

    /// <summary>Closes the browser and stops the driver.</summary>
    [OneTimeTearDown]
    public async Task CloseChromiumAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
