using InternetIdentity.Browser.Tests.Support;
using Microsoft.Playwright;
using static InternetIdentity.Browser.Tests.Support.DappLogin;

namespace InternetIdentity.Browser.Tests;

/// <summary>
/// Issue 11, II's own pages at <c>http://rdmx6-jaaaa-aaaaa-aaadq-cai.localhost:&lt;port&gt;/</c>: the manage page with its
/// passkeys, a recovery phrase and the recovery with it in another browser, and a device added from a second browser
/// with the six-digit code, which then signs in to the sample dapp as the same principal.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[NonParallelizable]
public sealed class ManageTests : IinetBrowserTest
{
    private static readonly TimeSpan s_call = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    protected override IReadOnlyList<string> UpArguments => ["--assets", SampleDapp.RequireDist()];

    [Test]
    public async Task Manage_RecoveryPhraseAdded_FreshBrowserRecoversTheSameAnchor()
    {
        VirtualAuthenticator authenticator = await VirtualAuthenticator.AddAsync(Page);
        await Bounded.WaitAsync(Page.GotoAsync(IiUrl.ToString()), "II's frontend at " + IiUrl);
        string anchor = await RegisterAsync(Page);
        await Page.Locator("#displayUserContinue").ClickAsync();
        await WaitForManageAsync(Page, anchor);

        // Sign out, then in again with the anchor's passkey from the pick screen.
        await Page.Locator("#logoutButton").ClickAsync();
        await Page.Locator($"button[data-anchor-id=\"{anchor}\"]").ClickAsync();
        await WaitForManageAsync(Page, anchor);
        ILocator passkeys = Page.Locator("aside[data-role=passkeys] li[data-device]");
        await Bounded.WaitAsync(Assertions.Expect(passkeys).ToHaveCountAsync(1), "the manage page to list the one passkey");
        Assert.That(await authenticator.GetCredentialsAsync(), Has.Count.EqualTo(1));
        await Screenshots.SaveAsync(Page, "ii-manage");

        await Page.Locator("[data-action=add-recovery-phrase]").ClickAsync();
        await Page.Locator("[data-page=add-recovery-phrase] [data-action=next]").ClickAsync();
        ILocator words = Page.Locator("[data-role=recovery-words]");
        await Bounded.WaitAsync(Assertions.Expect(words).ToBeVisibleAsync(), "II to show the recovery phrase", s_call);
        string[] phrase = (await words.TextContentAsync())!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(phrase, Has.Length.EqualTo(25), "the anchor and 24 words");
        Assert.That(phrase[0], Is.EqualTo(anchor));
        await Screenshots.SaveAsync(Page, "ii-recovery-phrase");

        Assert.That(await Page.Locator("#displaySeedPhraseContinue").IsDisabledAsync(), Is.True, "continue before the acknowledgement");
        await Page.Locator("#ack-checkbox").CheckAsync();
        await Page.Locator("#displaySeedPhraseContinue").ClickAsync();
        await Page.Locator("#recoveryWord1").FillAsync(phrase[1]);
        await Page.Locator("#recoveryWord2").FillAsync(phrase[2]);
        await Page.Locator("#recoveryWord24").FillAsync(phrase[24]);
        await Page.Locator("[data-page=confirm-recovery-phrase] [data-action=next]").ClickAsync();
        await Page.Locator("[data-page=recovery-phrase-added] [data-action=next]").ClickAsync(new LocatorClickOptions { Timeout = (float)s_call.TotalMilliseconds });
        await Bounded.WaitAsync(Assertions.Expect(Page.Locator("aside[data-role=recoveries] li[data-device=\"Recovery phrase\"]")).ToBeVisibleAsync(),
            "the manage page to list the recovery phrase", s_call);

        // Another browser, nothing stored and no passkey: the phrase alone recovers the anchor.
        await using IBrowserContext fresh = await Browser.NewContextAsync();
        IPage page = await fresh.NewPageAsync();
        await Bounded.WaitAsync(page.GotoAsync(IiUrl.ToString()), "II's frontend in a fresh browser");
        await page.Locator("#loginButton").ClickAsync();
        await page.Locator("#recoverButton").ClickAsync();
        await page.Locator("[data-action=recover-with-phrase]").ClickAsync();
        await page.Locator("[data-page=recover-with-phrase] textarea").FillAsync(string.Join(' ', phrase));
        await page.Locator("#recoverContinue").ClickAsync();
        await WaitForManageAsync(page, anchor);
        await Screenshots.SaveAsync(page, "ii-recovered");
    }

