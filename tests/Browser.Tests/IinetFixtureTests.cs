using System.Text.Json;
using InternetIdentity.Browser.Tests.Support;

namespace InternetIdentity.Browser.Tests;

/// <summary>The `iinet up` fixture as it is today: the browser reaches the network's IC HTTP interface (CORS open).</summary>
[TestFixture]
[NonParallelizable]
public sealed class IinetFixtureTests : IinetBrowserTest
{
    [Test]
    public async Task Status_FetchedByPage_AnswersCborWithCorsOpen()
    {
        await Page.SetContentAsync("<title>status</title>");
        string url = $"http://127.0.0.1:{Port}/api/v2/status";

        JsonElement response = await Bounded.WaitAsync(Page.EvaluateAsync<JsonElement>(
            @"async url => {
                const r = await fetch(url);
                const body = new Uint8Array(await r.arrayBuffer());
                return { status: r.status, type: r.headers.get('content-type'), firstByte: body[0], length: body.length };
            }", url), "the page's fetch of " + url);

        Assert.Multiple(() =>
        {
            Assert.That(response.GetProperty("status").GetInt32(), Is.EqualTo(200));
            Assert.That(response.GetProperty("type").GetString(), Is.EqualTo("application/cbor"));
            Assert.That(response.GetProperty("firstByte").GetInt32(), Is.EqualTo(0xd9), "a CBOR self-describe tag (55799) opens the status");
            Assert.That(response.GetProperty("length").GetInt32(), Is.GreaterThan(133), "the status carries the 133-byte DER root key");
        });
        Assert.That(CanisterUrl(WhoamiCanisterId).ToString(), Is.EqualTo($"http://{WhoamiCanisterId}.localhost:{Port}/"));
    }
}
