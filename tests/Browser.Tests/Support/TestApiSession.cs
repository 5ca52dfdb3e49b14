using System.Net.Http.Json;
using System.Text.Json;
using InternetIdentity.Protocol.Signatures;
using Microsoft.Playwright;

namespace InternetIdentity.Browser.Tests.Support;

/// <summary>
/// A session made by the network's test API (<c>POST /_/ii/anchors</c>, <c>POST /_/ii/sign-in</c>: an anchor and II's
/// delegation to a fresh Ed25519 session key), stored where <c>@dfinity/auth-client</c> keeps one, so a dapp opens
/// signed in: no II window, no passkey.
/// </summary>
/// <param name="Principal">The pseudonym II names for the anchor and the origin.</param>
/// <param name="IdentityJson">The session key as <c>Ed25519KeyIdentity.toJSON</c> writes it: [DER public key, secret seed].</param>
/// <param name="ChainJson">The delegation chain's JSON.</param>
public sealed record TestApiSession(string Principal, string IdentityJson, string ChainJson)
{
    /// <summary>Creates an anchor on the network at <paramref name="port"/> and signs it in to <paramref name="origin"/>.</summary>
    public static async Task<TestApiSession> SignInAsync(int port, string origin)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(90) };
        HttpResponseMessage created = await http.PostAsync("/_/ii/anchors", null);
        Assert.That(created.IsSuccessStatusCode, Is.True, await created.Content.ReadAsStringAsync());
        ulong anchor = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("anchor").GetUInt64();

        byte[] seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        string sessionDer = Convert.ToHexStringLower(DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(seed)));
        HttpResponseMessage signedIn = await http.PostAsJsonAsync("/_/ii/sign-in", new { anchor, origin, session_public_key = sessionDer });
        Assert.That(signedIn.IsSuccessStatusCode, Is.True, await signedIn.Content.ReadAsStringAsync());
        JsonElement result = await signedIn.Content.ReadFromJsonAsync<JsonElement>();
        return new TestApiSession(result.GetProperty("principal").GetString()!,
            JsonSerializer.Serialize(new[] { sessionDer, Convert.ToHexStringLower(seed) }), result.GetProperty("delegation_chain").GetRawText());
    }

    /// <summary>
    /// Stores the session in the open page's IndexedDB as auth-client does (database "auth-client-db", store "ic-keyval",
    /// keys "identity" and "delegation"); the page picks it up when reloaded.
    /// </summary>
    public async Task StoreAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Bounded.WaitAsync(page.EvaluateAsync("""
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
            """, new[] { IdentityJson, ChainJson }), "the session to be stored in IndexedDB");
    }
}