    [Test]
    public async Task Manage_RecoveryPhraseWithAWrongWord_NotRecovered()
    {
        await VirtualAuthenticator.AddAsync(Page);
        await Bounded.WaitAsync(Page.GotoAsync(IiUrl.ToString()), "II's frontend at " + IiUrl);
        string anchor = await RegisterAsync(Page);
        await Page.Locator("#displayUserContinue").ClickAsync();
        await WaitForManageAsync(Page, anchor);
        await Page.Locator("[data-action=add-recovery-phrase]").ClickAsync();
        await Page.Locator("[data-page=add-recovery-phrase] [data-action=next]").ClickAsync();
        string[] phrase = (await Page.Locator("[data-role=recovery-words]").TextContentAsync(new LocatorTextContentOptions { Timeout = (float)s_call.TotalMilliseconds }))!
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        await Page.Locator("#ack-checkbox").CheckAsync();
        await Page.Locator("#displaySeedPhraseContinue").ClickAsync();

        // A wrong confirmation word is named and nothing is added.
        await Page.Locator("#recoveryWord1").FillAsync(phrase[1]);
        await Page.Locator("#recoveryWord2").FillAsync(phrase[1] == "abandon" ? "ability" : "abandon");
        await Page.Locator("#recoveryWord24").FillAsync(phrase[24]);
        await Page.Locator("[data-page=confirm-recovery-phrase] [data-action=next]").ClickAsync();
        await Bounded.WaitAsync(Assertions.Expect(Page.Locator("[role=alert]").Filter(new LocatorFilterOptions { HasText = "Word #2" })).ToBeVisibleAsync(),
            "II to name the wrong word");
    }

    [Test]
    public async Task AddDevice_CodeFromSecondBrowser_SecondBrowserSignsInToTheDappAsTheSamePrincipal()
    {
        Uri dapp = AssetsUrl();
        (string anchor, IReadOnlyList<AuthenticatorCredential> passkeys, string principal) = await RegisterFromDappAsync(Page, dapp, IiUrl);

        IPage manage = await Context.NewPageAsync();
        VirtualAuthenticator first = await VirtualAuthenticator.AddAsync(manage);
        foreach (AuthenticatorCredential c in passkeys)
        {
            await first.AddCredentialAsync(c);
        }

        await Bounded.WaitAsync(manage.GotoAsync(IiUrl.ToString()), "II's frontend at " + IiUrl);
        await manage.Locator($"button[data-anchor-id=\"{anchor}\"]").ClickAsync();
        await WaitForManageAsync(manage, anchor);
        await manage.Locator("#addAdditionalDevice").ClickAsync();
        string? link = await manage.Locator("[data-role=add-device-link]").GetAttributeAsync("href");
        Assert.That(link, Is.EqualTo(new Uri(IiUrl, $"/?action=add-passkey&ii={anchor}").ToString()));

        // The second browser opens the link, makes its own passkey and shows the code; the first types it in.
        await using IBrowserContext other = await Browser.NewContextAsync();
        other.SetDefaultTimeout((float)Bounded.Step.TotalMilliseconds);
        IPage newDevice = await other.NewPageAsync();
        VirtualAuthenticator second = await VirtualAuthenticator.AddAsync(newDevice);
        await Bounded.WaitAsync(newDevice.GotoAsync(link!), "the add-device link in the second browser");
        await newDevice.Locator("#trustDeviceConfirm").ClickAsync();
        ILocator codeText = newDevice.Locator("#verificationCode");
        await Bounded.WaitAsync(Assertions.Expect(codeText).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*\d{6}\s*$")),
            "the second browser to show the verification code", s_call);
        string code = (await codeText.TextContentAsync())!.Trim();

        ILocator digits = manage.Locator("[data-role=verification-code] input");
        await Bounded.WaitAsync(Assertions.Expect(digits).ToHaveCountAsync(6), "the first browser to ask for the code", s_call);
        for (int i = 0; i < 6; i++)
        {
            await digits.Nth(i).FillAsync(code[i].ToString());
        }

        await manage.Locator("#verifyDevice").ClickAsync();
        await Bounded.WaitAsync(Assertions.Expect(manage.Locator("[data-page=device-added]")).ToBeVisibleAsync(), "the first browser to confirm the device", s_call);
        await Bounded.WaitAsync(Assertions.Expect(newDevice.Locator("[data-page=device-added]")).ToBeVisibleAsync(), "the second browser to confirm the device", s_call);
        IReadOnlyList<AuthenticatorCredential> own = await second.GetCredentialsAsync();
        Assert.That(own, Has.Count.EqualTo(1));
        Assert.That(own[0].CredentialId, Is.Not.AnyOf(passkeys.Select(p => p.CredentialId).ToArray()), "the second browser has its own passkey");
        await newDevice.Locator("[data-page=device-added] [data-action=next]").ClickAsync();

        IPage dappPage = await other.NewPageAsync();
        string again = await SignInWithAnchorAsync(dappPage, dapp, IiUrl, anchor, own);
        Assert.That(again, Is.EqualTo(principal), "the added device signs in to the dapp as the same principal");
    }

    private static async Task WaitForManageAsync(IPage page, string anchor)
    {
        await Bounded.WaitAsync(Assertions.Expect(page.Locator("[data-role=identity-management]")).ToBeVisibleAsync(), "II's manage page", s_call);
        await Bounded.WaitAsync(Assertions.Expect(page.Locator("[data-role=user-number]")).ToHaveTextAsync(anchor), $"the manage page of anchor {anchor}");
    }
}
