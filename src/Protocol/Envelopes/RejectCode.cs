namespace InternetIdentity.Protocol.Envelopes;

/// <summary>The IC's reject codes.</summary>
public enum RejectCode : ulong
{
    /// <summary>1: fatal system error, retrying will not help.</summary>
    SysFatal = 1,

    /// <summary>2: transient system error, retrying may help.</summary>
    SysTransient = 2,

    /// <summary>3: the destination (canister or method) is invalid.</summary>
    DestinationInvalid = 3,

    /// <summary>4: the canister rejected the call explicitly.</summary>
    CanisterReject = 4,

    /// <summary>5: the canister trapped or failed.</summary>
    CanisterError = 5,

    /// <summary>6: unknown outcome (best-effort calls).</summary>
    SysUnknown = 6,
}
