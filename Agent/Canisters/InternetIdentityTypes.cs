using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Agent.Canisters;


/// <summary>II's <c>Purpose</c>.</summary>
public enum Purpose
{
    /// <summary><c>recovery</c>.</summary>
    [CandidName("recovery")] Recovery,

    /// <summary><c>authentication</c>.</summary>
    [CandidName("authentication")] Authentication,
}

/// <summary>II's <c>KeyType</c>.</summary>
public enum KeyType
{
    /// <summary><c>unknown</c>.</summary>
    [CandidName("unknown")] Unknown,

    /// <summary><c>platform</c>.</summary>
    [CandidName("platform")] Platform,

    /// <summary><c>cross_platform</c>.</summary>
    [CandidName("cross_platform")] CrossPlatform,

    /// <summary><c>seed_phrase</c>.</summary>
    [CandidName("seed_phrase")] SeedPhrase,

    /// <summary><c>browser_storage_key</c>.</summary>
    [CandidName("browser_storage_key")] BrowserStorageKey,
}

/// <summary>II's <c>DeviceProtection</c>.</summary>
public enum DeviceProtection
{
    /// <summary><c>protected</c>.</summary>
    [CandidName("protected")] Protected,

    /// <summary><c>unprotected</c>.</summary>
    [CandidName("unprotected")] Unprotected,
}

/// <summary>A value of II's <c>MetadataMap</c>: <c>variant { map; string; bytes }</c>.</summary>
[CandidVariant]
public abstract record MetadataEntry
{
    /// <summary><c>map : MetadataMap</c>.</summary>
    [CandidName("map")]
    public sealed record Map(IReadOnlyList<(string, MetadataEntry)> Value) : MetadataEntry;

    /// <summary><c>string : text</c>.</summary>
    [CandidName("string")]
    public sealed record String(string Value) : MetadataEntry;

    /// <summary><c>bytes : vec nat8</c>.</summary>
    [CandidName("bytes")]
    public sealed record Bytes(byte[] Value) : MetadataEntry;
}

/// <summary>II's <c>DeviceData</c>.</summary>
public sealed record DeviceData(
    byte[] Pubkey,
    string Alias,
    byte[]? CredentialId,
    byte[]? Aaguid,
    Purpose Purpose,
    KeyType KeyType,
    DeviceProtection Protection,
    string? Origin,
    IReadOnlyList<(string, MetadataEntry)>? Metadata);

/// <summary>II's <c>DeviceWithUsage</c> (devices in <c>get_anchor_info</c>).</summary>
public sealed record DeviceWithUsage(
    byte[] Pubkey,
    string Alias,
    byte[]? CredentialId,
    byte[]? Aaguid,
    Purpose Purpose,
    KeyType KeyType,
    DeviceProtection Protection,
    string? Origin,
    ulong? LastUsage,
    IReadOnlyList<(string, MetadataEntry)>? Metadata);

/// <summary>II's <c>DeviceRegistrationInfo</c>.</summary>
public sealed record DeviceRegistrationInfo(DeviceData? TentativeDevice, CandidPrincipal? TentativeSession, ulong Expiration);

/// <summary>II's <c>IdentityAnchorInfo</c> (fields this client reads; others are skipped).</summary>
public sealed record IdentityAnchorInfo(IReadOnlyList<DeviceWithUsage> Devices, DeviceRegistrationInfo? DeviceRegistration, string? Name, ulong? CreatedAt);

/// <summary>II's Candid <c>Delegation</c>.</summary>
public sealed record IiDelegation(byte[] Pubkey, ulong Expiration, IReadOnlyList<CandidPrincipal>? Targets)
{
    /// <summary>The protocol delegation.</summary>
    public Delegation ToDelegation() => new(Pubkey, Expiration, Targets?.Select(t => t.ToPrincipal()).ToList());
}

/// <summary>II's Candid <c>SignedDelegation</c>.</summary>
public sealed record IiSignedDelegation(IiDelegation Delegation, byte[] Signature)
{
    /// <summary>The protocol signed delegation (for a <see cref="Identities.DelegationChain"/>).</summary>
    public SignedDelegation ToSignedDelegation() => new(Delegation.ToDelegation(), Signature);
}

