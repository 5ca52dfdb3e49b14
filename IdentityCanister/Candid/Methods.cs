using System.Collections.Immutable;
using System.Text;
using InternetIdentity.IdentityCanister.Core;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Http;
using T = InternetIdentity.Protocol.Candid.CandidType;
using V = InternetIdentity.Protocol.Candid.CandidValue;
using static InternetIdentity.IdentityCanister.Candid.DidValues;

namespace InternetIdentity.IdentityCanister.Candid;

/// <summary>One Candid method: its argument and result types, whether it is a query, and its handler.</summary>
internal sealed record Method(string Name, bool IsQuery, CandidType[] Arguments, CandidType[] Results, Func<Execution, IReadOnlyList<V>, V[]> Handler);

/// <summary>The service's methods: each decodes its Candid arguments, runs the operation, encodes the reply.</summary>
internal static class Methods
{
    private static readonly V Unit = V.Null;

    public static readonly FrozenMethodTable Table = new(
    [
        new("create_challenge", false, [], [DidTypes.Challenge], (x, _) =>
        {
            (string key, byte[] png) = x.CreateChallenge();
            return [V.Record(("png_base64", V.Text(Convert.ToBase64String(png))), ("challenge_key", V.Text(key)))];
        }),
        new("register", false, [DidTypes.DeviceData, DidTypes.ChallengeResult, T.Opt(T.Principal)], [DidTypes.RegisterResponse], (x, a) =>
        {
            var challenge = (CandidRecord)a[1];
            RegisterResponse r = x.Register(ReadDeviceData(a[0]), Text(challenge["key"]), Text(challenge["chars"]), Opt(a[2]) is { } p ? ReadPrincipal(p) : null);
            return [r switch
            {
                RegisterResponse.Registered reg => V.Variant("registered", V.Record(("user_number", V.Nat64(reg.UserNumber)))),
                RegisterResponse.CanisterFull => V.Variant("canister_full"),
                _ => V.Variant("bad_challenge"),
            }];
        }),
        new("add", false, [T.Nat64, DidTypes.DeviceData], [], (x, a) =>
        {
            x.Add(Nat64(a[0]), ReadDeviceData(a[1]));
            return [];
        }),
        new("update", false, [T.Nat64, T.Blob, DidTypes.DeviceData], [], (x, a) =>
        {
            x.Update(Nat64(a[0]), Blob(a[1]), ReadDeviceData(a[2]));
            return [];
        }),
        new("replace", false, [T.Nat64, T.Blob, DidTypes.DeviceData], [], (x, a) =>
        {
            x.Replace(Nat64(a[0]), Blob(a[1]), ReadDeviceData(a[2]));
            return [];
        }),
        new("remove", false, [T.Nat64, T.Blob], [], (x, a) =>
        {
            x.Remove(Nat64(a[0]), Blob(a[1]));
            return [];
        }),
        new("lookup", true, [T.Nat64], [T.Vec(DidTypes.DeviceData)], (x, a) =>
        {
            Anchor? anchor = x.FindAnchor(Nat64(a[0]));
            return [new CandidVec((anchor?.Devices ?? []).Select(d => DeviceDataOf(d.Data with { Alias = "", Metadata = null })).ToArray())];
        }),
        new("get_anchor_credentials", true, [T.Nat64], [DidTypes.AnchorCredentials], (x, a) =>
        {
            var devices = x.FindAnchor(Nat64(a[0]))?.Devices ?? [];
            static V Cred(Device d) => V.Record(("credential_id", BlobOf(d.Data.CredentialId!.Value)), ("pubkey", BlobOf(d.Data.Pubkey)));
            return [V.Record(
                ("credentials", new CandidVec(devices.Where(d => d.Data.KeyType != KeyType.SeedPhrase && d.Data.CredentialId is not null && d.Data.Purpose == Purpose.Authentication).Select(Cred).ToArray())),
                ("recovery_credentials", new CandidVec(devices.Where(d => d.Data.KeyType != KeyType.SeedPhrase && d.Data.CredentialId is not null && d.Data.Purpose == Purpose.Recovery).Select(Cred).ToArray())),
                ("recovery_phrases", new CandidVec(devices.Where(d => d.Data.KeyType == KeyType.SeedPhrase).Select(d => BlobOf(d.Data.Pubkey)).ToArray())))];
        }),
        new("get_anchor_info", false, [T.Nat64], [DidTypes.IdentityAnchorInfo], (x, a) =>
        {
            (Anchor anchor, RegistrationMode? mode) = x.GetAnchorInfo(Nat64(a[0]));
            return [V.Record(
                ("devices", new CandidVec(anchor.Devices.Select(DeviceWithUsageOf).ToArray())),
                ("device_registration", OptOf(mode is null ? null : V.Record(
                    ("tentative_device", OptOf(mode.TentativeDevice is { } t ? DeviceDataOf(t) : null)),
                    ("tentative_session", V.None),
                    ("expiration", V.Nat64(mode.Expiration))))),
                ("openid_credentials", V.Some(V.Vec())),
                ("name", OptOf(anchor.Name is { } n ? V.Text(n) : null)),
                ("created_at", OptOf(anchor.CreatedAt is { } c ? V.Nat64(c) : null)))];
        }),
        new("get_principal", true, [T.Nat64, T.Text], [T.Principal], (x, a) => [PrincipalOf(x.GetPrincipal(Nat64(a[0]), Text(a[1])))]),
        new("lookup_device_key", true, [T.Blob], [T.Opt(DidTypes.DeviceKeyWithAnchor)], (x, a) =>
        {
            var found = x.LookupDeviceKey(Blob(a[0]).AsSpan());
            return [OptOf(found is { } f ? V.Record(("pubkey", BlobOf(f.Pubkey)), ("anchor_number", V.Nat64(f.Anchor))) : null)];
        }),
        new("enter_device_registration_mode", false, [T.Nat64], [T.Nat64], (x, a) => [V.Nat64(x.EnterDeviceRegistrationMode(Nat64(a[0])))]),
        new("exit_device_registration_mode", false, [T.Nat64], [], (x, a) =>
        {
            x.ExitDeviceRegistrationMode(Nat64(a[0]));
            return [];
        }),
        new("add_tentative_device", false, [T.Nat64, DidTypes.DeviceData], [DidTypes.AddTentativeDeviceResponse], (x, a) =>
            [x.AddTentativeDevice(Nat64(a[0]), ReadDeviceData(a[1])) switch
            {
                AddTentativeDeviceResponse.AddedTentatively t => V.Variant("added_tentatively", V.Record(
                    ("verification_code", V.Text(t.VerificationCode)), ("device_registration_timeout", V.Nat64(t.DeviceRegistrationTimeout)))),
                AddTentativeDeviceResponse.DeviceRegistrationModeOff => V.Variant("device_registration_mode_off"),
                AddTentativeDeviceResponse.AnotherDeviceTentativelyAdded => V.Variant("another_device_tentatively_added"),
                _ => V.Variant("passkey_with_this_public_key_is_already_used"),
            }]),
        new("verify_tentative_device", false, [T.Nat64, T.Text], [DidTypes.VerifyTentativeDeviceResponse], (x, a) =>
            [x.VerifyTentativeDevice(Nat64(a[0]), Text(a[1])) switch
            {
                VerifyTentativeDeviceResponse.Verified => V.Variant("verified"),
                VerifyTentativeDeviceResponse.WrongCode w => V.Variant("wrong_code", V.Record(("retries_left", V.Nat8(w.RetriesLeft)))),
                VerifyTentativeDeviceResponse.DeviceRegistrationModeOff => V.Variant("device_registration_mode_off"),
                _ => V.Variant("no_device_to_verify"),
            }]),
        new("identity_registration_start", false, [], [DidTypes.Result(DidTypes.IdRegNextStepResult, DidTypes.IdRegStartError)], (x, _) =>
        {
            (NextStep? next, IdRegStartError? error) = x.IdentityRegistrationStart();
            return [next is not null ? V.Variant("Ok", NextStepResult(next)) : V.Variant("Err", V.Variant(error!.Value.ToString()))];
        }),
        new("check_captcha", false, [DidTypes.CheckCaptchaArg], [DidTypes.Result(DidTypes.IdRegNextStepResult, DidTypes.CheckCaptchaError)], (x, a) =>
            [x.CheckCaptcha(Text(((CandidRecord)a[0])["solution"])) switch
            {
                CheckCaptchaResult.Ok ok => V.Variant("Ok", NextStepResult(ok.Next)),
                CheckCaptchaResult.WrongSolution w => V.Variant("Err", V.Variant("WrongSolution", V.Record(("new_captcha_png_base64", V.Text(Convert.ToBase64String(w.NewCaptchaPng)))))),
                CheckCaptchaResult.UnexpectedCall u => V.Variant("Err", V.Variant("UnexpectedCall", NextStepResult(u.Next))),
                _ => V.Variant("Err", V.Variant("NoRegistrationFlow")),
            }]),
        new("identity_registration_finish", false, [DidTypes.IdRegFinishArg], [DidTypes.Result(DidTypes.IdRegFinishResult, DidTypes.IdRegFinishError)], (x, a) =>
        {
            var arg = (CandidRecord)a[0];
            return [x.IdentityRegistrationFinish(ReadAuthnMethodData(arg["authn_method"]), Opt(arg["name"]) is { } n ? Text(n) : null) switch
            {
                FinishResult.Ok ok => V.Variant("Ok", V.Record(("identity_number", V.Nat64(ok.IdentityNumber)))),
                FinishResult.UnexpectedCall u => V.Variant("Err", V.Variant("UnexpectedCall", NextStepResult(u.Next))),
                FinishResult.NoRegistrationFlow => V.Variant("Err", V.Variant("NoRegistrationFlow")),
                FinishResult.InvalidAuthnMethod i => V.Variant("Err", V.Variant("InvalidAuthnMethod", V.Text(i.Message))),
                FinishResult.StorageError s => V.Variant("Err", V.Variant("StorageError", V.Text(s.Message))),
                _ => throw new InvalidOperationException(),
            }];
        }),
        new("identity_authn_info", true, [T.Nat64], [DidTypes.Result(DidTypes.IdentityAuthnInfo, T.Null)], (x, a) =>
        {
            if (x.FindAnchor(Nat64(a[0])) is not { } anchor)
            {
                return [V.Variant("Err")];
            }

            var methods = anchor.Devices.Select(AuthnMethodConversion.ToAuthnMethod).ToList();
            return [V.Variant("Ok", V.Record(
                ("authn_methods", new CandidVec(methods.Where(m => m.Purpose == Purpose.Authentication).Select(AuthnMethodOf).ToArray())),
                ("recovery_authn_methods", new CandidVec(methods.Where(m => m.Purpose == Purpose.Recovery).Select(AuthnMethodOf).ToArray()))))];
        }),
        new("identity_info", false, [T.Nat64], [DidTypes.Result(DidTypes.IdentityInfo, DidTypes.IdentityInfoError)], (x, a) =>
        {
            if (x.IdentityInfo(Nat64(a[0])) is not { } info)
            {
                return [V.Variant("Err", V.Variant("Unauthorized", PrincipalOf(x.Context.Caller)))];
            }

            RegistrationMode? mode = info.Mode;
            return [V.Variant("Ok", V.Record(
                ("authn_methods", new CandidVec(info.Anchor.Devices.Select(d => AuthnMethodDataOf(AuthnMethodConversion.ToAuthnMethod(d))).ToArray())),
                ("authn_method_registration", OptOf(mode is null ? null : V.Record(
                    ("authn_method", OptOf(mode.TentativeDevice is { } t ? AuthnMethodDataOf(AuthnMethodConversion.ToAuthnMethod(new Device(t, null))) : null)),
                    ("session", V.None),
                    ("expiration", V.Nat64(mode.Expiration))))),
                ("openid_credentials", V.Some(V.Vec())),
                ("metadata", MetadataOf(info.Anchor.Metadata, v2: true)),
                ("name", OptOf(info.Anchor.Name is { } n ? V.Text(n) : null)),
                ("created_at", OptOf(info.Anchor.CreatedAt is { } c ? V.Nat64(c) : null))))];
        }),
        new("authn_method_add", false, [T.Nat64, DidTypes.AuthnMethodData], [DidTypes.Result(T.Null, DidTypes.AuthnMethodAddError)], (x, a) =>
            [x.AuthnMethodAdd(Nat64(a[0]), ReadAuthnMethodData(a[1])) is { } e ? V.Variant("Err", V.Variant("InvalidMetadata", V.Text(e))) : V.Variant("Ok")]),
        new("authn_method_replace", false, [T.Nat64, T.Blob, DidTypes.AuthnMethodData], [DidTypes.Result(T.Null, DidTypes.AuthnMethodReplaceError)], (x, a) =>
            [ErrorCase(x.AuthnMethodReplace(Nat64(a[0]), Blob(a[1]), ReadAuthnMethodData(a[2])))]),
        new("authn_method_metadata_replace", false, [T.Nat64, T.Blob, DidTypes.MetadataMapV2], [DidTypes.Result(T.Null, DidTypes.AuthnMethodMetadataReplaceError)], (x, a) =>
            [ErrorCase(x.AuthnMethodMetadataReplace(Nat64(a[0]), Blob(a[1]), ReadMetadata(a[2], v2: true)))]),
        new("authn_method_security_settings_replace", false, [T.Nat64, T.Blob, DidTypes.AuthnMethodSecuritySettings], [DidTypes.Result(T.Null, DidTypes.AuthnMethodSecuritySettingsReplaceError)], (x, a) =>
        {
            (DeviceProtection protection, Purpose purpose) = ReadSecuritySettings(a[2]);
            return [x.AuthnMethodSecuritySettingsReplace(Nat64(a[0]), Blob(a[1]), protection, purpose) ? V.Variant("Ok") : V.Variant("Err", V.Variant("AuthnMethodNotFound"))];
        }),
        new("authn_method_remove", false, [T.Nat64, T.Blob], [DidTypes.Result(T.Null, T.Null)], (x, a) =>
            [x.AuthnMethodRemove(Nat64(a[0]), Blob(a[1])) ? V.Variant("Ok") : V.Variant("Err")]),
        new("prepare_delegation", false, [T.Nat64, T.Text, T.Blob, T.Opt(T.Nat64)], [T.Blob, T.Nat64], (x, a) =>
        {
            (byte[] userKey, ulong expiration) = x.PrepareDelegation(Nat64(a[0]), Text(a[1]), [.. Blob(a[2])], Opt(a[3]) is { } ttl ? Nat64(ttl) : null);
            return [V.Blob(userKey), V.Nat64(expiration)];
        }),
        new("get_delegation", true, [T.Nat64, T.Text, T.Blob, T.Nat64], [DidTypes.GetDelegationResponse], (x, a) =>
        {
            SignedDelegation? d = x.GetDelegation(Nat64(a[0]), Text(a[1]), [.. Blob(a[2])], Nat64(a[3]));
            return [d is null ? V.Variant("no_such_delegation") : V.Variant("signed_delegation", V.Record(
                ("delegation", V.Record(("pubkey", V.Blob(d.SessionKey)), ("expiration", V.Nat64(d.Expiration)), ("targets", V.None))),
                ("signature", V.Blob(d.Signature))))];
        }),
        new("http_request", true, [CanisterHttpInterface.HttpRequestType], [CanisterHttpInterface.HttpResponseType], (x, a) =>
        {
            HttpRequest request = CanisterHttpInterface.RequestFromCandid(a[0]);
            if (!Metrics.IsMetricsUrl(request.Url))
            {
                return [CanisterHttpInterface.ToCandid(x.Assets.Serve(request.Url, request.CertificateVersion,
                    x.Context.Certificate is { } certificate ? new ReadOnlyMemory<byte>(certificate) : (ReadOnlyMemory<byte>?)null, Execution.CertifiedTree(x.State)))];
            }

            string body = Metrics.Render(x);
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            return [CanisterHttpInterface.ToCandid(new HttpResponse(200,
                [new("Content-Type", "text/plain; version=0.0.4"), new("Content-Length", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))], bytes))];
        }),
        new("init_salt", false, [], [], (x, _) =>
        {
            x.InitSalt();
            return [];
        }),
        new("stats", true, [], [DidTypes.InternetIdentityStats], (x, _) =>
        [
            V.Record(
                ("users_registered", V.Nat64(x.State.AnchorCount)),
                ("storage_layout_version", V.Nat8(9)),
                ("assigned_user_number_range", V.Tuple(V.Nat64(x.State.Config.RangeLo), V.Nat64(x.State.Config.RangeHi))),
                ("archive_info", V.Record(("archive_canister", V.None), ("archive_config", V.None))),
                ("canister_creation_cycles_cost", V.Nat64(0)),
                ("event_aggregations", V.Vec())),
        ]),
        new("whoami", true, [], [T.Principal], (x, _) => [PrincipalOf(x.WhoAmI())]),
        new("__get_candid_interface_tmp_hack", true, [], [T.Text], (_, _) => [V.Text(CandidInterface.Text)]),
    ]);

    private static V NextStepResult(NextStep step) => V.Record(("next_step", step.CaptchaPng is { } png
        ? V.Variant("CheckCaptcha", V.Record(("captcha_png_base64", V.Text(Convert.ToBase64String(png)))))
        : V.Variant("Finish")));

    private static V ErrorCase(string? error) => error switch
    {
        null => V.Variant("Ok"),
        _ when error.StartsWith("InvalidMetadata:", StringComparison.Ordinal) => V.Variant("Err", V.Variant("InvalidMetadata", V.Text(error["InvalidMetadata:".Length..]))),
        _ => V.Variant("Err", V.Variant(error)),
    };
}

/// <summary>The methods by name.</summary>
internal sealed class FrozenMethodTable(IEnumerable<Method> methods)
{
    private readonly ImmutableDictionary<string, Method> _byName = methods.ToImmutableDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>The method, or null.</summary>
    public Method? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>All methods.</summary>
    public IEnumerable<Method> All => _byName.Values;
}
