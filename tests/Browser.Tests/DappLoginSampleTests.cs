using System.Text.Json;
using InternetIdentity.Browser.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace InternetIdentity.Browser.Tests;

/// <summary>
/// samples/dapp-login as built by npm, served by an in-test server as the local gateway would serve it: it finds II on
/// its own port, opens II's window at <c>#authorize</c>, speaks auth-client's protocol to it, and reports a refusal.
/// Signing in for real needs II's frontend and the gateway (<see cref="EndToEndLoginTests"/>).
/// </summary>
[TestFixture]
public sealed class DappLoginSampleTests : ChromiumTest
{
    private const string IiHost = "rdmx6-jaaaa-aaaaa-aaadq-cai.localhost";
    private TestWebServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        string dist = SampleDapp.RequireDist();
        string probe = Path.Combine(AppContext.BaseDirectory, "Pages", "ii-protocol-probe.html");
        // On II's host name the server answers with the probe page instead of the dapp.
        _server = await TestWebServer.StartAsync(dist, app => app.Use(async (context, next) =>
        {
            if (context.Request.Host.Host == IiHost)
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.SendFileAsync(probe);
                return;
            }

            await next(context);
        }));
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task Page_ServedLocally_ShowsSignInAndIiOnTheSamePort()
    {
        await OpenDappAsync();

        ILocator login = Page.Locator("[data-tid=login-button]");
        Assert.Multiple(async () =>
        {
            Assert.That(await Page.TitleAsync(), Is.EqualTo("Sign in with Internet Identity"));
            Assert.That(await login.IsEnabledAsync(), Is.True);
            Assert.That(await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Internet Identity" }).CountAsync(), Is.EqualTo(1),
                "the login button is reachable by its accessible name");
            Assert.That(await Page.Locator("[data-tid=identity-provider]").TextContentAsync(), Is.EqualTo($"http://{IiHost}:{_server.Port}"));
            Assert.That(await Page.Locator("[data-tid=host]").TextContentAsync(), Is.EqualTo($"http://127.0.0.1:{_server.Port}"));
            Assert.That(await Page.Locator("[data-tid=principal]").IsVisibleAsync(), Is.False);
            Assert.That(await Page.Locator("[data-tid=logout-button]").IsVisibleAsync(), Is.False);
        });
        await Screenshots.SaveAsync(Page, "dapp-login-signed-out");
    }

    [Test]
    public async Task LoginButton_Click_SendsAuthorizeRequestToIiWindowAndReportsItsRefusal()
    {
        var request = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Context.ExposeBindingAsync("reportAuthorizeRequest", (BindingSource _, JsonElement r) => request.TrySetResult(r));
        await OpenDappAsync();

        IPage ii = await Popups.OpenAsync(Page, () => Page.Locator("[data-tid=login-button]").ClickAsync(), "the dapp to open II's window");
        JsonElement sent = await Bounded.WaitAsync(request.Task, "the dapp's authorize-client request in II's window");
        await Popups.WaitForCloseAsync(ii, "the dapp to close II's window after the refusal");

        Assert.Multiple(async () =>
        {
            Assert.That(ii.Url, Is.EqualTo($"http://{IiHost}:{_server.Port}/#authorize"));
            Assert.That(sent.GetProperty("kind").GetString(), Is.EqualTo("authorize-client"));
            Assert.That(sent.GetProperty("origin").GetString(), Is.EqualTo($"http://dapp.localhost:{_server.Port}"));
            // auth-client's default session key: ECDSA P-256, sent as its DER SubjectPublicKeyInfo.
            Assert.That(sent.GetProperty("sessionPublicKeyHex").GetString(), Does.StartWith("3059301306072a8648ce3d020106082a8648ce3d030107034200"));
            Assert.That(sent.GetProperty("maxTimeToLive").GetString(), Is.EqualTo((8UL * 3600 * 1_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(sent.GetProperty("derivationOrigin").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(await Page.GetByRole(AriaRole.Alert).TextContentAsync(), Is.EqualTo("Sign-in did not complete: the probe approves nothing"));
            Assert.That(await Page.Locator("[data-tid=login-button]").IsEnabledAsync(), Is.True, "the user can try again");
            Assert.That(await Page.Locator("[data-tid=status]").TextContentAsync(), Is.EqualTo("You are signed out."));
        });
    }

    [Test]
    public async Task LoginButton_IiWindowClosedByUser_ReportsInterruption()
    {
        await OpenDappAsync();

        IPage ii = await Popups.OpenAsync(Page, () => Page.Locator("[data-tid=login-button]").ClickAsync(), "the dapp to open II's window");
        await ii.CloseAsync();

        // auth-client polls the window every 500 ms and reports UserInterrupt.
        await Bounded.WaitAsync(Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Sign-in did not complete: UserInterrupt"),
            "the dapp to notice that II's window was closed");
        Assert.That(await Page.Locator("[data-tid=login-button]").IsEnabledAsync(), Is.True);
    }

    private async Task OpenDappAsync()
    {
        Uri url = _server.Url("dapp");
        await Bounded.WaitAsync(Page.GotoAsync(url.ToString()), "the sample dapp at " + url);
        await Bounded.WaitAsync(Assertions.Expect(Page.Locator("[data-tid=status]")).ToHaveTextAsync("You are signed out."),
            "the sample dapp to start (AuthClient.create)");
    }
}
