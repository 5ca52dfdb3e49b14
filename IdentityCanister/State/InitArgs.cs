using System.Collections.Immutable;

namespace InternetIdentity.IdentityCanister.State;

/// <summary>
/// The supported part of <c>InternetIdentityInit</c>: each field null keeps the current value (<c>dummy_auth</c> is
/// <c>opt opt</c>: absent keeps it, <c>opt null</c> turns it off).
/// </summary>
internal sealed record InitArgs(
    (ulong Lo, ulong Hi)? AssignedUserNumberRange = null,
    (ulong TimePerTokenNs, ulong MaxTokens)? RegisterRateLimit = null,
    (ulong MaxUnsolvedCaptchas, bool Enabled)? CaptchaConfig = null,
    ImmutableArray<string>? RelatedOrigins = null,
    bool? FetchRootKey = null,
    Optional<DummyAuthConfig?>? DummyAuth = null,
    ImmutableArray<string>? AlternativeOrigins = null)
{
    /// <summary>The most origins <c>/.well-known/ii-alternative-origins</c> may list (II's MAX_ALTERNATIVE_ORIGINS).</summary>
    public const int MaxAlternativeOrigins = 10;

    /// <summary>The configuration after applying these arguments; traps like II when the range would lose anchors.</summary>
    public CanisterConfig ApplyTo(CanisterConfig config, ulong anchorCount)
    {
        if (AssignedUserNumberRange is { } range)
        {
            if (range.Lo > range.Hi)
            {
                throw new CanisterTrap($"set_anchor_number_range: invalid range [{range.Lo}, {range.Hi})");
            }

            if (anchorCount > 0 && range.Lo != config.RangeLo)
            {
                throw new CanisterTrap(
                    $"set_anchor_number_range: specified range [{range.Lo}, {range.Hi}) does not start from the same number ({config.RangeLo}) as the existing range thus would make existing anchors invalid");
            }

            if (range.Hi - range.Lo < anchorCount)
            {
                throw new CanisterTrap(
                    $"set_anchor_number_range: specified range [{range.Lo}, {range.Hi}) does not accommodate all {anchorCount} anchors thus would make existing anchors invalid");
            }

            config = config with { RangeLo = range.Lo, RangeHi = range.Hi };
        }

        if (RegisterRateLimit is { } rl)
        {
            config = config with { TimePerTokenNs = rl.TimePerTokenNs, MaxTokens = rl.MaxTokens };
        }

        if (CaptchaConfig is { } cc)
        {
            config = config with { MaxUnsolvedCaptchas = cc.MaxUnsolvedCaptchas, CaptchaEnabled = cc.Enabled };
        }

        if (RelatedOrigins is { } ro)
        {
            config = config with { RelatedOrigins = ro };
        }

        if (FetchRootKey is { } fetch)
        {
            config = config with { FetchRootKey = fetch };
        }

        if (DummyAuth is { } dummy)
        {
            config = config with { DummyAuth = dummy.Value };
        }

        if (AlternativeOrigins is { } alternatives)
        {
            if (alternatives.Length > MaxAlternativeOrigins)
            {
                throw new CanisterTrap($"alternative_origins: {alternatives.Length} origins; at most {MaxAlternativeOrigins} are allowed");
            }

            foreach (string origin in alternatives)
            {
                if (!Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri) || uri.GetLeftPart(UriPartial.Authority) != origin)
                {
                    throw new CanisterTrap($"alternative_origins: {origin} is not an origin (scheme://host[:port], no path)");
                }
            }

            config = config with { AlternativeOrigins = alternatives };
        }

        return config;
    }
}

/// <summary>A value that is present, possibly null (Candid's <c>opt opt T</c> once the outer <c>opt</c> is known to be set).</summary>
internal readonly record struct Optional<T>(T Value);
