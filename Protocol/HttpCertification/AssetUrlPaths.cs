namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// The URL paths an asset is served under, as II's <c>asset_util</c> maps them: <c>index.html</c> under <c>/</c> and
/// <c>/index.html</c>; <c>x/index.html</c> under <c>/x</c>, <c>/x/</c> and <c>/x/index.html</c>; another page
/// <c>x/y.html</c> under <c>/x/y</c>, <c>/x/y/</c>, <c>/x/y/index.html</c> and also its own <c>/x/y.html</c>; any
/// other file under its own path.
/// </summary>
public static class AssetUrlPaths
{
    /// <summary>The URL paths for an asset path (leading <c>/</c> optional), each starting with <c>/</c>.</summary>
    public static IReadOnlyList<string> For(string assetPath)
    {
        ArgumentNullException.ThrowIfNull(assetPath);
        string path = assetPath.TrimStart('/');
        if (path.Length == 0 || path.EndsWith('/'))
        {
            throw new ArgumentException($"\"{assetPath}\" is not the path of a file", nameof(assetPath));
        }

        int slash = path.LastIndexOf('/');
        string directory = slash < 0 ? "" : path[..slash];
        string file = path[(slash + 1)..];
        if (file == "index.html")
        {
            return directory.Length == 0 ? ["/", "/index.html"] : [$"/{directory}", $"/{directory}/", $"/{directory}/index.html"];
        }

        if (file.EndsWith(".html", StringComparison.Ordinal))
        {
            string page = "/" + path[..^".html".Length];
            return [page, page + "/", page + "/index.html", "/" + path];
        }

        return ["/" + path];
    }
}
