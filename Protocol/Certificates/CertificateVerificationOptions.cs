using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Protocol.Certificates;

/// <summary>What a certificate is checked against: the root key, the scope it must cover, and optionally the time.</summary>
public sealed record CertificateVerificationOptions
{
    /// <summary>The IC root key: 96 raw bytes or the 133-byte DER.</summary>
    public required ReadOnlyMemory<byte> RootKey { get; init; }

    /// <summary>When set, a delegation must cover this canister in its canister ranges.</summary>
    public Principal? EffectiveCanisterId { get; init; }

    /// <summary>When set, a delegation must be for exactly this subnet (subnet endpoints).</summary>
    public Principal? EffectiveSubnetId { get; init; }

    /// <summary>Current time in nanoseconds since the epoch; when null, <c>/time</c> is not checked.</summary>
    public ulong? NowNanos { get; init; }

    /// <summary>How far <c>/time</c> may lie from <see cref="NowNanos"/>, either way (default 5 minutes).</summary>
    public ulong MaxAgeNanos { get; init; } = 5UL * 60 * 1_000_000_000;
}
