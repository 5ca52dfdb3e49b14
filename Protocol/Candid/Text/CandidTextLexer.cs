using System.Globalization;
using System.Text;

namespace InternetIdentity.Protocol.Candid.Text;

/// <summary>The kinds of Candid text tokens.</summary>
internal enum CandidTokenKind
{
    Id,
    Number,
    String,
    Symbol,
    End,
}

/// <summary>A token of Candid text; strings carry their decoded bytes (they may be invalid UTF-8, e.g. for blobs).</summary>
internal sealed record CandidToken(CandidTokenKind Kind, string Text, byte[] Bytes, int Line, int Column);

/// <summary>Splits Candid text (values, types, .did files and the Candid test grammar) into tokens.</summary>
internal sealed class CandidTextLexer
{
    private static readonly string[] s_twoCharSymbols = ["!:", "==", "!=", "->"];
    private readonly string _s;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private CandidTextLexer(string s) => _s = s;

    /// <summary>All tokens of <paramref name="s"/>, ending with an <see cref="CandidTokenKind.End"/> token.</summary>
    /// <exception cref="CandidTextException">an unterminated string or a bad escape.</exception>
    public static List<CandidToken> Tokenize(string s)
    {
        var lexer = new CandidTextLexer(s);
        var tokens = new List<CandidToken>();
        while (true)
        {
            CandidToken t = lexer.Next();
            tokens.Add(t);
            if (t.Kind == CandidTokenKind.End)
            {
                return tokens;
            }
        }
    }

    private int Column => _pos - _lineStart + 1;

    private CandidToken Next()
    {
        SkipTrivia();
        int line = _line, column = Column;
        if (_pos >= _s.Length)
        {
            return new CandidToken(CandidTokenKind.End, "end of text", [], line, column);
        }

        char c = _s[_pos];
        if (c == '"')
        {
            return ReadString();
        }

        if (char.IsAsciiDigit(c))
        {
            int start = _pos;
            if (c == '0' && _pos + 1 < _s.Length && (_s[_pos + 1] == 'x' || _s[_pos + 1] == 'X'))
            {
                _pos += 2;
                while (_pos < _s.Length && (char.IsAsciiHexDigit(_s[_pos]) || _s[_pos] == '_'))
                {
                    _pos++;
                }

                return new CandidToken(CandidTokenKind.Number, _s[start.._pos], [], line, column);
            }

            while (_pos < _s.Length && (char.IsAsciiDigit(_s[_pos]) || _s[_pos] is '_' or '.' or 'e' or 'E'
                       || ((_s[_pos] is '-' or '+') && _s[_pos - 1] is 'e' or 'E')))
            {
                _pos++;
            }

            return new CandidToken(CandidTokenKind.Number, _s[start.._pos], [], line, column);
        }

        if (char.IsLetter(c) || c == '_')
        {
            int start = _pos;
            while (_pos < _s.Length && (char.IsLetterOrDigit(_s[_pos]) || _s[_pos] == '_'))
            {
                _pos++;
            }

            return new CandidToken(CandidTokenKind.Id, _s[start.._pos], [], line, column);
        }

        foreach (string sym in s_twoCharSymbols)
        {
            if (string.CompareOrdinal(_s, _pos, sym, 0, 2) == 0)
            {
                _pos += 2;
                return new CandidToken(CandidTokenKind.Symbol, sym, [], line, column);
            }
        }

        _pos++;
        return new CandidToken(CandidTokenKind.Symbol, c.ToString(), [], line, column);
    }

    private void SkipTrivia()
    {
        while (_pos < _s.Length)
        {
            char c = _s[_pos];
            if (c == '\n')
            {
                _pos++;
                _line++;
                _lineStart = _pos;
            }
            else if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _s.Length && _s[_pos + 1] == '/')
            {
                while (_pos < _s.Length && _s[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '/' && _pos + 1 < _s.Length && _s[_pos + 1] == '*')
            {
                int end = _s.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new CandidTextException(_line, Column, "unterminated comment");
                }

                for (; _pos < end + 2; _pos++)
                {
                    if (_s[_pos] == '\n')
                    {
                        _line++;
                        _lineStart = _pos + 1;
                    }
                }
            }
            else
            {
                return;
            }
        }
    }

    private CandidToken ReadString()
    {
        int line = _line, column = Column;
        _pos++;
        var bytes = new List<byte>();
        var raw = new StringBuilder();
        while (true)
        {
            if (_pos >= _s.Length)
            {
                throw new CandidTextException(line, column, "unterminated string");
            }

            char c = _s[_pos++];
            if (c == '"')
            {
                return new CandidToken(CandidTokenKind.String, raw.ToString(), bytes.ToArray(), line, column);
            }

            if (c == '\n')
            {
                _line++;
                _lineStart = _pos;
            }

            if (c != '\\')
            {
                // Literal characters (including surrogate pairs) contribute their UTF-8 bytes.
                string chunk = char.IsHighSurrogate(c) && _pos < _s.Length ? new string([c, _s[_pos++]]) : c.ToString();
                bytes.AddRange(Encoding.UTF8.GetBytes(chunk));
                raw.Append(chunk);
                continue;
            }

            int escapeColumn = Column - 1;
            if (_pos >= _s.Length)
            {
                throw new CandidTextException(_line, escapeColumn, "unterminated escape");
            }

            char e = _s[_pos++];
            switch (e)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '"': bytes.Add((byte)'"'); break;
                case '\'': bytes.Add((byte)'\''); break;
                case 'u':
                    int close = _pos < _s.Length && _s[_pos] == '{' ? _s.IndexOf('}', _pos) : -1;
                    int quote = _s.IndexOf('"', _pos);
                    if (close < 0 || (quote >= 0 && quote < close))
                    {
                        throw new CandidTextException(_line, escapeColumn, "a \\u escape is \\u{hex}");
                    }

                    string hex = _s[(_pos + 1)..close].Replace("_", "", StringComparison.Ordinal);
                    if (!int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int cp) || cp > 0x10FFFF || cp is >= 0xD800 and <= 0xDFFF)
                    {
                        throw new CandidTextException(_line, escapeColumn, $"\\u{{{hex}}} is not a Unicode scalar value");
                    }

                    bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(cp)));
                    _pos = close + 1;
                    break;
                default:
                    if (_pos < _s.Length && char.IsAsciiHexDigit(e) && char.IsAsciiHexDigit(_s[_pos]))
                    {
                        bytes.Add(byte.Parse(_s.AsSpan(_pos - 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        _pos++;
                        break;
                    }

                    throw new CandidTextException(_line, escapeColumn, $"unknown escape \\{e}");
            }

            raw.Append('\\').Append(e);
        }
    }
}
