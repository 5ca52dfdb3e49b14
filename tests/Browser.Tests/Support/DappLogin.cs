using Microsoft.Playwright;

namespace InternetIdentity.Browser.Tests.Support;

/// <summary>
/// The steps of a sign-in from the sample dapp (samples/dapp-login) through II's window, shared by the end-to-end
/// fixtures: open the dapp, open II with a virtual authenticator, register or pick an anchor, read whoami's answer.
/// </summary>
public static class DappLogin
{
    /// <summary>Loads the sample dapp at <paramref name="dapp"/> and waits until its login button is enabled.</summary>
    public static async Task OpenDappAsync(IPage page, Uri dapp)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Bounded.WaitAsync(page.GotoAsync(dapp.ToString()), "the sample dapp at " + dapp);
        await Bounded.WaitAsync(Assertions.Expect(page.Locator("[data-tid=login-button]")).ToBeEnabledAsync(), "the sample dapp to start");
    }

    /// <summary>Clicks the dapp's login button; II's window gets its authenticator before II asks for a passkey.</summary>
    public static async Task<(IPage Ii, VirtualAuthenticator Authenticator)> OpenIiAsync(IPage dapp, Uri iiUrl)
    {
        ArgumentNullException.ThrowIfNull(dapp);
        IPage ii = await Popups.OpenAsync(dapp, () => dapp.Locator("[data-tid=login-button]").ClickAsync(), "the dapp to open II's window");
        VirtualAuthenticator authenticator = await VirtualAuthenticator.AddAsync(ii);
        await Bounded.WaitAsync(Assertions.Expect(ii).ToHaveTitleAsync("Internet Identity"), "II's frontend at " + ii.Url);
        Assert.That(ii.Url, Does.StartWith(iiUrl.ToString()));
        return (ii, authenticator);
    }

    /// <summary>II's first-time screen: create an anchor with a passkey; returns the anchor number II shows.</summary>
    public static async Task<string> RegisterAsync(IPage ii)
    {
        ArgumentNullException.ThrowIfNull(ii);
        await ii.Locator("#registerButton").ClickAsync();
        ILocator number = ii.Locator("#userNumber");
        await Bounded.WaitAsync(Assertions.Expect(number).ToBeVisibleAsync(), "II to show the new anchor number", TimeSpan.FromSeconds(60));
        await Screenshots.SaveAsync(ii, "ii-anchor-created");
        return (await number.TextContentAsync())!.Trim();
    }

    /// <summary>Continues after the registration and waits for the dapp to close II's window.</summary>
    public static async Task ClickContinueAsync(IPage ii)
    {
        ArgumentNullException.ThrowIfNull(ii);
        await ii.Locator("#displayUserContinue").ClickAsync();
        await Popups.WaitForCloseAsync(ii, "II's window to close after the sign-in", TimeSpan.FromSeconds(60));
    }

    /// <summary>II's "use existing" screen: type the anchor number and continue with the passkey.</summary>
    public static async Task UseExistingAnchorAsync(IPage ii, string anchor)
    {
        ArgumentNullException.ThrowIfNull(ii);
        await ii.Locator("#loginButton").ClickAsync();
        await ii.Locator("input[data-role=anchor-input]").FillAsync(anchor);
        await ii.Locator("button[data-action=continue]").ClickAsync();
    }

    /// <summary>II's pick screen (this browser signed in to the anchor before): click the anchor, wait for II's window to close.</summary>
    public static async Task PickAnchorAsync(IPage ii, string anchor)
    {
        ArgumentNullException.ThrowIfNull(ii);
        await ii.Locator($"button[data-anchor-id=\"{anchor}\"]").ClickAsync();
        await Popups.WaitForCloseAsync(ii, $"II's window to close after signing in with anchor {anchor}", TimeSpan.FromSeconds(60));
    }

    /// <summary>Registers a new anchor from the dapp on <paramref name="page"/>; returns it, its passkeys and the dapp's principal.</summary>
    public static async Task<(string Anchor, IReadOnlyList<AuthenticatorCredential> Passkeys, string Principal)> RegisterFromDappAsync(
        IPage page, Uri dapp, Uri iiUrl)
    {
        await OpenDappAsync(page, dapp);
        (IPage ii, VirtualAuthenticator authenticator) = await OpenIiAsync(page, iiUrl);
        string anchor = await RegisterAsync(ii);
        IReadOnlyList<AuthenticatorCredential> passkeys = await authenticator.GetCredentialsAsync(); // before II's window closes
        await ClickContinueAsync(ii);
        return (anchor, passkeys, await SignedInPrincipalAsync(page));
    }

    /// <summary>
    /// Signs in to the dapp at <paramref name="dapp"/> on <paramref name="page"/> with an anchor this browser already
    /// used (II's pick screen), its passkeys put on II's window; returns whoami's answer.
    /// </summary>
    public static async Task<string> SignInWithAnchorAsync(IPage page, Uri dapp, Uri iiUrl, string anchor, IReadOnlyList<AuthenticatorCredential> passkeys)
    {
        ArgumentNullException.ThrowIfNull(passkeys);
        await OpenDappAsync(page, dapp);
        (IPage ii, VirtualAuthenticator authenticator) = await OpenIiAsync(page, iiUrl);
        foreach (AuthenticatorCredential c in passkeys)
        {
            await authenticator.AddCredentialAsync(c);
        }

        await PickAnchorAsync(ii, anchor);
        return await SignedInPrincipalAsync(page);
    }

    /// <summary>Clicks the dapp's logout button and waits until it offers the login again (the session is forgotten).</summary>
    public static async Task SignOutAsync(IPage dapp)
    {
        ArgumentNullException.ThrowIfNull(dapp);
        await dapp.Locator("[data-tid=logout-button]").ClickAsync();
        await Bounded.WaitAsync(Assertions.Expect(dapp.Locator("[data-tid=login-button]")).ToBeEnabledAsync(), "the dapp to sign out");
    }

    /// <summary>Waits for the dapp to show whoami's answer and returns it.</summary>
    public static async Task<string> SignedInPrincipalAsync(IPage dapp)
    {
        ArgumentNullException.ThrowIfNull(dapp);
        ILocator principal = dapp.Locator("[data-tid=principal]");
        await Bounded.WaitAsync(Assertions.Expect(principal).ToBeVisibleAsync(), "the dapp to show whoami's answer", TimeSpan.FromSeconds(60));
        return (await principal.TextContentAsync())!.Trim();
    }
}
