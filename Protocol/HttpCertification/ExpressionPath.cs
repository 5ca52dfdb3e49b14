using System.Text;
using InternetIdentity.Protocol.HashTrees;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// Expression paths of response verification v2: a request path becomes its segments (split on <c>/</c>, empty
/// segments dropped, a trailing <c>""</c> when the path ends with <c>/</c>), prefixed with <c>http_expr</c> and ended
/// by <c>&lt;$&gt;</c> (exactly this path) or <c>&lt;*&gt;</c> (this path and everything below it). In the
/// <c>http_expr</c> tree an expression path continues with the expression hash, the request hash (<c>""</c> when the
/// request is not certified) and the response hash, and ends at an empty leaf.
/// </summary>
public static class ExpressionPath
{
    /// <summary>The label of the v2 tree and the first element of every expression path.</summary>
    public const string Prefix = "http_expr";

    /// <summary>The terminator of an exact path.</summary>
    public const string ExactTerminator = "<$>";

    /// <summary>The terminator of a wildcard path.</summary>
    public const string WildcardTerminator = "<*>";

    /// <summary>The segments of a (decoded) request path: <c>/</c> gives <c>[""]</c>, <c>/a/b/</c> gives <c>["a", "b", ""]</c>.</summary>
    public static IReadOnlyList<string> Segments(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/').Where(s => s.Length > 0).ToList();
        if (path.EndsWith('/'))
        {
            segments.Add("");
        }

        return segments;
    }

    /// <summary><c>["http_expr", segments..., "&lt;$&gt;"]</c> for a request path.</summary>
    public static IReadOnlyList<string> Exact(string path) => [Prefix, .. Segments(path), ExactTerminator];

    /// <summary>
    /// <c>["http_expr", segments..., "&lt;*&gt;"]</c> for a path prefix; <c>/</c> gives <c>["http_expr", "", "&lt;*&gt;"]</c>,
    /// which covers every path.
    /// </summary>
    public static IReadOnlyList<string> Wildcard(string path) => [Prefix, .. Segments(path), WildcardTerminator];

    /// <summary>The labels of an expression path.</summary>
    public static Label[] Labels(IEnumerable<string> exprPath)
    {
        ArgumentNullException.ThrowIfNull(exprPath);
        return [.. exprPath.Select(s => new Label(Encoding.UTF8.GetBytes(s)))];
    }

    /// <summary>
    /// The full path of a certification in the certified tree: <c>exprPath ++ [exprHash, requestHash or "", responseHash]</c>,
    /// where an empty leaf must be found.
    /// </summary>
    public static Label[] TreePath(IEnumerable<string> exprPath, ReadOnlySpan<byte> expressionHash, ReadOnlySpan<byte> requestHash, ReadOnlySpan<byte> responseHash) =>
        [.. Labels(exprPath), new Label(expressionHash.ToArray()), new Label(requestHash.ToArray()), new Label(responseHash.ToArray())];

    /// <summary>
    /// Whether a wildcard path (its segments after <c>http_expr</c>, without <c>&lt;*&gt;</c>) covers the request's
    /// segments: a prefix of them, or a prefix once its trailing <c>""</c> is dropped.
    /// </summary>
    public static bool WildcardCovers(IReadOnlyList<string> wildcardSegments, IReadOnlyList<string> requestSegments)
    {
        ArgumentNullException.ThrowIfNull(wildcardSegments);
        ArgumentNullException.ThrowIfNull(requestSegments);
        if (StartsWith(requestSegments, wildcardSegments, wildcardSegments.Count))
        {
            return true;
        }

        return wildcardSegments.Count > 0 && wildcardSegments[^1].Length == 0
            && StartsWith(requestSegments, wildcardSegments, wildcardSegments.Count - 1);
    }

    /// <summary>
    /// The wildcard expression paths more specific than <paramref name="respondingWildcard"/> that also cover
    /// <paramref name="requestSegments"/> (with <c>http_expr</c> and <c>&lt;*&gt;</c>): a verifier accepts a
    /// wildcard answer only when the tree proves that none of these exists. For <c>/a/b</c> answered by the root
    /// wildcard they are <c>a/b/&lt;*&gt;</c>, <c>a/""/&lt;*&gt;</c>, <c>a/&lt;*&gt;</c>, <c>""/&lt;*&gt;</c>.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> MoreSpecificWildcards(IReadOnlyList<string> requestSegments, IReadOnlyList<string> respondingWildcard)
    {
        ArgumentNullException.ThrowIfNull(requestSegments);
        ArgumentNullException.ThrowIfNull(respondingWildcard);
        List<string> potential = StripAffixes(requestSegments);
        List<string> responding = StripAffixes(respondingWildcard);
        if (!WildcardCovers(responding, potential))
        {
            responding = [];
        }

        var result = new List<IReadOnlyList<string>>();
        while (potential.Count > responding.Count || LastOrNull(potential) != LastOrNull(responding))
        {
            result.Add([Prefix, .. potential, WildcardTerminator]);

            // Step up one level: a/b -> a/"" -> a -> "" -> (nothing).
            bool endsWithSeparator = potential[^1].Length == 0;
            potential.RemoveAt(potential.Count - 1);
            if (!endsWithSeparator)
            {
                potential.Add("");
            }
        }

        return result;
    }

    // Drops a leading "http_expr", a trailing "<$>" or "<*>", and a leading "" unless it is the only segment.
    private static List<string> StripAffixes(IReadOnlyList<string> path)
    {
        var p = path.ToList();
        if (p.Count > 0 && p[0] == Prefix)
        {
            p.RemoveAt(0);
        }

        if (p.Count > 0 && (p[^1] == ExactTerminator || p[^1] == WildcardTerminator))
        {
            p.RemoveAt(p.Count - 1);
        }

        if (p.Count > 1 && p[0].Length == 0)
        {
            p.RemoveAt(0);
        }

        return p;
    }

    private static string? LastOrNull(List<string> p) => p.Count > 0 ? p[^1] : null;

    private static bool StartsWith(IReadOnlyList<string> path, IReadOnlyList<string> prefix, int prefixLength)
    {
        if (prefixLength > path.Count)
        {
            return false;
        }

        for (int i = 0; i < prefixLength; i++)
        {
            if (!string.Equals(path[i], prefix[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
