using System.Text.Json;
using Microsoft.Playwright;

namespace InternetIdentity.Browser.Tests.Support;

/// <summary>
/// A CDP virtual WebAuthn authenticator on one page (Chromium's <c>WebAuthn</c> domain). Authenticators belong to a
/// page, not to the context: the II popup needs its own, added before the ceremony starts, and a passkey made on one
/// page is used on another by copying its credentials there (<see cref="CopyCredentialsToAsync"/>), as II's own tests do.
/// </summary>
public sealed class VirtualAuthenticator
{
    private readonly ICDPSession _session;

    private VirtualAuthenticator(IPage page, ICDPSession session, string id)
    {
        Page = page;
        _session = session;
        Id = id;
    }

    /// <summary>The page it belongs to.</summary>
    public IPage Page { get; }

    /// <summary>The authenticator id CDP gave it.</summary>
    public string Id { get; }

    /// <summary>
    /// Enables WebAuthn on <paramref name="page"/> (without browser UI) and adds an authenticator like a USB security key
    /// with resident keys and user verification, as II's tests use: ctap2, usb, resident key, user verified, presence
    /// simulated automatically.
    /// </summary>
    public static async Task<VirtualAuthenticator> AddAsync(IPage page, bool userVerified = true)
    {
        ArgumentNullException.ThrowIfNull(page);
        ICDPSession session = await Bounded.WaitAsync(page.Context.NewCDPSessionAsync(page), "a CDP session on " + page.Url);
        await Send(session, "WebAuthn.enable", new() { ["enableUI"] = false });
        JsonElement? added = await Send(session, "WebAuthn.addVirtualAuthenticator", new()
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["ctap2Version"] = "ctap2_1",
                ["transport"] = "usb",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = userVerified,
                ["automaticPresenceSimulation"] = true,
            },
        });
        string id = added?.GetProperty("authenticatorId").GetString()
            ?? throw new InvalidOperationException("WebAuthn.addVirtualAuthenticator returned no authenticatorId");
        return new VirtualAuthenticator(page, session, id);
    }

    /// <summary>The credentials (passkeys) it holds, with their private keys.</summary>
    public async Task<IReadOnlyList<AuthenticatorCredential>> GetCredentialsAsync()
    {
        JsonElement? result = await Send(_session, "WebAuthn.getCredentials", new() { ["authenticatorId"] = Id });
        return [.. result!.Value.GetProperty("credentials").EnumerateArray().Select(AuthenticatorCredential.FromCdp)];
    }

    /// <summary>Adds <paramref name="credential"/> (for example one taken from another page's authenticator).</summary>
    public Task AddCredentialAsync(AuthenticatorCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return Send(_session, "WebAuthn.addCredential", new() { ["authenticatorId"] = Id, ["credential"] = credential.ToCdp() });
    }

    /// <summary>Copies every credential of this authenticator to <paramref name="other"/>; returns how many.</summary>
    public async Task<int> CopyCredentialsToAsync(VirtualAuthenticator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        IReadOnlyList<AuthenticatorCredential> credentials = await GetCredentialsAsync();
        foreach (AuthenticatorCredential c in credentials)
        {
            await other.AddCredentialAsync(c);
        }

        return credentials.Count;
    }

    /// <summary>Forgets every credential: a later <c>navigator.credentials.get</c> for them fails with NotAllowedError.</summary>
    public Task ClearCredentialsAsync() => Send(_session, "WebAuthn.clearCredentials", new() { ["authenticatorId"] = Id });

    /// <summary>Whether user verification (the PIN or fingerprint) succeeds from now on.</summary>
    public Task SetUserVerifiedAsync(bool verified) =>
        Send(_session, "WebAuthn.setUserVerified", new() { ["authenticatorId"] = Id, ["isUserVerified"] = verified });

    /// <summary>
    /// Makes the authenticator refuse, as a user who cancels or whose key lacks the passkey does: its credentials are
    /// cleared and user verification fails, so both <c>navigator.credentials.get</c> and <c>create</c> reject with
    /// NotAllowedError promptly (even with II's <c>userVerification: "preferred"</c>), rather than hanging.
    /// </summary>
    public async Task RefuseAsync()
    {
        await ClearCredentialsAsync();
        await SetUserVerifiedAsync(false);
    }

    /// <summary>Removes the authenticator from the page.</summary>
    public Task RemoveAsync() => Send(_session, "WebAuthn.removeVirtualAuthenticator", new() { ["authenticatorId"] = Id });

    private static Task<JsonElement?> Send(ICDPSession session, string method, Dictionary<string, object> args) =>
        Bounded.WaitAsync(session.SendAsync(method, args), "CDP " + method);
}

/// <summary>A credential of a virtual authenticator as CDP carries it (binary fields base64).</summary>
/// <param name="CredentialId">The credential id (raw id), base64.</param>
/// <param name="IsResidentCredential">Whether it is a discoverable credential (a passkey).</param>
/// <param name="RpId">The relying party id (the page's host for II: rdmx6-jaaaa-aaaaa-aaadq-cai.localhost).</param>
/// <param name="PrivateKey">The PKCS#8 private key, base64.</param>
/// <param name="UserHandle">The user handle, base64, if any.</param>
/// <param name="SignCount">The signature counter.</param>
public sealed record AuthenticatorCredential(string CredentialId, bool IsResidentCredential, string? RpId, string PrivateKey, string? UserHandle, long SignCount)
{
    /// <summary>Reads one element of <c>WebAuthn.getCredentials</c>.</summary>
    public static AuthenticatorCredential FromCdp(JsonElement e) => new(
        e.GetProperty("credentialId").GetString()!,
        e.GetProperty("isResidentCredential").GetBoolean(),
        e.TryGetProperty("rpId", out JsonElement rp) ? rp.GetString() : null,
        e.GetProperty("privateKey").GetString()!,
        e.TryGetProperty("userHandle", out JsonElement user) ? user.GetString() : null,
        e.GetProperty("signCount").GetInt64());

    /// <summary>The argument of <c>WebAuthn.addCredential</c>.</summary>
    public Dictionary<string, object> ToCdp()
    {
        var d = new Dictionary<string, object>
        {
            ["credentialId"] = CredentialId,
            ["isResidentCredential"] = IsResidentCredential,
            ["privateKey"] = PrivateKey,
            ["signCount"] = SignCount,
        };
        if (RpId is not null)
        {
            d["rpId"] = RpId;
        }

        if (UserHandle is not null)
        {
            d["userHandle"] = UserHandle;
        }

        return d;
    }
}