/// <summary>II's <c>GetDelegationResponse</c>.</summary>
[CandidVariant]
public abstract record GetDelegationResponse
{
    /// <summary><c>signed_delegation</c>.</summary>
    [CandidName("signed_delegation")]
    public sealed record SignedDelegation(IiSignedDelegation Value) : GetDelegationResponse;

    /// <summary><c>no_such_delegation</c>.</summary>
    [CandidName("no_such_delegation")]
    public sealed record NoSuchDelegation : GetDelegationResponse;
}

/// <summary>II's <c>RegistrationFlowNextStep</c>.</summary>
[CandidVariant]
public abstract record RegistrationFlowNextStep
{
    /// <summary><c>CheckCaptcha : record { captcha_png_base64 }</c>.</summary>
    [CandidName("CheckCaptcha")]
    public sealed record CheckCaptcha(string CaptchaPngBase64) : RegistrationFlowNextStep;

    /// <summary><c>Finish</c>.</summary>
    [CandidName("Finish")]
    public sealed record Finish : RegistrationFlowNextStep;
}

/// <summary>II's <c>IdRegNextStepResult</c>.</summary>
public sealed record IdRegNextStepResult(RegistrationFlowNextStep NextStep);

/// <summary>II's <c>IdRegStartError</c>.</summary>
public enum IdRegStartError
{
    /// <summary><c>InvalidCaller</c>.</summary>
    [CandidName("InvalidCaller")] InvalidCaller,

    /// <summary><c>RateLimitExceeded</c>.</summary>
    [CandidName("RateLimitExceeded")] RateLimitExceeded,

    /// <summary><c>AlreadyInProgress</c>.</summary>
    [CandidName("AlreadyInProgress")] AlreadyInProgress,
}

/// <summary>II's <c>CheckCaptchaArg</c>.</summary>
public sealed record CheckCaptchaArg(string Solution);

/// <summary>II's <c>CheckCaptchaError</c>.</summary>
[CandidVariant]
public abstract record CheckCaptchaError
{
    /// <summary><c>WrongSolution</c>.</summary>
    [CandidName("WrongSolution")]
    public sealed record WrongSolution(string NewCaptchaPngBase64) : CheckCaptchaError;

    /// <summary><c>UnexpectedCall</c>.</summary>
    [CandidName("UnexpectedCall")]
    public sealed record UnexpectedCall(RegistrationFlowNextStep NextStep) : CheckCaptchaError;

    /// <summary><c>NoRegistrationFlow</c>.</summary>
    [CandidName("NoRegistrationFlow")]
    public sealed record NoRegistrationFlow : CheckCaptchaError;
}

/// <summary>II's <c>AuthnMethodProtection</c>.</summary>
public enum AuthnMethodProtection
{
    /// <summary><c>Protected</c>.</summary>
    [CandidName("Protected")] Protected,

    /// <summary><c>Unprotected</c>.</summary>
    [CandidName("Unprotected")] Unprotected,
}

/// <summary>II's <c>AuthnMethodPurpose</c>.</summary>
public enum AuthnMethodPurpose
{
    /// <summary><c>Recovery</c>.</summary>
    [CandidName("Recovery")] Recovery,

    /// <summary><c>Authentication</c>.</summary>
    [CandidName("Authentication")] Authentication,
}

/// <summary>II's <c>AuthnMethodSecuritySettings</c>.</summary>
public sealed record AuthnMethodSecuritySettings(AuthnMethodProtection Protection, AuthnMethodPurpose Purpose);

/// <summary>II's <c>MetadataMapV2</c> values: <c>variant { Map; String; Bytes }</c>.</summary>
[CandidVariant]
public abstract record MetadataEntryV2
{
    /// <summary><c>Map</c>.</summary>
    [CandidName("Map")]
    public sealed record Map(IReadOnlyList<(string, MetadataEntryV2)> Value) : MetadataEntryV2;

    /// <summary><c>String</c>.</summary>
    [CandidName("String")]
    public sealed record String(string Value) : MetadataEntryV2;

