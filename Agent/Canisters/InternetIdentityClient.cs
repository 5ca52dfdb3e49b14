using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Agent.Canisters;

/// <summary>A typed client of Internet Identity's Candid interface (<c>internet_identity.did</c>), through an <see cref="HttpAgent"/>.</summary>
public sealed class InternetIdentityClient
{
    /// <summary>II's canister id on mainnet and on local networks: <c>rdmx6-jaaaa-aaaaa-aaadq-cai</c>.</summary>
    public static Principal DefaultCanisterId { get; } = Principal.Parse("rdmx6-jaaaa-aaaaa-aaadq-cai");

    /// <summary>Creates a client of the II canister <paramref name="canisterId"/> (default <see cref="DefaultCanisterId"/>).</summary>
    public InternetIdentityClient(HttpAgent agent, Principal? canisterId = null)
    {
        Agent = agent ?? throw new ArgumentNullException(nameof(agent));
        CanisterId = canisterId ?? DefaultCanisterId;
    }

    /// <summary>The agent whose identity calls II.</summary>
    public HttpAgent Agent { get; }

    /// <summary>The II canister.</summary>
    public Principal CanisterId { get; }

    /// <summary><c>identity_registration_start : () -&gt; (variant { Ok : IdRegNextStepResult; Err : IdRegStartError })</c>.</summary>
    public Task<IdRegStartResult> IdentityRegistrationStartAsync(CancellationToken cancellationToken = default) =>
        Agent.CallAsync<IdRegStartResult>(CanisterId, "identity_registration_start", CandidArgs.Encode(), cancellationToken);

    /// <summary><c>check_captcha : (CheckCaptchaArg) -&gt; (variant { Ok : IdRegNextStepResult; Err : CheckCaptchaError })</c>.</summary>
    public Task<CheckCaptchaResult> CheckCaptchaAsync(string solution, CancellationToken cancellationToken = default) =>
        Agent.CallAsync<CheckCaptchaResult>(CanisterId, "check_captcha", CandidArgs.Encode(new CheckCaptchaArg(solution)), cancellationToken);

    /// <summary><c>identity_registration_finish : (IdRegFinishArg) -&gt; (variant { Ok : IdRegFinishResult; Err : IdRegFinishError })</c>.</summary>
    public Task<IdRegFinishResponse> IdentityRegistrationFinishAsync(IdRegFinishArg arg, CancellationToken cancellationToken = default) =>
        Agent.CallAsync<IdRegFinishResponse>(CanisterId, "identity_registration_finish", CandidArgs.Encode(arg), cancellationToken);

    /// <summary>
    /// Registers a new anchor whose one authentication method is the agent's own public key (<c>PubKey</c>), solving the
    /// captcha with <paramref name="captchaSolution"/> when II asks for one; returns the anchor number.
    /// Throws <see cref="IcAgentException"/> naming II's error when a step fails.
    /// </summary>
    public async Task<ulong> RegisterAsync(string? name = null, string captchaSolution = "a", CancellationToken cancellationToken = default)
    {
        if (Agent.Identity is not SignIdentity identity)
        {
            throw new InvalidOperationException("registering needs an agent whose identity has a public key");
        }

        IdRegNextStepResult step = await IdentityRegistrationStartAsync(cancellationToken).ConfigureAwait(false) switch
        {
            IdRegStartResult.Ok ok => ok.Value,
            IdRegStartResult.Err err => throw new IcAgentException($"identity_registration_start failed: {err.Value}"),
            _ => throw new IcAgentException("identity_registration_start returned an unknown variant"),
        };
        if (step.NextStep is RegistrationFlowNextStep.CheckCaptcha)
        {
            CheckCaptchaResult captcha = await CheckCaptchaAsync(captchaSolution, cancellationToken).ConfigureAwait(false);
            if (captcha is CheckCaptchaResult.Err captchaError)
            {
                throw new IcAgentException($"check_captcha failed: {captchaError.Value}");
            }
        }

        var method = new AuthnMethodData(
            new AuthnMethod.PubKey(identity.PublicKeyDer),
            new AuthnMethodSecuritySettings(AuthnMethodProtection.Unprotected, AuthnMethodPurpose.Authentication),
            [],
            null);
        return await IdentityRegistrationFinishAsync(new IdRegFinishArg(method, name), cancellationToken).ConfigureAwait(false) switch
        {
            IdRegFinishResponse.Ok ok => ok.Value.IdentityNumber,
            IdRegFinishResponse.Err err => throw new IcAgentException($"identity_registration_finish failed: {err.Value}"),
            _ => throw new IcAgentException("identity_registration_finish returned an unknown variant"),
        };
    }

