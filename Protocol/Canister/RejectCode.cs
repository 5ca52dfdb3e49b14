namespace InternetIdentity.Protocol.Canister;

/// <summary>The Internet Computer's reject codes.</summary>
public enum RejectCode
{
    /// <summary>1: fatal system error.</summary>
    SysFatal = 1,

    /// <summary>2: transient system error (retrying may help).</summary>
    SysTransient = 2,

    /// <summary>3: the destination (canister or method) does not exist.</summary>
    DestinationInvalid = 3,

    /// <summary>4: the canister rejected the call explicitly.</summary>
    CanisterReject = 4,

    /// <summary>5: the canister trapped or failed; its state is as before the call.</summary>
    CanisterError = 5,

    /// <summary>6: unknown outcome (best-effort inter-canister calls only).</summary>
    SysUnknown = 6,
}
