using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Testing;

/// <summary>
/// A sign-in of a test anchor to an origin, as a dapp receives it from II: a session key and II's delegation to it.
/// </summary>
/// <param name="Origin">The dapp's origin (II's frontend hostname) the pseudonym belongs to.</param>
/// <param name="Identity">The session key acting through II's delegation: give it to an agent to call as the user.</param>
public sealed record TestSignInResult(string Origin, DelegationIdentity Identity)
{
    /// <summary>The key auth-client stores under <c>identity</c> in IndexedDB.</summary>
    public const string AuthClientIdentityKey = "identity";

    /// <summary>The key auth-client stores under <c>delegation</c> in IndexedDB.</summary>
    public const string AuthClientDelegationKey = "delegation";

    /// <summary>The dapp-specific principal: II's pseudonym for the anchor at <see cref="Origin"/>.</summary>
    public Principal Principal => Identity.Chain.Principal;

    /// <summary>When the delegation expires, in nanoseconds since the Unix epoch.</summary>
    public ulong ExpirationNanos => Identity.Chain.Expiration;

    /// <summary>When the delegation expires.</summary>
    public DateTimeOffset Expiration => DateTimeOffset.UnixEpoch.AddTicks((long)(ExpirationNanos / 100));

    /// <summary>The session key (Ed25519).</summary>
    public Ed25519Identity SessionKey => (Ed25519Identity)Identity.SessionKey;

    /// <summary>The delegation chain as agent-js <c>DelegationChain.toJSON()</c> writes it.</summary>
    public string ChainJson => Identity.Chain.ToJson();

    /// <summary>The session key as agent-js <c>Ed25519KeyIdentity.toJSON()</c> writes it.</summary>
    public string SessionKeyJson => SessionKey.ToJson();

    /// <summary>
    /// What <c>@dfinity/auth-client</c> (created with <c>keyType: "Ed25519"</c>) keeps in its IndexedDB store
    /// <c>ic-keyval</c>: write these entries before the page loads and <c>isAuthenticated()</c> is true.
    /// </summary>
    public IReadOnlyDictionary<string, string> AuthClientStorage => new Dictionary<string, string>
    {
        [AuthClientIdentityKey] = SessionKeyJson,
        [AuthClientDelegationKey] = ChainJson,
    };
}