    /// <summary><c>Bytes</c>.</summary>
    [CandidName("Bytes")]
    public sealed record Bytes(byte[] Value) : MetadataEntryV2;
}

/// <summary>II's <c>AuthnMethod</c>.</summary>
[CandidVariant]
public abstract record AuthnMethod
{
    /// <summary><c>WebAuthn : record { credential_id; pubkey; aaguid }</c>.</summary>
    [CandidName("WebAuthn")]
    public sealed record WebAuthn(byte[] CredentialId, byte[] Pubkey, byte[]? Aaguid) : AuthnMethod;

    /// <summary><c>PubKey : record { pubkey }</c>: a plain DER public key (Ed25519, ECDSA) as a device.</summary>
    [CandidName("PubKey")]
    public sealed record PubKey(byte[] Pubkey) : AuthnMethod;
}

/// <summary>II's <c>AuthnMethodData</c>.</summary>
public sealed record AuthnMethodData(
    AuthnMethod AuthnMethod,
    AuthnMethodSecuritySettings SecuritySettings,
    IReadOnlyList<(string, MetadataEntryV2)> Metadata,
    ulong? LastAuthentication);

/// <summary>II's <c>IdRegFinishArg</c>.</summary>
public sealed record IdRegFinishArg(AuthnMethodData AuthnMethod, string? Name);

/// <summary>II's <c>IdRegFinishResult</c>.</summary>
public sealed record IdRegFinishResult(ulong IdentityNumber);

/// <summary>II's <c>IdRegFinishError</c>.</summary>
[CandidVariant]
public abstract record IdRegFinishError
{
    /// <summary><c>UnexpectedCall</c>.</summary>
    [CandidName("UnexpectedCall")]
    public sealed record UnexpectedCall(RegistrationFlowNextStep NextStep) : IdRegFinishError;

    /// <summary><c>NoRegistrationFlow</c>.</summary>
    [CandidName("NoRegistrationFlow")]
    public sealed record NoRegistrationFlow : IdRegFinishError;

    /// <summary><c>InvalidAuthnMethod : text</c>.</summary>
    [CandidName("InvalidAuthnMethod")]
    public sealed record InvalidAuthnMethod(string Value) : IdRegFinishError;

    /// <summary><c>StorageError : text</c>.</summary>
    [CandidName("StorageError")]
    public sealed record StorageError(string Value) : IdRegFinishError;
}

/// <summary>The result of <c>identity_registration_start</c>: <c>variant { Ok : IdRegNextStepResult; Err : IdRegStartError }</c>.</summary>
[CandidVariant]
public abstract record IdRegStartResult
{
    /// <summary><c>Ok</c>.</summary>
    [CandidName("Ok")]
    public sealed record Ok(IdRegNextStepResult Value) : IdRegStartResult;

    /// <summary><c>Err</c>.</summary>
    [CandidName("Err")]
    public sealed record Err(IdRegStartError Value) : IdRegStartResult;
}

/// <summary>The result of <c>check_captcha</c>: <c>variant { Ok : IdRegNextStepResult; Err : CheckCaptchaError }</c>.</summary>
[CandidVariant]
public abstract record CheckCaptchaResult
{
    /// <summary><c>Ok</c>.</summary>
    [CandidName("Ok")]
    public sealed record Ok(IdRegNextStepResult Value) : CheckCaptchaResult;

    /// <summary><c>Err</c>.</summary>
    [CandidName("Err")]
    public sealed record Err(CheckCaptchaError Value) : CheckCaptchaResult;
}

/// <summary>The result of <c>identity_registration_finish</c>: <c>variant { Ok : IdRegFinishResult; Err : IdRegFinishError }</c>.</summary>
[CandidVariant]
public abstract record IdRegFinishResponse
{
    /// <summary><c>Ok</c>.</summary>
    [CandidName("Ok")]
    public sealed record Ok(IdRegFinishResult Value) : IdRegFinishResponse;

    /// <summary><c>Err</c>.</summary>
    [CandidName("Err")]
    public sealed record Err(IdRegFinishError Value) : IdRegFinishResponse;
}
