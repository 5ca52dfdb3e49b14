using InternetIdentity.Browser.Tests.Support;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.TestSupport;
using Microsoft.Playwright;

namespace InternetIdentity.Browser.Tests;

/// <summary>
/// Issue 11 end to end, with real passkeys: `iinet up --assets samples/dapp-login/dist`, the sample dapp at its
/// assets canister's URL, II's frontend in the popup with a virtual authenticator, the principal shown by whoami.
/// Run only these with <c>--filter TestCategory=EndToEnd</c>.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[NonParallelizable]
public sealed class EndToEndLoginTests : IinetBrowserTest
{
    private static readonly string s_dist = Path.Combine(RepoPaths.Root, "samples", "dapp-login", "dist");

    /// <inheritdoc/>
    protected override IReadOnlyList<string> UpArguments => ["--assets", s_dist];

    [OneTimeSetUp]
    public void RequireSample() => SampleDapp.RequireDist();

    [Test]
    public async Task SignIn_NewPasskey_DappShowsWhoamiPrincipalAndKeepsTheSession()
    {
        Uri dapp = AssetsUrl();
        await OpenDappAsync(Page, dapp);

        (IPage ii, VirtualAuthenticator authenticator) = await OpenIiAsync(Page);
        await Screenshots.SaveAsync(ii, "ii-authorize-first-time");
        string anchor = await RegisterAsync(ii);
        Assert.That(await authenticator.GetCredentialsAsync(), Has.Count.EqualTo(1), "II registered one passkey");
        await ClickContinueAsync(ii);

        string principal = await SignedInPrincipalAsync(Page);
        await Screenshots.SaveAsync(Page, "dapp-login-signed-in");
        Assert.That(Principal.TryParse(principal, out Principal? parsed), Is.True, principal);
        Assert.That(parsed, Is.Not.EqualTo(Principal.Anonymous));
        Assert.That(anchor, Does.Match("^[0-9]+$"));

        // The delegation is kept (IndexedDB): a reload is still signed in as the same principal.
        await Bounded.WaitAsync(Page.ReloadAsync(), "the dapp to reload");
        Assert.That(await SignedInPrincipalAsync(Page), Is.EqualTo(principal));

        await Page.Locator("[data-tid=logout-button]").ClickAsync();
        await Bounded.WaitAsync(Assertions.Expect(Page.Locator("[data-tid=login-button]")).ToBeVisibleAsync(), "the dapp to sign out");
    }

    [Test]
    public async Task SignIn_ExistingPasskeyInAnotherBrowser_SamePrincipal()
    {
        Uri dapp = AssetsUrl();
        await OpenDappAsync(Page, dapp);
        (IPage ii, VirtualAuthenticator first) = await OpenIiAsync(Page);
        string anchor = await RegisterAsync(ii);
        IReadOnlyList<AuthenticatorCredential> passkeys = await first.GetCredentialsAsync(); // before II's window closes
        await ClickContinueAsync(ii);
        string principal = await SignedInPrincipalAsync(Page);

        // Another browser profile: nothing stored, the passkey carried over as a security key would be.
        await using IBrowserContext other = await Browser.NewContextAsync();
        IPage page = await other.NewPageAsync();
        await OpenDappAsync(page, dapp);
        (IPage ii2, VirtualAuthenticator second) = await OpenIiAsync(page);
        foreach (AuthenticatorCredential c in passkeys)
        {
            await second.AddCredentialAsync(c);
        }

        await UseExistingAnchorAsync(ii2, anchor);
        await Popups.WaitForCloseAsync(ii2, "II's window to close after the login");
        Assert.That(await SignedInPrincipalAsync(page), Is.EqualTo(principal), "the same anchor gives the same principal for the same dapp");
    }

