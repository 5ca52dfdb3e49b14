using InternetIdentity.IdentityCanister.Captchas;
using InternetIdentity.IdentityCanister.Model;
using InternetIdentity.IdentityCanister.State;

namespace InternetIdentity.IdentityCanister.Core;

/// <summary>The next step of a v2 registration flow: a captcha (its PNG) or Finish.</summary>
internal sealed record NextStep(byte[]? CaptchaPng)
{
    /// <summary>Finish.</summary>
    public static NextStep Finish { get; } = new((byte[]?)null);
}

/// <summary>v2 registration errors as II names them.</summary>
internal enum IdRegStartError
{
    /// <summary>Anonymous caller.</summary>
    InvalidCaller,

    /// <summary>No registration token left.</summary>
    RateLimitExceeded,

    /// <summary>The caller already has a flow.</summary>
    AlreadyInProgress,
}

/// <summary>Outcome of <c>check_captcha</c>.</summary>
internal abstract record CheckCaptchaResult
{
    private CheckCaptchaResult()
    {
    }

    /// <summary>Solved; the next step is Finish.</summary>
    public sealed record Ok(NextStep Next) : CheckCaptchaResult;

    /// <summary>Wrong: here is a new captcha.</summary>
    public sealed record WrongSolution(byte[] NewCaptchaPng) : CheckCaptchaResult;

    /// <summary>The flow is not waiting for a captcha.</summary>
    public sealed record UnexpectedCall(NextStep Next) : CheckCaptchaResult;

    /// <summary>The caller has no (live) flow.</summary>
    public sealed record NoRegistrationFlow : CheckCaptchaResult;
}

/// <summary>Outcome of <c>identity_registration_finish</c>.</summary>
internal abstract record FinishResult
{
    private FinishResult()
    {
    }

    /// <summary>Registered.</summary>
    public sealed record Ok(ulong IdentityNumber) : FinishResult;

    /// <summary>The captcha comes first.</summary>
    public sealed record UnexpectedCall(NextStep Next) : FinishResult;

    /// <summary>The caller has no (live) flow.</summary>
    public sealed record NoRegistrationFlow : FinishResult;

    /// <summary>The authentication method is not valid.</summary>
    public sealed record InvalidAuthnMethod(string Message) : FinishResult;

    /// <summary>The anchor could not be stored.</summary>
    public sealed record StorageError(string Message) : FinishResult;
}

/// <summary>The v2 registration flow (II's <c>registration_flow_v2.rs</c>).</summary>
internal sealed partial class Execution
{
    /// <summary>FLOW_EXPIRATION_NS: 5 minutes.</summary>
    public const ulong FlowExpirationNs = 5 * Time.MinuteNs;

    private string FlowKey => Caller.ToHex();

    private void PruneFlows()
    {
        var expired = State.Flows.Where(kv => kv.Value.StartedAt + FlowExpirationNs <= Now).Select(kv => kv.Key).ToList();
        if (expired.Count > 0)
        {
            State = State with { Flows = State.Flows.RemoveRange(expired) };
        }
    }

    /// <summary><c>identity_registration_start</c>.</summary>
    public (NextStep? Next, IdRegStartError? Error) IdentityRegistrationStart()
    {
        if (Caller.IsAnonymous)
        {
            return (null, IdRegStartError.InvalidCaller);
        }

        PruneFlows();
        if (State.Flows.ContainsKey(FlowKey))
        {
            return (null, IdRegStartError.AlreadyInProgress);
        }

        if (!TryTakeRateLimitToken())
        {
            return (null, IdRegStartError.RateLimitExceeded);
        }

        CaptchaEntry? captcha = State.Config.CaptchaEnabled ? NewCaptcha() : null;
        State = State with { Flows = State.Flows.SetItem(FlowKey, new RegistrationFlow(Now, captcha)) };
        return (StepOf(captcha), null);
    }

    private NextStep StepOf(CaptchaEntry? captcha) =>
        captcha is null ? NextStep.Finish : new NextStep(CaptchaPng(captcha));

    /// <summary><c>check_captcha</c>.</summary>
    public CheckCaptchaResult CheckCaptcha(string solution)
    {
        PruneFlows();
        if (!State.Flows.TryGetValue(FlowKey, out RegistrationFlow? flow))
        {
            return new CheckCaptchaResult.NoRegistrationFlow();
        }

        if (flow.Captcha is null)
        {
            return new CheckCaptchaResult.UnexpectedCall(NextStep.Finish);
        }

        if (CaptchaImage.Normalize(solution) == CaptchaSolution(flow.Captcha))
        {
            State = State with { Flows = State.Flows.SetItem(FlowKey, flow with { Captcha = null }) };
            return new CheckCaptchaResult.Ok(NextStep.Finish);
        }

        CaptchaEntry fresh = NewCaptcha();
        State = State with { Flows = State.Flows.SetItem(FlowKey, flow with { Captcha = fresh }) };
        return new CheckCaptchaResult.WrongSolution(CaptchaPng(fresh));
    }

    /// <summary><c>identity_registration_finish</c>: creates the identity and makes the caller its temp key.</summary>
    public FinishResult IdentityRegistrationFinish(AuthnMethodData authnMethod, string? name)
    {
        PruneFlows();
        if (!State.Flows.TryGetValue(FlowKey, out RegistrationFlow? flow))
        {
            return new FinishResult.NoRegistrationFlow();
        }

        if (flow.Captcha is not null)
        {
            return new FinishResult.UnexpectedCall(StepOf(flow.Captcha));
        }

        if (!AuthnMethodConversion.TryToDevice(authnMethod, out DeviceData? device, out string? conversionError))
        {
            return new FinishResult.InvalidAuthnMethod(conversionError!);
        }

        if (AnchorRules.CheckDevice(device!) is { } invalid)
        {
            return new FinishResult.InvalidAuthnMethod(invalid);
        }

        if (name is not null && System.Text.Encoding.UTF8.GetByteCount(name) > AnchorRules.NameLenLimit)
        {
            return new FinishResult.InvalidAuthnMethod($"Name is too long. Maximum length of name is {AnchorRules.NameLenLimit}.");
        }

        if (AllocateAnchor() is not { } number)
        {
            return new FinishResult.StorageError("No more identities can be registered: the anchor number range is exhausted.");
        }

        CreateAnchor(number, device!, name);
        AddTempKey(number, device!.Pubkey, Caller);
        State = State with { Flows = State.Flows.Remove(FlowKey) };
        return new FinishResult.Ok(number);
    }
}
