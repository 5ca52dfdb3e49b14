namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// The syntax of certification expressions as ic-response-verification parses them: values are objects
/// (<c>Name{key:value,...}</c>), functions (<c>name(value,...)</c>), arrays (<c>[value,...]</c>) and strings
/// (<c>"..."</c> of letters, digits, <c>-</c> and the escapes <c>\" \n \\</c>, kept unescaped); whitespace may
/// surround every token; text after the first value is ignored; a repeated key keeps its last value.
/// </summary>
internal static class CertificationExpressionParser
{
    private const int MaxDepth = 32;

    /// <summary>The kind of a syntax node.</summary>
    internal enum NodeKind
    {
        Object,
        Function,
        Array,
        String,
    }

    /// <summary>A syntax node: an object's or function's name or a string's text, its items, its properties.</summary>
    internal sealed record Node(NodeKind Kind, string Name, IReadOnlyList<Node> Items, IReadOnlyDictionary<string, Node> Properties);

    public static bool TryParse(string text, out Node? node, out string? error)
    {
        int position = 0;
        node = Value(text, ref position, 0, out error);
        return node is not null;
    }

    private static Node? Value(string s, ref int i, int depth, out string? error)
    {
        error = null;
        if (depth > MaxDepth)
        {
            error = Syntax(s, i, "nesting too deep");
            return null;
        }

        SkipSpace(s, ref i);
        int start = i;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_'))
        {
            i++;
        }

        string name = s[start..i];
        SkipSpace(s, ref i);
        char next = i < s.Length ? s[i] : '\0';
        switch (next)
        {
            case '{':
                i++;
                var properties = new Dictionary<string, Node>(StringComparer.Ordinal);
                return List(s, ref i, '}', out error, (ref int j) =>
                {
                    SkipSpace(s, ref j);
                    int keyStart = j;
                    while (j < s.Length && (char.IsAsciiLetterOrDigit(s[j]) || s[j] == '_'))
                    {
                        j++;
                    }

                    string key = s[keyStart..j];
                    SkipSpace(s, ref j);
                    if (j >= s.Length || s[j] != ':')
                    {
                        return (false, Syntax(s, j, "expected ':'"));
                    }

                    j++;
                    Node? value = Value(s, ref j, depth + 1, out string? e);
                    if (value is null)
                    {
                        return (false, e);
                    }

                    properties[key] = value;
                    return (true, null);
                }) ? new Node(NodeKind.Object, name, [], properties) : null;
            case '(':
            case '[' when name.Length == 0:
                i++;
                var items = new List<Node>();
                return List(s, ref i, next == '(' ? ')' : ']', out error, (ref int j) =>
                {
                    Node? value = Value(s, ref j, depth + 1, out string? e);
                    if (value is null)
                    {
                        return (false, e);
                    }

                    items.Add(value);
                    return (true, null);
                }) ? new Node(next == '(' ? NodeKind.Function : NodeKind.Array, name, items, new Dictionary<string, Node>()) : null;
            case '"' when name.Length == 0:
                i++;
                return String(s, ref i, out error);
            default:
                error = Syntax(s, i, "expected an object, a function, an array or a string");
                return null;
        }
    }

    private delegate (bool Ok, string? Error) Element(ref int position);

    // Elements separated by ',' up to the closing character; an empty list is allowed, a trailing ',' is not.
    private static bool List(string s, ref int i, char close, out string? error, Element element)
    {
        SkipSpace(s, ref i);
        if (i < s.Length && s[i] == close)
        {
            i++;
            error = null;
            return true;
        }

        while (true)
        {
            (bool ok, error) = element(ref i);
            if (!ok)
            {
                return false;
            }

            SkipSpace(s, ref i);
            if (i < s.Length && s[i] == ',')
            {
                i++;
                continue;
            }

            if (i < s.Length && s[i] == close)
            {
                i++;
                return true;
            }

            error = Syntax(s, i, $"expected ',' or '{close}'");
            return false;
        }
    }

    private static Node? String(string s, ref int i, out string? error)
    {
        int start = i;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                i++;
            }
            else if (c == '\\' && i + 1 < s.Length && s[i + 1] is '"' or 'n' or '\\')
            {
                i += 2;
            }
            else
            {
                break;
            }
        }

        string text = s[start..i];
        SkipSpace(s, ref i);
        if (i >= s.Length || s[i] != '"')
        {
            error = Syntax(s, i, "expected the end of a string (strings hold letters, digits, '-' and the escapes \\\" \\n \\\\)");
            return null;
        }

        i++;
        error = null;
        return new Node(NodeKind.String, text, [], new Dictionary<string, Node>());
    }

    private static void SkipSpace(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\r' or '\n')
        {
            i++;
        }
    }

    private static string Syntax(string s, int at, string what) => $"Cel Syntax Exception: {what} at position {at} of \"{s}\"";
}
