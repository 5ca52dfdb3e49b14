using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Gateway;

/// <summary>The canister a browser request is for, and whether its response must be verified.</summary>
/// <param name="CanisterId">The canister whose <c>http_request</c> answers.</param>
/// <param name="Verify">False for a <c>&lt;id&gt;.raw.localhost</c> host, whose responses pass unverified.</param>
public readonly record struct CanisterTarget(Principal CanisterId, bool Verify);

/// <summary>
/// Finds the canister of a browser request as the IC's HTTP gateway (ic-gateway, as PocketIC and dfx run it) does, in this
/// order: the host name <c>&lt;id&gt;.localhost</c> (<c>&lt;id&gt;.raw.localhost</c> skips verification), the query
/// parameter <c>canisterId</c>, then the <c>Referer</c>'s host or its <c>canisterId</c> (so that the scripts of a page
/// opened at <c>http://127.0.0.1:4943/?canisterId=...</c> resolve too).
/// </summary>
public static class CanisterResolution
{
    private const string LocalDomain = "localhost";
    private const string RawLabel = "raw";

    /// <summary>The outcome: a target, or null with the reason why none was found (or why the request named one wrongly).</summary>
    public readonly record struct Result(CanisterTarget? Target, string? Error);

    /// <summary>Resolves from the request's host (without port), its query string (with or without '?') and its Referer.</summary>
    public static Result Resolve(string? host, string? query, string? referer)
    {
        if (FromHost(host) is { } fromHost)
        {
            return fromHost;
        }

        if (QueryParameter(query, "canisterId") is { } queryId)
        {
            return Principal.TryParse(queryId, out Principal? id)
                ? new Result(new CanisterTarget(id!, Verify: true), null)
                : new Result(null, $"canisterId={queryId} is not a valid canister id");
        }

        if (referer is not null && Uri.TryCreate(referer, UriKind.Absolute, out Uri? refererUri))
        {
            if (FromHost(refererUri.Host) is { Target: not null } fromReferer)
            {
                return fromReferer;
            }

            if (QueryParameter(refererUri.Query, "canisterId") is { } refererId && Principal.TryParse(refererId, out Principal? id))
            {
                return new Result(new CanisterTarget(id!, Verify: true), null);
            }
        }

        return new Result(null, "no canister id in the request: open http://<canister-id>.localhost:<port>/ or add ?canisterId=<canister-id>");
    }

    // Null when the host names no canister (plain localhost, 127.0.0.1, another name): the other sources are tried then.
    private static Result? FromHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }

        string[] labels = host.TrimEnd('.').ToLowerInvariant().Split('.');
        if (labels.Length < 2 || labels[^1] != LocalDomain)
        {
            return null;
        }

        bool raw = labels.Length == 3 && labels[1] == RawLabel;
        if (labels.Length > 3 || (labels.Length == 3 && !raw))
        {
            return new Result(null, $"host {host} is not <canister-id>.localhost or <canister-id>.raw.localhost");
        }

        // ic-gateway strips a "<name>--" prefix (custom subdomains in front of the id).
        string label = labels[0];
        int prefix = label.LastIndexOf("--", StringComparison.Ordinal);
        if (prefix >= 0)
        {
            label = label[(prefix + 2)..];
        }

        return Principal.TryParse(label, out Principal? id)
            ? new Result(new CanisterTarget(id!, Verify: !raw), null)
            : new Result(null, $"{labels[0]} in host {host} is not a valid canister id");
    }

    private static string? QueryParameter(string? query, string name)
    {
        if (string.IsNullOrEmpty(query))
        {
            return null;
        }

        foreach (string pair in query.TrimStart('?').Split('&'))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? pair : pair[..eq];
            if (key == name)
            {
                return Uri.UnescapeDataString(eq < 0 ? "" : pair[(eq + 1)..]);
            }
        }

        return null;
    }
}
