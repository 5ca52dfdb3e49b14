using System.Globalization;
using System.Text;
using InternetIdentity.IdentityCanister.Core;

namespace InternetIdentity.IdentityCanister;

/// <summary><c>http_request</c> of <c>/metrics</c>: the canister's figures in the Prometheus text format (uncertified, as in II).</summary>
internal static class Metrics
{
    /// <summary>Whether a request URL (path and query) asks for the metrics.</summary>
    public static bool IsMetricsUrl(string url) => url.Split('?', 2)[0] == "/metrics";

    /// <summary>The metrics page.</summary>
    public static string Render(Execution x)
    {
        var s = x.State;
        var sb = new StringBuilder();
        void Gauge(string name, string help, ulong value)
        {
            sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(" gauge\n");
            sb.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append((x.Context.Time / 1_000_000).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Gauge("internet_identity_user_count", "Number of users registered in this canister.", s.AnchorCount);
        Gauge("internet_identity_min_user_number", "The lowest Internet Identity Anchor served by this canister.", s.Config.RangeLo);
        Gauge("internet_identity_max_user_number", "The highest Internet Identity Anchor that can be served by this canister.", s.Config.RangeHi - 1);
        Gauge("internet_identity_signature_count", "Number of active signatures issued for this canister.", (ulong)s.Signatures.QueueLength);
        Gauge("internet_identity_inflight_challenges", "The number of inflight CAPTCHA challenges.", (ulong)s.Captchas.Count);
        Gauge("internet_identity_temp_keys_count", "The number of temporary keys.", (ulong)s.TempKeys.Count);
        Gauge("internet_identity_users_in_registration_mode", "The number of users in registration mode.", (ulong)s.RegistrationModes.Count);
        Gauge("internet_identity_register_rate_limit_current_tokens", "The number of tokens currently available for the registration rate limit.", s.RateLimit?.Tokens ?? s.Config.MaxTokens);
        Gauge("internet_identity_register_rate_limit_max_tokens", "The maximum number of tokens for the registration rate limit.", s.Config.MaxTokens);
        Gauge("internet_identity_register_rate_limit_time_per_tokens_seconds", "Min number of seconds between two registrations.", s.Config.TimePerTokenNs / 1_000_000_000);
        return sb.ToString();
    }
}
