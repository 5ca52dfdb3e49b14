using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using InternetIdentity.IdentityCanister.Candid;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.HttpCertification;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.IdentityCanister.Frontend;

/// <summary>
/// II's web frontend as the canister serves and certifies it (II's <c>assets.rs</c>): the files built from
/// <c>IdentityCanister/frontend</c> and embedded as <c>frontend/&lt;path&gt;</c> resources, each HTML file with the
/// canister's id and configuration put into its <c>&lt;body&gt;</c> tag (<c>fixup_html</c>), and II's security headers on
/// every response. The same id and configuration give the same bytes on every replica.
/// </summary>
internal static partial class FrontendAssets
{
    private const string ResourcePrefix = "frontend/";

    // Read once per process: the resources are part of the assembly, so every replica has the same bytes.
    private static readonly Lazy<ImmutableArray<(string Path, byte[] Body)>> s_files = new(ReadEmbedded);

    /// <summary>The embedded files (path relative to the frontend's root, bytes as built).</summary>
    public static ImmutableArray<(string Path, byte[] Body)> Files => s_files.Value;

    /// <summary>The certified asset set for a canister id and configuration.</summary>
    public static CertifiedAssets Build(Principal canisterId, CanisterConfig config)
    {
        ArgumentNullException.ThrowIfNull(canisterId);
        ArgumentNullException.ThrowIfNull(config);
        string bodyAttributes = $"<body data-canister-id=\"{canisterId}\" data-canister-config=\"{Convert.ToBase64String(InitArgCodec.EncodeConfig(config))}\" ";
        var assets = new List<HttpAsset>();
        var inlineScripts = new SortedSet<string>(StringComparer.Ordinal);
        foreach ((string path, byte[] body) in Files)
        {
            byte[] served = body;
            if (path.EndsWith(".html", StringComparison.Ordinal))
            {
                string html = Encoding.UTF8.GetString(body);
                foreach (Match script in InlineScript().Matches(html))
                {
                    inlineScripts.Add("'sha384-" + Convert.ToBase64String(SHA384.HashData(Encoding.UTF8.GetBytes(script.Groups[1].Value))) + "'");
                }

                int at = html.IndexOf("<body ", StringComparison.Ordinal);
                served = at < 0 ? body : Encoding.UTF8.GetBytes(string.Concat(html.AsSpan(0, at), bodyAttributes, html.AsSpan(at + "<body ".Length)));
            }

            assets.Add(HttpAsset.FromFile(path, served));
        }

        if (config.AlternativeOrigins is { } alternatives)
        {
            // Fetched by II frontends on other origins to validate a derivationOrigin, so it allows any origin.
            string json = "{\"alternativeOrigins\":[" + string.Join(",", alternatives.Select(o => System.Text.Json.JsonSerializer.Serialize(o))) + "]}";
            assets.Add(new HttpAsset(".well-known/ii-alternative-origins", Encoding.UTF8.GetBytes(json), "application/json",
                Headers: [new HttpHeaderField("Access-Control-Allow-Origin", "*")]));
        }

        return new CertifiedAssets(assets, SecurityHeaders(inlineScripts));
    }

    /// <summary>
    /// II's headers for every asset, with the development CSP of its local builds (<c>dev_csp</c>: <c>connect-src http:</c>
    /// for the local network and the alternative-origins check, no <c>upgrade-insecure-requests</c>). Inline scripts are
    /// allowed by their SHA-384 hashes and may load the bundle (<c>'strict-dynamic'</c>).
    /// </summary>
    private static IReadOnlyList<HttpHeaderField> SecurityHeaders(IEnumerable<string> inlineScriptHashes) =>
    [
        new("X-Frame-Options", "DENY"),
        new("X-Content-Type-Options", "nosniff"),
        new("Content-Security-Policy",
            "default-src 'none';connect-src 'self' https: http:;img-src 'self' data:;"
            + $"script-src 'strict-dynamic' {string.Join(' ', inlineScriptHashes)} 'unsafe-inline' 'unsafe-eval' https:;"
            + "base-uri 'none';form-action 'none';style-src 'self' 'unsafe-inline';style-src-elem 'self' 'unsafe-inline';"
            + "font-src 'self';frame-ancestors 'self';frame-src 'self';"),
        new("Strict-Transport-Security", "max-age=31536000 ; includeSubDomains"),
        new("Referrer-Policy", "same-origin"),
        new("Permissions-Policy",
            "accelerometer=(), ambient-light-sensor=(), autoplay=(), battery=(), camera=(), clipboard-read=(), clipboard-write=(self), "
            + "display-capture=(), document-domain=(), encrypted-media=(), fullscreen=(), gamepad=(), geolocation=(), gyroscope=(), "
            + "hid=(), idle-detection=(), interest-cohort=(), magnetometer=(), microphone=(), midi=(), payment=(), "
            + "picture-in-picture=(), publickey-credentials-get=(self), screen-wake-lock=(), serial=(), speaker-selection=(), "
            + "sync-xhr=(self), usb=(), web-share=(), window-placement=(), xr-spatial-tracking=()"),
    ];

    private static ImmutableArray<(string Path, byte[] Body)> ReadEmbedded()
    {
        var assembly = typeof(FrontendAssets).Assembly;
        var files = ImmutableArray.CreateBuilder<(string, byte[])>();
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files.Add((name[ResourcePrefix.Length..], copy.ToArray()));
        }

        return files.ToImmutable();
    }

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
