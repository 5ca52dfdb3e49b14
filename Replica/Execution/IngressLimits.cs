namespace InternetIdentity.Replica.Execution;

/// <summary>The IC's ingress limits (dfinity/ic rs/limits): expiry window and sizes.</summary>
public static class IngressLimits
{
    /// <summary>MAX_INGRESS_TTL: 5 minutes.</summary>
    public const ulong MaxIngressTtlNanos = 5UL * 60 * 1_000_000_000;

    /// <summary>PERMITTED_DRIFT_AT_VALIDATOR: 30 seconds of clock drift allowed on top of the TTL.</summary>
    public const ulong PermittedDriftNanos = 30UL * 1_000_000_000;

    /// <summary>The furthest ahead an ingress_expiry may be: TTL plus drift.</summary>
    public const ulong MaxExpiryAheadNanos = MaxIngressTtlNanos + PermittedDriftNanos;

    /// <summary>The largest request body accepted: 2 MiB.</summary>
    public const int MaxRequestBodyBytes = 2 * 1024 * 1024;

    /// <summary>The most paths one read_state may ask for.</summary>
    public const int MaxReadStatePaths = 1000;

    /// <summary>The most labels one read_state path may have.</summary>
    public const int MaxPathLabels = 127;
}
