using InternetIdentity.Browser.Tests.Support;
using static InternetIdentity.Browser.Tests.Support.DappLogin;

namespace InternetIdentity.Browser.Tests;

/// <summary>
/// Issue 12: a Playwright test that starts logged in. The test asks the network's test API for an anchor and a
/// delegation to a session key (<c>POST /_/ii/anchors</c>, <c>POST /_/ii/sign-in</c>), puts the session key and the chain
/// where <c>@dfinity/auth-client</c> keeps them, and the sample dapp opens signed in: no II window, no passkey.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[NonParallelizable]
public sealed class StartsLoggedInTests : IinetBrowserTest
{
    /// <inheritdoc/>
    protected override IReadOnlyList<string> UpArguments => ["--assets", SampleDapp.RequireDist()];

    [Test]
    public async Task Dapp_SessionFromTestApiSignIn_OpensSignedInAsThePseudonym()
    {
        Uri dapp = AssetsUrl();
        string origin = dapp.GetLeftPart(UriPartial.Authority);
        TestApiSession session = await TestApiSession.SignInAsync(Port, origin);

        // The page is opened signed out, the session stored where auth-client keeps it, then the page reloaded.
        await OpenDappAsync(Page, dapp);
        await session.StoreAsync(Page);
        await Bounded.WaitAsync(Page.ReloadAsync(), "the dapp to reload");
        Assert.That(await SignedInPrincipalAsync(Page), Is.EqualTo(session.Principal), "whoami, called with the injected session, names the pseudonym");
        Assert.That(Context.Pages, Has.Count.EqualTo(1), "no II window was opened");
    }
}
