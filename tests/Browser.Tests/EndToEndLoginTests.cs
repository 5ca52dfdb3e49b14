using InternetIdentity.Browser.Tests.Support;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.TestSupport;
using Microsoft.Playwright;
using static InternetIdentity.Browser.Tests.Support.DappLogin;

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

        (IPage ii, VirtualAuthenticator authenticator) = await OpenIiAsync(Page, IiUrl);
        // The screenshot is of the sign-in choice, not of II still loading.
        await Bounded.WaitAsync(Assertions.Expect(ii.Locator("#registerButton")).ToBeVisibleAsync(), "II to offer 'Create Internet Identity'");
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

        await SignOutAsync(Page);
    }

    [Test]
    public async Task SignIn_ExistingPasskeyInAnotherBrowser_SamePrincipal()
    {
        Uri dapp = AssetsUrl();
        await OpenDappAsync(Page, dapp);
        (IPage ii, VirtualAuthenticator first) = await OpenIiAsync(Page, IiUrl);
        string anchor = await RegisterAsync(ii);
        IReadOnlyList<AuthenticatorCredential> passkeys = await first.GetCredentialsAsync(); // before II's window closes
        await ClickContinueAsync(ii);
        string principal = await SignedInPrincipalAsync(Page);

        // Another browser profile: nothing stored, the passkey carried over as a security key would be.
        await using IBrowserContext other = await Browser.NewContextAsync();
        IPage page = await other.NewPageAsync();
        await OpenDappAsync(page, dapp);
        (IPage ii2, VirtualAuthenticator second) = await OpenIiAsync(page, IiUrl);
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
        (IPage ii, VirtualAuthenticator first) = await OpenIiAsync(Page, IiUrl);
        string anchor = await RegisterAsync(ii);
        IReadOnlyList<AuthenticatorCredential> passkeys = await first.GetCredentialsAsync();
        await ClickContinueAsync(ii);
        await SignedInPrincipalAsync(Page);

        await using IBrowserContext other = await Browser.NewContextAsync();
        IPage page = await other.NewPageAsync();
        await OpenDappAsync(page, dapp);
        (IPage ii2, VirtualAuthenticator second) = await OpenIiAsync(page, IiUrl);
        foreach (AuthenticatorCredential c in passkeys)
        {
            await second.AddCredentialAsync(c);
        }

        await second.RefuseAsync();
        await UseExistingAnchorAsync(ii2, anchor);

        // II stays open with its error; the dapp is not signed in. Closing II's window is the user giving up.
        await Bounded.WaitAsync(Assertions.Expect(ii2.GetByRole(AriaRole.Heading, new() { Name = "The passkey was not used" })).ToBeVisibleAsync(),
            "II to say the passkey was not used");
        Assert.That(ii2.IsClosed, Is.False, "II's window closed although the passkey was refused");
        Assert.That(await page.Locator("[data-tid=principal]").IsVisibleAsync(), Is.False);
        await Screenshots.SaveAsync(ii2, "ii-passkey-refused");
        await ii2.CloseAsync();
        await Bounded.WaitAsync(Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Sign-in did not complete: UserInterrupt"),
            "the dapp to report the interrupted sign-in");
    }
}