    [Test]
    public async Task SignIn_PasskeyRefused_DappStaysSignedOut()
    {
        Uri dapp = AssetsUrl();
        await OpenDappAsync(Page, dapp);
        (IPage ii, VirtualAuthenticator first) = await OpenIiAsync(Page);
        string anchor = await RegisterAsync(ii);
        IReadOnlyList<AuthenticatorCredential> passkeys = await first.GetCredentialsAsync();
        await ClickContinueAsync(ii);
        await SignedInPrincipalAsync(Page);

        await using IBrowserContext other = await Browser.NewContextAsync();
        IPage page = await other.NewPageAsync();
        await OpenDappAsync(page, dapp);
        (IPage ii2, VirtualAuthenticator second) = await OpenIiAsync(page);
        foreach (AuthenticatorCredential c in passkeys)
        {
            await second.AddCredentialAsync(c);
        }

        await second.RefuseAsync();
        await UseExistingAnchorAsync(ii2, anchor);

        // II stays open with its error; the dapp is not signed in. Closing II's window is the user giving up.
        Assert.That(ii2.IsClosed, Is.False, "II's window closed although the passkey was refused");
        Assert.That(await page.Locator("[data-tid=principal]").IsVisibleAsync(), Is.False);
        await Screenshots.SaveAsync(ii2, "ii-passkey-refused");
        await ii2.CloseAsync();
        await Bounded.WaitAsync(Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Sign-in did not complete: UserInterrupt"),
            "the dapp to report the interrupted sign-in");
    }

    private static async Task OpenDappAsync(IPage page, Uri dapp)
    {
        await Bounded.WaitAsync(page.GotoAsync(dapp.ToString()), "the sample dapp at " + dapp);
        await Bounded.WaitAsync(Assertions.Expect(page.Locator("[data-tid=login-button]")).ToBeEnabledAsync(), "the sample dapp to start");
    }

    /// <summary>Clicks the dapp's login button; II's window gets its authenticator before II asks for a passkey.</summary>
    private async Task<(IPage Ii, VirtualAuthenticator Authenticator)> OpenIiAsync(IPage dapp)
    {
        IPage ii = await Popups.OpenAsync(dapp, () => dapp.Locator("[data-tid=login-button]").ClickAsync(), "the dapp to open II's window");
        VirtualAuthenticator authenticator = await VirtualAuthenticator.AddAsync(ii);
        await Bounded.WaitAsync(Assertions.Expect(ii).ToHaveTitleAsync("Internet Identity"), "II's frontend at " + ii.Url);
        Assert.That(ii.Url, Does.StartWith(IiUrl.ToString()));
        return (ii, authenticator);
    }

    /// <summary>II's first-time screen: create an anchor with a passkey; returns the anchor number II shows.</summary>
    private static async Task<string> RegisterAsync(IPage ii)
    {
        await ii.Locator("#registerButton").ClickAsync();
        ILocator number = ii.Locator("#userNumber");
        await Bounded.WaitAsync(Assertions.Expect(number).ToBeVisibleAsync(), "II to show the new anchor number", TimeSpan.FromSeconds(60));
        await Screenshots.SaveAsync(ii, "ii-anchor-created");
        return (await number.TextContentAsync())!.Trim();
    }

    private static async Task ClickContinueAsync(IPage ii)
    {
        await ii.Locator("#displayUserContinue").ClickAsync();
        await Popups.WaitForCloseAsync(ii, "II's window to close after the sign-in", TimeSpan.FromSeconds(60));
    }

    /// <summary>II's "use existing" screen: type the anchor number and continue with the passkey.</summary>
    private static async Task UseExistingAnchorAsync(IPage ii, string anchor)
    {
        await ii.Locator("#loginButton").ClickAsync();
        await ii.Locator("input[data-role=anchor-input]").FillAsync(anchor);
        await ii.Locator("button[data-action=continue]").ClickAsync();
    }

    private static async Task<string> SignedInPrincipalAsync(IPage dapp)
    {
        ILocator principal = dapp.Locator("[data-tid=principal]");
        await Bounded.WaitAsync(Assertions.Expect(principal).ToBeVisibleAsync(), "the dapp to show whoami's answer", TimeSpan.FromSeconds(60));
        return (await principal.TextContentAsync())!.Trim();
    }
}
