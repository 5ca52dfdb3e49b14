using System.Text;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// The path and query of an <c>HttpRequest.url</c> as response verification reads them: the path percent-decoded
/// (invalid escapes kept as they are, the result must be UTF-8), the query as sent, a fragment dropped. Accepts a
/// request target (<c>/a/b?q</c>) or an absolute URL (<c>https://host/a/b?q</c>).
/// </summary>
public static class HttpRequestUrl
{
    /// <summary>The percent-decoded path, or false with a reason when the URL is malformed or not UTF-8 after decoding.</summary>
    public static bool TryGetPath(string url, out string path, out string? error)
    {
        ArgumentNullException.ThrowIfNull(url);
        path = "";
        if (!TrySplit(url, out string rawPath, out _, out error))
        {
            return false;
        }

        if (!TryPercentDecode(rawPath, out path))
        {
            error = $"Error converting UTF8 string bytes: the path of \"{url}\" is not UTF-8 after percent-decoding";
            return false;
        }

        return true;
    }

    /// <summary>The query string (without <c>?</c>; null when there is none), or false when the URL is malformed.</summary>
    public static bool TryGetQuery(string url, out string? query, out string? error)
    {
        ArgumentNullException.ThrowIfNull(url);
        return TrySplit(url, out _, out query, out error);
    }

    private static bool TrySplit(string url, out string path, out string? query, out string? error)
    {
        path = "";
        query = null;
        error = null;
        foreach (char c in url)
        {
            // Characters no URI may hold unescaped.
            if (c <= ' ' || c == '\x7f' || c is '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}')
            {
                error = $"Failed to parse url: \"{url}\"";
                return false;
            }
        }

        string rest = url;
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (!url.StartsWith('/'))
        {
            if (scheme <= 0 || url.AsSpan(0, scheme).ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."))
            {
                error = $"Failed to parse url: \"{url}\"";
                return false;
            }

            // scheme://authority[/path][?query]: the path starts at the first '/', '?' or '#' after the authority.
            string afterScheme = url[(scheme + 3)..];
            int end = afterScheme.IndexOfAny(['/', '?', '#']);
            if (end == 0)
            {
                error = $"Failed to parse url: \"{url}\"";
                return false;
            }

            rest = end < 0 ? "" : afterScheme[end..];
        }

        int hash = rest.IndexOf('#');
        if (hash >= 0)
        {
            rest = rest[..hash];
        }

        int question = rest.IndexOf('?');
        path = question < 0 ? rest : rest[..question];
        query = question < 0 ? null : rest[(question + 1)..];
        if (path.Length == 0)
        {
            path = "/";
        }

        return true;
    }

    private static bool TryPercentDecode(string text, out string decoded)
    {
        decoded = text;
        if (!text.Contains('%'))
        {
            return true;
        }

        var bytes = new List<byte>(text.Length);
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == '%' && i + 2 < utf8.Length && IsHex(utf8[i + 1]) && IsHex(utf8[i + 2]))
            {
                bytes.Add((byte)((HexValue(utf8[i + 1]) << 4) | HexValue(utf8[i + 2])));
                i += 2;
            }
            else
            {
                bytes.Add(utf8[i]);
            }
        }

        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
