using InternetIdentity.Browser.Tests.Support;
using Microsoft.Playwright;

namespace InternetIdentity.Browser.Tests;

/// <summary>The gateway's live dashboard (<c>/_/dashboard</c>) in Chromium against a 4-replica `iinet up`.</summary>
[TestFixture]
public sealed class DashboardTests : IinetBrowserTest
{
    protected override int Replicas => 4;

    [Test]
    public async Task Dashboard_FourReplicas_ShowsEveryReplicaReachableWithHeights()
    {
        await Bounded.WaitAsync(Page.GotoAsync($"http://127.0.0.1:{Port}/_/dashboard"), "the dashboard to load");

        ILocator status = Page.GetByRole(AriaRole.Status);
        await Assertions.Expect(status).ToContainTextAsync("4 replicas, all reachable", new() { Timeout = 30_000 });
        ILocator rows = Page.Locator("#rows tr");
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        // Each chart draws a line per replica.
        await Assertions.Expect(Page.Locator("#height path")).ToHaveCountAsync(4, new() { Timeout = 30_000 });
        // Every replica's cluster member sees the other three once membership converged (a few seconds after start).
        for (int i = 0; i < 4; i++)
        {
            await Bounded.WaitAsync(Assertions.Expect(rows.Nth(i).Locator("td").Last).ToHaveTextAsync("3", new() { Timeout = 60_000 }),
                $"replica {i}'s row to show 3 peers", TimeSpan.FromSeconds(70));
        }

        string finalized = await rows.Nth(0).Locator("td").Nth(1).InnerTextAsync();
        Assert.That(long.Parse(finalized, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "replica 0's finalized height");
        Assert.That(await Page.TitleAsync(), Is.EqualTo("iinet dashboard"));
        await Screenshots.SaveAsync(Page, "dashboard");
    }
}
