using System.Text.RegularExpressions;
using InternetIdentity.Browser.Tests.Support;
using InternetIdentity.TestSupport;
using Microsoft.Playwright;

namespace InternetIdentity.Browser.Tests;

/// <summary>
/// samples/motoko-dapp as its README runs it: `iinet up --assets samples/motoko-dapp/dist`, the Motoko backend
/// deployed with `iinet deploy --wasm build/backend.wasm --candid build/backend.did`, the page opened with
/// <c>?backend=&lt;id&gt;</c>. Signed in from the test API (<see cref="TestApiSession"/>), the backend answers with the
/// II pseudonym; signed out, it refuses the anonymous caller.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[NonParallelizable]
public sealed partial class MotokoDappSampleTests : IinetBrowserTest
{
    private string _deployDir = "";
    private string _backend = "";

    /// <inheritdoc/>
    protected override IReadOnlyList<string> UpArguments => ["--assets", SampleDapp.RequireMotokoDappDist()];

    /// <summary>Deploys the backend to the running network as a developer would.</summary>
    [OneTimeSetUp]
    public async Task DeployBackendAsync()
    {
        string wasm = SampleDapp.RequireMotokoBackend();
        _deployDir = Directory.CreateTempSubdirectory("iinet-motoko-dapp-").FullName;
        await using IinetProcess deploy = IinetProcess.Start("deploy", "--wasm", wasm, "--candid", Path.ChangeExtension(wasm, ".did"),
            "--url", $"http://127.0.0.1:{Port}", "--data-dir", _deployDir);
        int exit = await deploy.WaitForExitAsync();
        Assert.That(exit, Is.Zero, deploy.Transcript);
        Match id = CanisterLine().Match(deploy.StandardOutput);
        Assert.That(id.Success, Is.True, "iinet deploy printed no `canister: <id>` line:\n" + deploy.Transcript);
        _backend = id.Groups[1].Value;
        Assert.That(deploy.StandardOutput, Does.Contain($"url: http://{_backend}.localhost:{Port}/"));
    }

    /// <summary>Deletes the deploy's data directory (its developer identity).</summary>
    [OneTimeTearDown]
    public void DeleteDeployDir()
    {
        if (Directory.Exists(_deployDir))
        {
            Directory.Delete(_deployDir, recursive: true);
        }
    }

    [Test]
    public async Task CallButton_SignedInFromTestApi_BackendAnswersWithThePseudonym()
    {
        Uri dapp = DappUrl();
        TestApiSession session = await TestApiSession.SignInAsync(Port, dapp.GetLeftPart(UriPartial.Authority));
        await OpenAsync(dapp);
        await session.StoreAsync(Page);
        await Bounded.WaitAsync(Page.ReloadAsync(), "the dapp to reload");
        await Bounded.WaitAsync(Assertions.Expect(Page.Locator("[data-tid=status]")).ToHaveTextAsync("You are signed in."), "the dapp to pick up the session");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Ask the backend who I am" }).ClickAsync();

        ILocator principal = Page.Locator("[data-tid=principal]");
        await Bounded.WaitAsync(Assertions.Expect(principal).ToBeVisibleAsync(), "the backend's answer", TimeSpan.FromSeconds(60));
        Assert.Multiple(async () =>
        {
            Assert.That((await principal.TextContentAsync())!.Trim(), Is.EqualTo(session.Principal), "the backend saw the II pseudonym");
            Assert.That((await Page.Locator("[data-tid=you]").TextContentAsync())!.Trim(), Is.EqualTo(session.Principal));
            Assert.That(await Page.Locator("[data-tid=match]").TextContentAsync(), Does.StartWith("That is your principal for this dapp"));
            Assert.That(await Page.Locator("[data-tid=error]").IsVisibleAsync(), Is.False);
            Assert.That(await Page.Locator("[data-tid=logout-button]").IsVisibleAsync(), Is.True);
            Assert.That(Context.Pages, Has.Count.EqualTo(1), "no II window was opened");
        });
        await Screenshots.SaveAsync(Page, "motoko-dapp-signed-in");
    }

    [Test]
    public async Task CallButton_SignedOut_BackendRefusesTheAnonymousCaller()
    {
        await OpenAsync(DappUrl());
        Assert.That(await Page.Locator("[data-tid=you]").TextContentAsync(), Is.EqualTo("2vxsx-fae"));

        await Page.GetByRole(AriaRole.Button, new() { Name = "Ask the backend who I am" }).ClickAsync();

        await Bounded.WaitAsync(Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(
                "The backend refused: whoami_checked: the anonymous principal may not call this method; sign in with Internet Identity first (IC0406)"),
            "the backend's refusal", TimeSpan.FromSeconds(60));
        Assert.That(await Page.Locator("[data-tid=answer]").IsVisibleAsync(), Is.False);
    }

    [Test]
    public async Task CallButton_NoCanisterId_AsksForOneWithoutCalling()
    {
        await OpenAsync(AssetsUrl());
        await Page.GetByLabel("Backend canister id").FillAsync("not-an-id");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Ask the backend who I am" }).ClickAsync();

        await Bounded.WaitAsync(Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(
            "\"not-an-id\" is not a canister id: deploy the backend with iinet deploy and paste the id it prints."), "the page's refusal");
        Assert.That(await Page.EvaluateAsync<string>("document.activeElement.id"), Is.EqualTo("backend-id"), "focus moves to the field to fix");
    }

    private Uri DappUrl() => new(AssetsUrl(), "?backend=" + _backend);

    private async Task OpenAsync(Uri dapp)
    {
        await Bounded.WaitAsync(Page.GotoAsync(dapp.ToString()), "the Motoko dapp at " + dapp);
        await Bounded.WaitAsync(Assertions.Expect(Page.Locator("[data-tid=call-button]")).ToBeEnabledAsync(), "the Motoko dapp to start");
    }

    [GeneratedRegex(@"^canister: (\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex CanisterLine();
}
