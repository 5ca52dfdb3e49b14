using InternetIdentity.Protocol.Http;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// A file to serve and certify: its path in the asset tree (e.g. <c>index.html</c>, <c>x/y.js</c>), the bytes as
/// served, the content type, the content encoding those bytes carry (<c>gzip</c> for a precompressed file) and any
/// further headers (e.g. <c>Cache-Control</c>). The URL paths it is served under follow II's aliasing
/// (<see cref="AssetUrlPaths"/>).
/// </summary>
/// <param name="Path">The file's path, relative to the asset root (a leading <c>/</c> is ignored).</param>
/// <param name="Body">The bytes served.</param>
/// <param name="ContentType">The <c>Content-Type</c> header value.</param>
/// <param name="ContentEncoding">The <c>Content-Encoding</c> header value, or null for identity.</param>
/// <param name="Headers">Further headers served (and certified) with this asset; null for none.</param>
public sealed record HttpAsset(string Path, ReadOnlyMemory<byte> Body, string ContentType, string? ContentEncoding = null, IReadOnlyList<HttpHeaderField>? Headers = null)
{
    /// <summary>
    /// An asset from a built file as II collects them: <c>name.ext.gz</c> is served as <c>name.ext</c> with
    /// <c>Content-Encoding: gzip</c>, and the content type comes from the extension (<see cref="ContentTypeFor"/>).
    /// </summary>
    public static HttpAsset FromFile(string filePath, ReadOnlyMemory<byte> body, IReadOnlyList<HttpHeaderField>? headers = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        bool gzip = filePath.EndsWith(".gz", StringComparison.Ordinal);
        string path = gzip ? filePath[..^3] : filePath;
        return new HttpAsset(path, body, ContentTypeFor(path), gzip ? "gzip" : null, headers);
    }

    /// <summary>
    /// The content type of a file name by its extension: II's table (html, js, json, css, ico, webp, png, svg, woff2)
    /// and a few more common ones; <c>application/octet-stream</c> otherwise.
    /// </summary>
    public static string ContentTypeFor(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        string name = fileName[(fileName.LastIndexOf('/') + 1)..];
        int dot = name.LastIndexOf('.');
        string extension = dot < 0 ? "" : name[(dot + 1)..].ToLowerInvariant();
        return extension switch
        {
            "html" or "htm" => "text/html",
            "js" or "mjs" => "text/javascript",
            "json" or "map" => "application/json",
            "css" => "text/css",
            "ico" => "image/vnd.microsoft.icon",
            "webp" => "image/webp",
            "png" => "image/png",
            "jpg" or "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "svg" => "image/svg+xml",
            "woff2" => "application/font-woff2",
            "woff" => "font/woff",
            "txt" => "text/plain",
            "wasm" => "application/wasm",
            "webmanifest" => "application/manifest+json",
            _ => "application/octet-stream",
        };
    }
}
