using System.Collections.Immutable;
using InternetIdentity.IdentityCanister.Model;

namespace InternetIdentity.IdentityCanister.State;

/// <summary>The registration token bucket (II's <c>RateLimitState</c>); null in the state until first used.</summary>
internal sealed record RateLimitState(ulong Tokens, ulong Timestamp);

/// <summary>An unsolved captcha: the 32 bytes its solution and image derive from, and when it was made.</summary>
internal sealed record CaptchaEntry(ImmutableArray<byte> Seed, ulong CreatedAt)
{
    /// <summary>The 5-character solution.</summary>
    public string Solution => Captchas.CaptchaImage.SolutionOf(Seed.AsSpan());

    /// <inheritdoc />
    public bool Equals(CaptchaEntry? other) => other is not null && CreatedAt == other.CreatedAt && Seed.AsSpan().SequenceEqual(other.Seed.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => CreatedAt.GetHashCode();
}

/// <summary>A temporary key: a principal allowed to act for (anchor, device) until it expires.</summary>
internal sealed record TempKey(byte[] Principal, ulong ExpiresAt)
{
    /// <inheritdoc />
    public bool Equals(TempKey? other) => other is not null && ExpiresAt == other.ExpiresAt && Principal.AsSpan().SequenceEqual(other.Principal);

    /// <inheritdoc />
    public override int GetHashCode() => ExpiresAt.GetHashCode();
}

/// <summary>A v2 registration flow of one caller: started at, and the captcha to solve (null when the next step is Finish).</summary>
internal sealed record RegistrationFlow(ulong StartedAt, CaptchaEntry? Captcha);

/// <summary>An anchor in device registration mode, possibly with a tentative device waiting for its code.</summary>
internal sealed record RegistrationMode(ulong Expiration, DeviceData? TentativeDevice, string? VerificationCode, byte FailedAttempts);

/// <summary>
/// The whole canister state, immutable: an operation builds a new state and the canister keeps it only when the
/// call does not trap. Heap-only parts (captchas, temp keys, flows, registration modes, rate limit, signatures) are
/// dropped on upgrade, like in II.
/// </summary>
internal sealed record CanisterState(
    CanisterConfig Config,
    ImmutableArray<byte>? Salt,
    PersistentSortedMap<ulong, Anchor> Anchors,
    PersistentSortedMap<ImmutableArray<byte>, ulong> CredentialIndex,
    RateLimitState? RateLimit,
    ImmutableSortedDictionary<string, CaptchaEntry> Captchas,
    ImmutableSortedDictionary<string, TempKey> TempKeys,
    ImmutableSortedDictionary<string, RegistrationFlow> Flows,
    ImmutableSortedDictionary<ulong, RegistrationMode> RegistrationModes,
    SignatureMap Signatures)
{
    /// <summary>A freshly installed canister.</summary>
    public static CanisterState Initial(CanisterConfig config) => new(
        config,
        null,
        PersistentSortedMap<ulong, Anchor>.Empty(Comparer<ulong>.Default),
        PersistentSortedMap<ImmutableArray<byte>, ulong>.Empty(CredentialIdComparer.Instance),
        null,
        ImmutableSortedDictionary<string, CaptchaEntry>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, TempKey>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, RegistrationFlow>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<ulong, RegistrationMode>.Empty,
        SignatureMap.Empty);

    /// <summary>Number of anchors allocated.</summary>
    public ulong AnchorCount => (ulong)Anchors.Count;

    /// <summary>The state kept across an upgrade (stable memory only).</summary>
    public CanisterState AfterUpgrade(CanisterConfig config) =>
        Initial(config) with { Salt = Salt, Anchors = Anchors, CredentialIndex = CredentialIndex };

    /// <summary>The key of a temp key entry.</summary>
    public static string TempKeyId(ulong anchor, ReadOnlySpan<byte> devicePubkey) => anchor.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Convert.ToHexStringLower(devicePubkey);

    /// <summary>A key to look the credential index up with (a copy: stored keys are the devices' own ids).</summary>
    public static ImmutableArray<byte> CredentialKey(ReadOnlySpan<byte> credentialId) => [.. credentialId];
}
