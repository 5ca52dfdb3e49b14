namespace InternetIdentity.Protocol.Signatures;

/// <summary>The outcome of a verification: valid, or invalid with a reason in the IC's terms.</summary>
public readonly record struct VerificationResult(bool IsValid, string? Reason)
{
    /// <summary>A successful verification.</summary>
    public static VerificationResult Valid => new(true, null);

    /// <summary>A failed verification with its reason.</summary>
    public static VerificationResult Invalid(string reason) => new(false, reason);

    /// <summary><c>valid</c> or <c>invalid: reason</c>.</summary>
    public override string ToString() => IsValid ? "valid" : "invalid: " + Reason;
}
