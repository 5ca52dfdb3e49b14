using System.Collections.Immutable;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Candid;
using static InternetIdentity.IdentityCanister.Candid.DidValues;

namespace InternetIdentity.IdentityCanister.Candid;

/// <summary>Reads the install/upgrade argument <c>(opt InternetIdentityInit)</c>.</summary>
internal static class InitArgCodec
{
    /// <summary>The init arguments; an empty argument or <c>null</c> changes nothing.</summary>
    /// <exception cref="ArgumentException">malformed Candid.</exception>
    public static InitArgs Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return new InitArgs();
        }

        IReadOnlyList<CandidValue> values;
        try
        {
            values = CandidDecoder.Decode(bytes, [CandidType.Opt(DidTypes.InternetIdentityInit)]);
        }
        catch (CandidFormatException e)
        {
            throw new ArgumentException("invalid InternetIdentityInit argument: " + e.Message, nameof(bytes));
        }

        if (Opt(values[0]) is not CandidRecord init)
        {
            return new InitArgs();
        }

        (ulong, ulong)? range = Opt(init["assigned_user_number_range"]) is CandidRecord r ? (Nat64(r.Get(0)!), Nat64(r.Get(1)!)) : null;
        (ulong, ulong)? rate = Opt(init["register_rate_limit"]) is CandidRecord rl ? (Nat64(rl["time_per_token_ns"]), Nat64(rl["max_tokens"])) : null;
        (ulong, bool)? captcha = null;
        if (Opt(init["captcha_config"]) is CandidRecord cc)
        {
            (string trigger, CandidValue payload) = Case(cc["captcha_trigger"], "Dynamic", "Static");
            bool enabled = trigger == "Dynamic" || Case(payload, "CaptchaEnabled", "CaptchaDisabled").Name == "CaptchaEnabled";
            captcha = (Nat64(cc["max_unsolved_captchas"]), enabled);
        }

        ImmutableArray<string>? origins = Opt(init["related_origins"]) is CandidVec v ? [.. v.Elements.Select(Text)] : null;
        bool? fetchRootKey = Opt(init["fetch_root_key"]) is CandidBool b ? b.Value : null;
        Optional<DummyAuthConfig?>? dummyAuth = Opt(init["dummy_auth"]) is CandidOpt inner
            ? new(Opt(inner) is CandidRecord d ? new DummyAuthConfig(((CandidBool)d["prompt_for_index"]).Value) : null)
            : null;
        ImmutableArray<string>? alternatives = Opt(init["alternative_origins"]) is CandidVec av ? [.. av.Elements.Select(Text)] : null;
        return new InitArgs(range, rate, captcha, origins, fetchRootKey, dummyAuth, alternatives);
    }

    /// <summary>
    /// The configuration as an <c>InternetIdentityInit</c> record (Candid, one value of that type), as II puts it into its
    /// HTML's <c>data-canister-config</c> for the frontend to read.
    /// </summary>
    public static byte[] EncodeConfig(CanisterConfig config)
    {
        static CandidValue Some(CandidValue v) => CandidValue.Some(v);
        CandidValue captcha = CandidValue.Record(
            ("max_unsolved_captchas", CandidValue.Nat64(config.MaxUnsolvedCaptchas)),
            ("captcha_trigger", CandidValue.Variant("Static", CandidValue.Variant(config.CaptchaEnabled ? "CaptchaEnabled" : "CaptchaDisabled"))));
        CandidValue init = CandidValue.Record(
            ("assigned_user_number_range", Some(CandidValue.Tuple(CandidValue.Nat64(config.RangeLo), CandidValue.Nat64(config.RangeHi)))),
            ("archive_config", CandidValue.None),
            ("canister_creation_cycles_cost", CandidValue.None),
            ("register_rate_limit", Some(CandidValue.Record(
                ("time_per_token_ns", CandidValue.Nat64(config.TimePerTokenNs)), ("max_tokens", CandidValue.Nat64(config.MaxTokens))))),
            ("captcha_config", Some(captcha)),
            ("related_origins", config.RelatedOrigins is { } o ? Some(CandidValue.Vec([.. o.Select(CandidValue.Text)])) : CandidValue.None),
            ("fetch_root_key", Some(CandidValue.Bool(config.FetchRootKey))),
            ("dummy_auth", Some(config.DummyAuth is { } d
                ? Some(CandidValue.Record(("prompt_for_index", CandidValue.Bool(d.PromptForIndex))))
                : CandidValue.None)),
            ("alternative_origins", config.AlternativeOrigins is { } a ? Some(CandidValue.Vec([.. a.Select(CandidValue.Text)])) : CandidValue.None));
        return CandidEncoder.Encode([DidTypes.InternetIdentityInit], [init]);
    }
}
