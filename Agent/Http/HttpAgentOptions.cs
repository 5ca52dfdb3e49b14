using InternetIdentity.Agent.Identities;

namespace InternetIdentity.Agent.Http;

/// <summary>How an <see cref="HttpAgent"/> reaches and trusts the network.</summary>
public sealed record HttpAgentOptions
{
    /// <summary>The replica or boundary node, e.g. <c>http://127.0.0.1:4943</c>.</summary>
    public required Uri Host { get; init; }

    /// <summary>The sender (anonymous by default).</summary>
    public IIdentity Identity { get; init; } = AnonymousIdentity.Instance;

    /// <summary>
    /// The pinned IC root key (133-byte DER or 96 raw bytes; mainnet: <c>IcRootKeys.MainnetDer</c>). When null the
    /// agent fetches it from <c>/api/v2/status</c>, which is right for local networks only.
    /// </summary>
    public byte[]? RootKey { get; init; }

    /// <summary>The HTTP client (the agent creates and owns one when null).</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The local clock (the system clock by default); the agent adds the offset it learns from the network.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How far ahead of the network's time requests expire (at most 5 minutes; default 4).</summary>
    public TimeSpan IngressExpiry { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>How long a call waits for its reply before a <see cref="TimeoutException"/> (default 5 minutes).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How far a certificate's <c>/time</c> or a query signature's timestamp may lie from the network's time (default 5 minutes).</summary>
    public TimeSpan MaxCertificateAge { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether query responses must carry valid node signatures (default true).</summary>
    public bool VerifyQuerySignatures { get; init; } = true;

    /// <summary>Whether calls try the synchronous <c>/api/v3/.../call</c> first (default true); otherwise v2 and polling.</summary>
    public bool UseSyncCall { get; init; } = true;
}
