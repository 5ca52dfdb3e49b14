using System.Collections.Immutable;
using InternetIdentity.IdentityCanister.Captchas;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.IdentityCanister.Core;

/// <summary>The outcome of v1 <c>register</c>.</summary>
internal abstract record RegisterResponse
{
    private RegisterResponse()
    {
    }

    /// <summary><c>registered</c></summary>
    public sealed record Registered(ulong UserNumber) : RegisterResponse;

    /// <summary><c>canister_full</c></summary>
    public sealed record CanisterFull : RegisterResponse;

    /// <summary><c>bad_challenge</c></summary>
    public sealed record BadChallenge : RegisterResponse;
}

/// <summary>Registration: captchas, rate limit, v1 <c>register</c> (II's <c>anchor_management/registration</c>).</summary>
internal sealed partial class Execution
{
    /// <summary>CAPTCHA_CHALLENGE_LIFETIME: 300 s.</summary>
    public const ulong CaptchaLifetimeNs = 300 * Time.SecondNs;

    /// <summary><c>create_challenge</c>: a new captcha; traps when too many are unsolved.</summary>
    public (string Key, byte[] Png) CreateChallenge()
    {
        PruneCaptchas();
        if ((ulong)State.Captchas.Count >= State.Config.MaxUnsolvedCaptchas)
        {
            throw new CanisterTrap("too many inflight captchas");
        }

        string key = CaptchaImage.ChallengeKey(Context.Randomness.Span);
        CaptchaEntry entry = NewCaptcha();
        State = State with { Captchas = State.Captchas.SetItem(key, entry) };
        return (key, CaptchaPng(entry));
    }

    /// <summary>
    /// II's development builds (dummy auth, here) use its dummy captcha: the solution is always "a", which is what
    /// <c>@dfinity/internet-identity-playwright</c> types.
    /// </summary>
    public const string DummyCaptchaSolution = "a";

    private string CaptchaSolution(CaptchaEntry entry) => State.Config.DummyAuth is null ? entry.Solution : DummyCaptchaSolution;

    private byte[] CaptchaPng(CaptchaEntry entry) => CaptchaImage.RenderPng(entry.Seed.AsSpan(), CaptchaSolution(entry));

    private CaptchaEntry NewCaptcha()
    {
        byte[] seed = Sha256.HashData([.. Context.Randomness.Span, .. "captcha"u8]);
        return new CaptchaEntry([.. seed], Now);
    }

    private void PruneCaptchas()
    {
        var expired = State.Captchas.Where(kv => kv.Value.CreatedAt + CaptchaLifetimeNs <= Now).Select(kv => kv.Key).ToList();
        if (expired.Count > 0)
        {
            State = State with { Captchas = State.Captchas.RemoveRange(expired) };
        }
    }

    /// <summary>Consumes the challenge and tells whether it was solved (expired or unknown keys are not).</summary>
    private bool CheckChallenge(string key, string chars)
    {
        PruneCaptchas();
        if (!State.Captchas.TryGetValue(key, out CaptchaEntry? entry))
        {
            return false;
        }

        State = State with { Captchas = State.Captchas.Remove(key) };
        return CaptchaImage.Normalize(chars) == CaptchaSolution(entry);
    }

    /// <summary>The registration token bucket; false when no token is left.</summary>
    private bool TryTakeRateLimitToken()
    {
        CanisterConfig c = State.Config;
        RateLimitState rl = State.RateLimit ?? new RateLimitState(c.MaxTokens, Now);
        if (c.TimePerTokenNs > 0 && Now > rl.Timestamp)
        {
            ulong newTokens = (Now - rl.Timestamp) / c.TimePerTokenNs;
            if (newTokens > 0)
            {
                ulong tokens = newTokens >= c.MaxTokens ? c.MaxTokens : Math.Min(c.MaxTokens, rl.Tokens + newTokens);
                rl = new RateLimitState(tokens, Now);
            }
        }

        if (rl.Tokens == 0)
        {
            State = State with { RateLimit = rl };
            return false;
        }

        State = State with { RateLimit = rl with { Tokens = rl.Tokens - 1 } };
        return true;
    }

    /// <summary>v1 <c>register</c>.</summary>
    public RegisterResponse Register(DeviceData device, string challengeKey, string challengeChars, Principal? tempKey)
    {
        if (!TryTakeRateLimitToken())
        {
            throw new CanisterTrap("rate limit reached, try again later");
        }

        if (State.Config.CaptchaEnabled && !CheckChallenge(challengeKey, challengeChars))
        {
            return new RegisterResponse.BadChallenge();
        }

        Principal devicePrincipal = Principal.SelfAuthenticating(device.Pubkey.AsSpan());
        if (tempKey is not null && tempKey == devicePrincipal)
        {
            throw new CanisterTrap("temp_key and device key must not be equal");
        }

        if (Caller != devicePrincipal && (tempKey is null || Caller != tempKey))
        {
            throw new CanisterTrap(tempKey is null
                ? $"caller {Caller} could not be authenticated against device pubkey {devicePrincipal} and no temporary key was sent"
                : $"caller {Caller} could not be authenticated against device pubkey {devicePrincipal} or temporary key {tempKey}");
        }

        if (AnchorRules.CheckDevice(device) is { } error)
        {
            throw new CanisterTrap(error);
        }

        if (AllocateAnchor() is not { } number)
        {
            return new RegisterResponse.CanisterFull();
        }

        CreateAnchor(number, device, name: null);
        if (tempKey is not null)
        {
            AddTempKey(number, device.Pubkey, tempKey);
        }

        return new RegisterResponse.Registered(number);
    }

    /// <summary>The next anchor number, or null when the range is exhausted.</summary>
    private ulong? AllocateAnchor()
    {
        ulong n = State.Config.RangeLo + State.AnchorCount;
        return n >= State.Config.RangeHi ? null : n;
    }

    private void CreateAnchor(ulong number, DeviceData device, string? name)
    {
        var anchor = new Anchor(number, ImmutableArray<Device>.Empty, Now, name, MetadataMap.Empty);
        if (AnchorRules.CheckAnchor([device], anchor.Metadata) is { } error)
        {
            throw new CanisterTrap($"failed to register anchor {number}: {error}");
        }

        WriteAnchor(anchor);
        StoreDevices(anchor, [new Device(device, null)]);
    }

    /// <summary><c>init_salt</c>: sets the salt from the call's randomness, once.</summary>
    public void InitSalt()
    {
        if (State.Salt is not null)
        {
            throw new CanisterTrap("Salt already set");
        }

        State = State with { Salt = [.. Context.Randomness.Span[..32]] };
    }
}