    /// <summary><c>lookup : (UserNumber) -&gt; (vec DeviceData) query</c>.</summary>
    public Task<DeviceData[]> LookupAsync(ulong anchor, CancellationToken cancellationToken = default) =>
        Agent.QueryAsync<DeviceData[]>(CanisterId, "lookup", CandidArgs.Encode(anchor), cancellationToken);

    /// <summary><c>get_anchor_info : (UserNumber) -&gt; (IdentityAnchorInfo)</c> (an update call).</summary>
    public Task<IdentityAnchorInfo> GetAnchorInfoAsync(ulong anchor, CancellationToken cancellationToken = default) =>
        Agent.CallAsync<IdentityAnchorInfo>(CanisterId, "get_anchor_info", CandidArgs.Encode(anchor), cancellationToken);

    /// <summary><c>add : (UserNumber, DeviceData) -&gt; ()</c>.</summary>
    public async Task AddAsync(ulong anchor, DeviceData device, CancellationToken cancellationToken = default)
    {
        byte[] reply = await Agent.CallAsync(CanisterId, "add", CandidArgs.Encode(anchor, device), cancellationToken).ConfigureAwait(false);
        CandidArgs.Decode(reply);
    }

    /// <summary><c>remove : (UserNumber, DeviceKey) -&gt; ()</c>.</summary>
    public async Task RemoveAsync(ulong anchor, byte[] deviceKey, CancellationToken cancellationToken = default)
    {
        byte[] reply = await Agent.CallAsync(CanisterId, "remove", CandidArgs.Encode(anchor, deviceKey), cancellationToken).ConfigureAwait(false);
        CandidArgs.Decode(reply);
    }

    /// <summary><c>get_principal : (UserNumber, FrontendHostname) -&gt; (principal) query</c>.</summary>
    public async Task<Principal> GetPrincipalAsync(ulong anchor, string frontendHostname, CancellationToken cancellationToken = default) =>
        (await Agent.QueryAsync<CandidPrincipal>(CanisterId, "get_principal", CandidArgs.Encode(anchor, frontendHostname), cancellationToken)
            .ConfigureAwait(false)).ToPrincipal();

    /// <summary>
    /// <c>prepare_delegation : (UserNumber, FrontendHostname, SessionKey, maxTimeToLive : opt nat64) -&gt; (UserKey, Timestamp)</c>:
    /// the user key (DER, a canister signature key) and the delegation's expiration.
    /// </summary>
    public async Task<(byte[] UserKey, ulong Expiration)> PrepareDelegationAsync(ulong anchor, string frontendHostname, byte[] sessionKey,
        ulong? maxTimeToLiveNanos = null, CancellationToken cancellationToken = default)
    {
        byte[] reply = await Agent.CallAsync(CanisterId, "prepare_delegation",
            CandidArgs.Encode(anchor, frontendHostname, sessionKey, maxTimeToLiveNanos), cancellationToken).ConfigureAwait(false);
        return CandidArgs.Decode<byte[], ulong>(reply);
    }

    /// <summary><c>get_delegation : (UserNumber, FrontendHostname, SessionKey, Timestamp) -&gt; (GetDelegationResponse) query</c>.</summary>
    public Task<GetDelegationResponse> GetDelegationAsync(ulong anchor, string frontendHostname, byte[] sessionKey, ulong expiration,
        CancellationToken cancellationToken = default) =>
        Agent.QueryAsync<GetDelegationResponse>(CanisterId, "get_delegation", CandidArgs.Encode(anchor, frontendHostname, sessionKey, expiration),
            cancellationToken);

    /// <summary>
    /// Signs <paramref name="sessionKey"/> in for <paramref name="frontendHostname"/> as the dapp's login does:
    /// prepare_delegation, get_delegation, and the resulting <see cref="DelegationIdentity"/> (its principal is
    /// get_principal(anchor, frontendHostname)).
    /// </summary>
    public async Task<DelegationIdentity> LoginAsync(ulong anchor, string frontendHostname, SignIdentity sessionKey, ulong? maxTimeToLiveNanos = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        (byte[] userKey, ulong expiration) = await PrepareDelegationAsync(anchor, frontendHostname, sessionKey.PublicKeyDer, maxTimeToLiveNanos,
            cancellationToken).ConfigureAwait(false);
        GetDelegationResponse response = await GetDelegationAsync(anchor, frontendHostname, sessionKey.PublicKeyDer, expiration, cancellationToken)
            .ConfigureAwait(false);
        return response is GetDelegationResponse.SignedDelegation signed
            ? new DelegationIdentity(sessionKey, new DelegationChain(userKey, [signed.Value.ToSignedDelegation()]))
            : throw new IcAgentException($"get_delegation answered no_such_delegation for anchor {anchor} and {frontendHostname}");
    }
}
