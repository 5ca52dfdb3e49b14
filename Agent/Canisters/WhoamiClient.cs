using InternetIdentity.Agent.Http;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Agent.Canisters;

/// <summary>A client of the whoami canister (<c>whoami : () -&gt; (principal)</c>, <c>whoami_query : () -&gt; (principal) query</c>).</summary>
public sealed class WhoamiClient
{
    /// <summary>The whoami canister's id on local networks: <c>rwlgt-iiaaa-aaaaa-aaaaa-cai</c>.</summary>
    public static Principal DefaultCanisterId { get; } = Principal.Parse("rwlgt-iiaaa-aaaaa-aaaaa-cai");

    /// <summary>Creates a client of <paramref name="canisterId"/> (default <see cref="DefaultCanisterId"/>).</summary>
    public WhoamiClient(HttpAgent agent, Principal? canisterId = null)
    {
        Agent = agent ?? throw new ArgumentNullException(nameof(agent));
        CanisterId = canisterId ?? DefaultCanisterId;
    }

    /// <summary>The agent whose identity asks.</summary>
    public HttpAgent Agent { get; }

    /// <summary>The whoami canister.</summary>
    public Principal CanisterId { get; }

    /// <summary>The caller as the canister saw it in an update call (certified).</summary>
    public async Task<Principal> WhoamiAsync(CancellationToken cancellationToken = default) =>
        (await Agent.CallAsync<CandidPrincipal>(CanisterId, "whoami", CandidArgs.Encode(), cancellationToken).ConfigureAwait(false)).ToPrincipal();

    /// <summary>The caller as the canister saw it in a query (node signature verified).</summary>
    public async Task<Principal> WhoamiQueryAsync(CancellationToken cancellationToken = default) =>
        (await Agent.QueryAsync<CandidPrincipal>(CanisterId, "whoami_query", CandidArgs.Encode(), cancellationToken).ConfigureAwait(false)).ToPrincipal();
}
