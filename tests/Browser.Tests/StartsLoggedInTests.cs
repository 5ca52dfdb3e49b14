using System.Net.Http.Json;
using System.Text.Json;
using InternetIdentity.Browser.Tests.Support;
using InternetIdentity.Protocol.Signatures;
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
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(90) };
        HttpResponseMessage created = await http.PostAsync("/_/ii/anchors", null);
        Assert.That(created.IsSuccessStatusCode, Is.True, await created.Content.ReadAsStringAsync());
        ulong anchor = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("anchor").GetUInt64();

        // The session key, as @dfinity/identity's Ed25519KeyIdentity.toJSON writes it: [DER public key, secret seed].
        byte[] seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        string sessionDer = Convert.ToHexStringLower(DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(seed)));
        HttpResponseMessage signedIn = await http.PostAsJsonAsync("/_/ii/sign-in", new { anchor, origin, session_public_key = sessionDer });
        Assert.That(signedIn.IsSuccessStatusCode, Is.True, await signedIn.Content.ReadAsStringAsync());
        JsonElement result = await signedIn.Content.ReadFromJsonAsync<JsonElement>();
        string principal = result.GetProperty("principal").GetString()!;

        // Where auth-client keeps a session: IndexedDB "auth-client-db", store "ic-keyval", keys "identity" (an Ed25519 key's
        // JSON) and "delegation" (the chain's JSON). The page is opened signed out, the session stored, then reloaded.
        string identityJson = JsonSerializer.Serialize(new[] { sessionDer, Convert.ToHexStringLower(seed) });
        string chainJson = result.GetProperty("delegation_chain").GetRawText();
        await OpenDappAsync(Page, dapp);
        await Bounded.WaitAsync(Page.EvaluateAsync("""
            ([identity, delegation]) => new Promise((resolve, reject) => {
              const open = indexedDB.open('auth-client-db', 1);
              open.onupgradeneeded = () => open.result.createObjectStore('ic-keyval');
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                const tx = open.result.transaction('ic-keyval', 'readwrite');
                tx.objectStore('ic-keyval').put(identity, 'identity');
                tx.objectStore('ic-keyval').put(delegation, 'delegation');
                tx.oncomplete = () => { open.result.close(); resolve(true); };
                tx.onerror = () => reject(tx.error);
              };
            })
            """, new[] { identityJson, chainJson }), "the session to be stored in IndexedDB");
        await Bounded.WaitAsync(Page.ReloadAsync(), "the dapp to reload");
        Assert.That(await SignedInPrincipalAsync(Page), Is.EqualTo(principal), "whoami, called with the injected session, names the pseudonym");
        Assert.That(Context.Pages, Has.Count.EqualTo(1), "no II window was opened");
    }
}
