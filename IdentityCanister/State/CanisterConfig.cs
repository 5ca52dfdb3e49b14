using System.Collections.Immutable;

namespace InternetIdentity.IdentityCanister.State;

/// <summary>
/// The canister's configuration (what <c>InternetIdentityInit</c> sets): anchor range, registration rate limit,
/// captcha settings, related origins, and the two switches of II's development builds that its frontend reads
/// (<c>fetch_root_key</c>, <c>dummy_auth</c>), and the origins II's own <c>/.well-known/ii-alternative-origins</c> lists
/// (<c>alternative_origins</c>, ours: II ships that file with its frontend build). Defaults are II's.
/// </summary>
internal sealed record CanisterConfig(
    ulong RangeLo,
    ulong RangeHi,
    ulong TimePerTokenNs,
    ulong MaxTokens,
    ulong MaxUnsolvedCaptchas,
    bool CaptchaEnabled,
    ImmutableArray<string>? RelatedOrigins,
    bool FetchRootKey = false,
    DummyAuthConfig? DummyAuth = null,
    ImmutableArray<string>? AlternativeOrigins = null)
{
    /// <summary>II's first anchor number.</summary>
    public const ulong FirstAnchorNumber = 10_000;

    /// <summary>II's default number of anchors: (MAX_MANAGED_WASM_PAGES - 128) * 65536 / 4096 with 256 GiB.</summary>
    public const ulong MaxEntries = 67_106_816;

    /// <summary>The defaults of an install without argument.</summary>
    public static CanisterConfig Default { get; } = new(
        FirstAnchorNumber, FirstAnchorNumber + MaxEntries, 10UL * Time.SecondNs, 20_000, 500, true, null);

    /// <inheritdoc />
    public bool Equals(CanisterConfig? other) =>
        other is not null && RangeLo == other.RangeLo && RangeHi == other.RangeHi && TimePerTokenNs == other.TimePerTokenNs
        && MaxTokens == other.MaxTokens && MaxUnsolvedCaptchas == other.MaxUnsolvedCaptchas && CaptchaEnabled == other.CaptchaEnabled
        && (RelatedOrigins is null ? other.RelatedOrigins is null : other.RelatedOrigins is not null && RelatedOrigins.Value.SequenceEqual(other.RelatedOrigins.Value))
        && FetchRootKey == other.FetchRootKey && DummyAuth == other.DummyAuth
        && (AlternativeOrigins is null ? other.AlternativeOrigins is null : other.AlternativeOrigins is not null && AlternativeOrigins.Value.SequenceEqual(other.AlternativeOrigins.Value));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(RangeLo, RangeHi, MaxTokens);
}

/// <summary>
/// II's <c>DummyAuthConfig</c>: the frontend signs with a software key instead of a passkey (development builds only).
/// </summary>
/// <param name="PromptForIndex">Whether the frontend asks which of several dummy keys to use.</param>
internal readonly record struct DummyAuthConfig(bool PromptForIndex);

/// <summary>Time units in nanoseconds.</summary>
internal static class Time
{
    /// <summary>One second.</summary>
    public const ulong SecondNs = 1_000_000_000;

    /// <summary>One minute.</summary>
    public const ulong MinuteNs = 60 * SecondNs;

    /// <summary>One day.</summary>
    public const ulong DayNs = 24 * 60 * MinuteNs;

    /// <summary>a + b, saturating at ulong.MaxValue (Rust's saturating_add).</summary>
    public static ulong SaturatingAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;
}
