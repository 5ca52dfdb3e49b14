namespace InternetIdentity.Agent.Http;

/// <summary>
/// A certificate or query signature failed verification (bad signature, wrong root key, outside the canister's
/// subnet, too old, malformed), so the answer was not trusted.
/// </summary>
public sealed class IcCertificateException : IcAgentException
{
    /// <summary>Creates the exception with the reason.</summary>
    public IcCertificateException(string message, bool isTimeRelated = false, Exception? inner = null)
        : base(message, inner) => IsTimeRelated = isTimeRelated;

    /// <summary>Whether the failure was about time (<c>/time</c> or a signature timestamp too far from the synced clock).</summary>
    public bool IsTimeRelated { get; }
}
