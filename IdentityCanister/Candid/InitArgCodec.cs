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
        return new InitArgs(range, rate, captcha, origins);
    }
}
