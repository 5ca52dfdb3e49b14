using InternetIdentity.Browser.Tests.Support;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.TestSupport;
using Microsoft.Playwright;
using static InternetIdentity.Browser.Tests.Support.DappLogin;

namespace InternetIdentity.Browser.Tests;

/// <summary>
/// Issue 11, principals per origin: the sample dapp served by three assets canisters (`iinet up --assets` three
/// times). The first and second are the plain build; the third also lists the first's origin in its
/// <c>.well-known/ii-alternative-origins</c>, so the first may sign in with the third's principal
/// (<c>?derivationOrigin=</c>) but not with the second's.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[NonParallelizable]
public sealed class DappOriginTests : IinetBrowserTest
{
    private string _sites = "";

    /// <inheritdoc/>
    protected override bool NeedsPortBeforeUp => true;

    /// <inheritdoc/>
    protected override IReadOnlyList<string> UpArguments =>
        ["--assets", SampleDapp.RequireDist(), "--assets", SampleDapp.RequireDist(), "--assets", Path.Combine(_sites, "listing")];

    /// <inheritdoc/>
    protected override void BeforeUp(int port)
    {
        string dist = SampleDapp.RequireDist();
        _sites = Directory.CreateTempSubdirectory("iinet-origins-").FullName;
        string listing = Path.Combine(_sites, "listing");
        foreach (string file in Directory.EnumerateFiles(dist, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(listing, Path.GetRelativePath(dist, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Directory.CreateDirectory(Path.Combine(listing, ".well-known"));
        File.WriteAllText(Path.Combine(listing, ".well-known", "ii-alternative-origins"),
            $$"""{ "alternativeOrigins": ["{{SiteOrigin(0, port)}}"] }""");
    }

    [OneTimeTearDown]
    public void DeleteSites()
    {
        if (Directory.Exists(_sites))
        {
            Directory.Delete(_sites, recursive: true);
        }
    }

    [Test]
    public void AssetsUrl_ThreeSites_AtTheCanisterIdsTheListingNames()
    {
        for (int i = 0; i < 3; i++)
        {
            Assert.That(Origin(AssetsUrl(i)), Is.EqualTo(SiteOrigin(i, Port)), $"site {i}");
        }
    }

    [Test]
    public async Task SignIn_TwoDappOrigins_DifferentPrincipals()
    {
        (string anchor, IReadOnlyList<AuthenticatorCredential> passkeys, string first) = await RegisterFromDappAsync(Page, AssetsUrl(0), IiUrl);
        IPage other = await Context.NewPageAsync();
        string second = await SignInWithAnchorAsync(other, AssetsUrl(1), IiUrl, anchor, passkeys);

        Assert.That(Principal.TryParse(second, out _), Is.True, second);
        Assert.That(second, Is.Not.EqualTo(first), "one anchor, two dapp origins: two principals");

        // And back on the first origin: its own principal again, not the last one used.
        IPage again = await Context.NewPageAsync();
        await again.GotoAsync(AssetsUrl(0).ToString());
        Assert.That(await SignedInPrincipalAsync(again), Is.EqualTo(first));
    }

    [Test]
    public async Task SignIn_DerivationOriginListsThisOrigin_PrincipalOfTheDerivationOrigin()
    {
        (string anchor, IReadOnlyList<AuthenticatorCredential> passkeys, string own) = await RegisterFromDappAsync(Page, AssetsUrl(0), IiUrl);
        await SignOutAsync(Page); // the same origin signs in again below, with the derivation origin
        IPage listing = await Context.NewPageAsync();
        string listingPrincipal = await SignInWithAnchorAsync(listing, AssetsUrl(2), IiUrl, anchor, passkeys);

        IPage derived = await Context.NewPageAsync();
        Uri withDerivation = new(AssetsUrl(0), "/?derivationOrigin=" + Uri.EscapeDataString(SiteOrigin(2, Port)));
        string principal = await SignInWithAnchorAsync(derived, withDerivation, IiUrl, anchor, passkeys);
        await Screenshots.SaveAsync(derived, "dapp-derivation-origin");

        Assert.That(principal, Is.EqualTo(listingPrincipal), "derivationOrigin: the principal of the listing origin");
        Assert.That(principal, Is.Not.EqualTo(own));
    }

    [Test]
    public async Task SignIn_DerivationOriginWithoutListing_DappGetsAuthorizeClientFailure()
    {
        // The second site is the plain build: no /.well-known/ii-alternative-origins at all.
        await AssertDerivationRefusedAsync(AssetsUrl(0), SiteOrigin(1, Port), "dapp-derivation-origin-refused");
    }

    [Test]
    public async Task SignIn_DerivationOriginListsAnotherOrigin_DappGetsAuthorizeClientFailure()
    {
        // The third site lists only the first site's origin, not the second's.
        await AssertDerivationRefusedAsync(AssetsUrl(1), SiteOrigin(2, Port), null);
    }

    private async Task AssertDerivationRefusedAsync(Uri site, string derivationOrigin, string? screenshot)
    {
        Uri dapp = new(site, "/?derivationOrigin=" + Uri.EscapeDataString(derivationOrigin));
        await OpenDappAsync(Page, dapp);
        // Not OpenIiAsync: II may refuse, and the dapp close its window, before a title or an authenticator could be checked.
        IPage ii = await Popups.OpenAsync(Page, () => Page.Locator("[data-tid=login-button]").ClickAsync(), "the dapp to open II's window");
        Assert.That(ii.Url, Does.StartWith(IiUrl.ToString()));

        // II answers authorize-client-failure before asking for a passkey; auth-client closes its window.
        await Popups.WaitForCloseAsync(ii, "the dapp to close II's window after authorize-client-failure", TimeSpan.FromSeconds(60));
        await Bounded.WaitAsync(Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid derivation origin"),
            "the dapp to show II's failure");
        if (screenshot is not null)
        {
            await Screenshots.SaveAsync(Page, screenshot);
        }

        Assert.That(await Page.Locator("[data-tid=principal]").IsVisibleAsync(), Is.False, "signed in despite the refused derivation origin");
    }

    [Test]
    public async Task SignIn_PopupClosedByTheUser_DappShowsUserInterrupt()
    {
        await OpenDappAsync(Page, AssetsUrl(0));
        (IPage ii, _) = await OpenIiAsync(Page, IiUrl);
        await Bounded.WaitAsync(Assertions.Expect(ii.Locator("#registerButton")).ToBeVisibleAsync(), "II's first-time screen");
        await ii.CloseAsync();

        await Bounded.WaitAsync(Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Sign-in did not complete: UserInterrupt"),
            "the dapp to report the closed window");
        await Bounded.WaitAsync(Assertions.Expect(Page.Locator("[data-tid=login-button]")).ToBeEnabledAsync(), "the dapp to offer the login again");
    }

    /// <summary>The origin of the <paramref name="index"/>-th `--assets` site (canister ids 1, 2, ... below the 7th).</summary>
    private static string SiteOrigin(int index, int port) => $"http://{Principal.CanisterId((ulong)index + 1)}.localhost:{port}";

    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);
}
