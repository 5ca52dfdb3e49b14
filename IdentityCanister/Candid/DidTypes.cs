using InternetIdentity.Protocol.Candid;
using T = InternetIdentity.Protocol.Candid.CandidType;

namespace InternetIdentity.IdentityCanister.Candid;

/// <summary>The Candid types of <c>internet_identity.did</c> (the subset in <c>internet_identity.did</c> of this project).</summary>
internal static class DidTypes
{
    public static readonly CandidType Blob = T.Blob;
    public static readonly CandidType Nat64 = T.Nat64;
    public static readonly CandidType Text = T.Text;

    public static readonly CandidType MetadataMap = Recursive("MetadataMap", self => T.Vec(T.Tuple(T.Text, T.Variant(("map", self), ("string", T.Text), ("bytes", T.Blob)))));
    public static readonly CandidType MetadataMapV2 = Recursive("MetadataMapV2", self => T.Vec(T.Tuple(T.Text, T.Variant(("Map", self), ("String", T.Text), ("Bytes", T.Blob)))));

    public static readonly CandidType Purpose = T.Enum("recovery", "authentication");
    public static readonly CandidType KeyType = T.Enum("unknown", "platform", "cross_platform", "seed_phrase", "browser_storage_key");
    public static readonly CandidType DeviceProtection = T.Enum("protected", "unprotected");

    public static readonly CandidType DeviceData = T.Record(
        ("pubkey", T.Blob), ("alias", T.Text), ("credential_id", T.Opt(T.Blob)), ("aaguid", T.Opt(T.Blob)), ("purpose", Purpose),
        ("key_type", KeyType), ("protection", DeviceProtection), ("origin", T.Opt(T.Text)), ("metadata", T.Opt(MetadataMap)));

    public static readonly CandidType DeviceWithUsage = T.Record(
        ("pubkey", T.Blob), ("alias", T.Text), ("credential_id", T.Opt(T.Blob)), ("aaguid", T.Opt(T.Blob)), ("purpose", Purpose),
        ("key_type", KeyType), ("protection", DeviceProtection), ("origin", T.Opt(T.Text)), ("last_usage", T.Opt(T.Nat64)),
        ("metadata", T.Opt(MetadataMap)));

    public static readonly CandidType Challenge = T.Record(("png_base64", T.Text), ("challenge_key", T.Text));
    public static readonly CandidType ChallengeResult = T.Record(("key", T.Text), ("chars", T.Text));
    public static readonly CandidType RegisterResponse = T.Variant(
        ("registered", T.Record(("user_number", T.Nat64))), ("canister_full", T.Null), ("bad_challenge", T.Null));

    public static readonly CandidType AddTentativeDeviceResponse = T.Variant(
        ("added_tentatively", T.Record(("verification_code", T.Text), ("device_registration_timeout", T.Nat64))),
        ("device_registration_mode_off", T.Null), ("another_device_tentatively_added", T.Null),
        ("passkey_with_this_public_key_is_already_used", T.Null));

    public static readonly CandidType VerifyTentativeDeviceResponse = T.Variant(
        ("verified", T.Null), ("wrong_code", T.Record(("retries_left", T.Nat8))), ("device_registration_mode_off", T.Null),
        ("no_device_to_verify", T.Null));

    public static readonly CandidType Delegation = T.Record(("pubkey", T.Blob), ("expiration", T.Nat64), ("targets", T.Opt(T.Vec(T.Principal))));
    public static readonly CandidType SignedDelegation = T.Record(("delegation", Delegation), ("signature", T.Blob));
    public static readonly CandidType GetDelegationResponse = T.Variant(("signed_delegation", SignedDelegation), ("no_such_delegation", T.Null));

    public static readonly CandidType ArchiveConfig = T.Record(
        ("module_hash", T.Blob), ("entries_buffer_limit", T.Nat64), ("entries_fetch_limit", T.Nat16), ("polling_interval_ns", T.Nat64));

    public static readonly CandidType InternetIdentityStats = T.Record(
        ("users_registered", T.Nat64), ("storage_layout_version", T.Nat8), ("assigned_user_number_range", T.Tuple(T.Nat64, T.Nat64)),
        ("archive_info", T.Record(("archive_canister", T.Opt(T.Principal)), ("archive_config", T.Opt(ArchiveConfig)))),
        ("canister_creation_cycles_cost", T.Nat64),
        ("event_aggregations", T.Vec(T.Tuple(T.Text, T.Vec(T.Tuple(T.Text, T.Nat64))))));

    public static readonly CandidType RateLimitConfig = T.Record(("time_per_token_ns", T.Nat64), ("max_tokens", T.Nat64));

    public static readonly CandidType CaptchaConfig = T.Record(
        ("max_unsolved_captchas", T.Nat64),
        ("captcha_trigger", T.Variant(
            ("Dynamic", T.Record(("threshold_pct", T.Nat16), ("current_rate_sampling_interval_s", T.Nat64), ("reference_rate_sampling_interval_s", T.Nat64))),
            ("Static", T.Enum("CaptchaEnabled", "CaptchaDisabled")))));

    public static readonly CandidType DummyAuthConfig = T.Record(("prompt_for_index", T.Bool));

    public static readonly CandidType InternetIdentityInit = T.Record(
        ("assigned_user_number_range", T.Opt(T.Tuple(T.Nat64, T.Nat64))), ("archive_config", T.Opt(ArchiveConfig)),
        ("canister_creation_cycles_cost", T.Opt(T.Nat64)), ("register_rate_limit", T.Opt(RateLimitConfig)),
        ("captcha_config", T.Opt(CaptchaConfig)), ("related_origins", T.Opt(T.Vec(T.Text))),
        ("fetch_root_key", T.Opt(T.Bool)), ("dummy_auth", T.Opt(T.Opt(DummyAuthConfig))),
        ("alternative_origins", T.Opt(T.Vec(T.Text))));

    public static readonly CandidType DeviceRegistrationInfo = T.Record(
        ("tentative_device", T.Opt(DeviceData)), ("tentative_session", T.Opt(T.Principal)), ("expiration", T.Nat64));

    public static readonly CandidType OpenIdCredential = T.Record(
        ("iss", T.Text), ("sub", T.Text), ("aud", T.Text), ("last_usage_timestamp", T.Opt(T.Nat64)), ("metadata", MetadataMapV2));

    public static readonly CandidType IdentityAnchorInfo = T.Record(
        ("devices", T.Vec(DeviceWithUsage)), ("device_registration", T.Opt(DeviceRegistrationInfo)),
        ("openid_credentials", T.Opt(T.Vec(OpenIdCredential))), ("name", T.Opt(T.Text)), ("created_at", T.Opt(T.Nat64)));

    public static readonly CandidType WebAuthnCredential = T.Record(("credential_id", T.Blob), ("pubkey", T.Blob));

    public static readonly CandidType AnchorCredentials = T.Record(
        ("credentials", T.Vec(WebAuthnCredential)), ("recovery_credentials", T.Vec(WebAuthnCredential)), ("recovery_phrases", T.Vec(T.Blob)));

    public static readonly CandidType DeviceKeyWithAnchor = T.Record(("pubkey", T.Blob), ("anchor_number", T.Nat64));

    public static readonly CandidType AuthnMethod = T.Variant(
        ("WebAuthn", T.Record(("credential_id", T.Blob), ("pubkey", T.Blob), ("aaguid", T.Opt(T.Blob)))),
        ("PubKey", T.Record(("pubkey", T.Blob))));

    public static readonly CandidType AuthnMethodSecuritySettings = T.Record(
        ("protection", T.Enum("Protected", "Unprotected")), ("purpose", T.Enum("Recovery", "Authentication")));

    public static readonly CandidType AuthnMethodData = T.Record(
        ("authn_method", AuthnMethod), ("security_settings", AuthnMethodSecuritySettings), ("metadata", MetadataMapV2),
        ("last_authentication", T.Opt(T.Nat64)));

    public static readonly CandidType AuthnMethodRegistrationInfo = T.Record(
        ("authn_method", T.Opt(AuthnMethodData)), ("session", T.Opt(T.Principal)), ("expiration", T.Nat64));

    public static readonly CandidType IdentityAuthnInfo = T.Record(("authn_methods", T.Vec(AuthnMethod)), ("recovery_authn_methods", T.Vec(AuthnMethod)));

    public static readonly CandidType IdentityInfo = T.Record(
        ("authn_methods", T.Vec(AuthnMethodData)), ("authn_method_registration", T.Opt(AuthnMethodRegistrationInfo)),
        ("openid_credentials", T.Opt(T.Vec(OpenIdCredential))), ("metadata", MetadataMapV2), ("name", T.Opt(T.Text)),
        ("created_at", T.Opt(T.Nat64)));

    public static readonly CandidType IdentityInfoError = T.Variant(("Unauthorized", T.Principal), ("InternalCanisterError", T.Text));

    public static readonly CandidType RegistrationFlowNextStep = T.Variant(
        ("CheckCaptcha", T.Record(("captcha_png_base64", T.Text))), ("Finish", T.Null));

    public static readonly CandidType IdRegNextStepResult = T.Record(("next_step", RegistrationFlowNextStep));
    public static readonly CandidType IdRegStartError = T.Enum("InvalidCaller", "RateLimitExceeded", "AlreadyInProgress");
    public static readonly CandidType CheckCaptchaArg = T.Record(("solution", T.Text));

    public static readonly CandidType CheckCaptchaError = T.Variant(
        ("WrongSolution", T.Record(("new_captcha_png_base64", T.Text))), ("UnexpectedCall", T.Record(("next_step", RegistrationFlowNextStep))),
        ("NoRegistrationFlow", T.Null));

    public static readonly CandidType IdRegFinishArg = T.Record(("authn_method", AuthnMethodData), ("name", T.Opt(T.Text)));
    public static readonly CandidType IdRegFinishResult = T.Record(("identity_number", T.Nat64));

    public static readonly CandidType IdRegFinishError = T.Variant(
        ("UnexpectedCall", T.Record(("next_step", RegistrationFlowNextStep))), ("NoRegistrationFlow", T.Null),
        ("InvalidAuthnMethod", T.Text), ("StorageError", T.Text));

    public static readonly CandidType AuthnMethodAddError = T.Variant(("InvalidMetadata", T.Text));
    public static readonly CandidType AuthnMethodReplaceError = T.Variant(
        ("InvalidMetadata", T.Text), ("AuthnMethodNotFound", T.Null), ("PasskeyWithThisPublicKeyIsAlreadyUsed", T.Null));
    public static readonly CandidType AuthnMethodMetadataReplaceError = T.Variant(("InvalidMetadata", T.Text), ("AuthnMethodNotFound", T.Null));
    public static readonly CandidType AuthnMethodSecuritySettingsReplaceError = T.Variant(("AuthnMethodNotFound", T.Null));

    // HttpRequest / HttpResponse (and the streaming types with Token = record {}) are the canister HTTP interface's:
    // Protocol.Http.CanisterHttpInterface.

    /// <summary><c>variant { Ok : ok; Err : err }</c></summary>
    public static CandidType Result(CandidType ok, CandidType err) => T.Variant(("Ok", ok), ("Err", err));

    private static CandidType Recursive(string name, Func<CandidType, CandidType> body)
    {
        var knot = new CandidRecursiveType(name);
        knot.Define(body(knot));
        return knot;
    }
}
