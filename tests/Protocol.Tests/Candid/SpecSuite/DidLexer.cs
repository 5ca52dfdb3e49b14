using System.Globalization;
using System.Text;

namespace InternetIdentity.Protocol.Tests.Candid.SpecSuite;

internal enum TokenKind
{
    Id,
    Number,
    String,
    Symbol,
    End,
}

/// <summary>A token of the Candid test grammar; strings carry their decoded bytes (they may be invalid UTF-8).</summary>
internal sealed record Token(TokenKind Kind, string Text, byte[] Bytes, int Line);

/// <summary>Lexer for .did test files and for Candid textual values.</summary>
internal sealed class DidLexer
{
    private readonly string _s;
    private int _pos;
    private int _line = 1;

    public DidLexer(string s) => _s = s;

    public static List<Token> Tokenize(string s)
    {
        var lexer = new DidLexer(s);
        var tokens = new List<Token>();
        while (true)
        {
            Token t = lexer.Next();
            tokens.Add(t);
            if (t.Kind == TokenKind.End)
            {
                return tokens;
            }
        }
    }

    private Token Next()
    {
        SkipTrivia();
        if (_pos >= _s.Length)
        {
            return new Token(TokenKind.End, "", [], _line);
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

                return new Token(TokenKind.Number, _s[start.._pos], [], _line);
            }

            while (_pos < _s.Length && (char.IsAsciiDigit(_s[_pos]) || _s[_pos] is '_' or '.' or 'e' or 'E'
                       || ((_s[_pos] is '-' or '+') && _s[_pos - 1] is 'e' or 'E')))
            {
                _pos++;
            }

            return new Token(TokenKind.Number, _s[start.._pos], [], _line);
        }

        if (char.IsLetter(c) || c == '_')
        {
            int start = _pos;
            while (_pos < _s.Length && (char.IsLetterOrDigit(_s[_pos]) || _s[_pos] == '_'))
            {
                _pos++;
            }

            return new Token(TokenKind.Id, _s[start.._pos], [], _line);
        }

        foreach (string sym in new[] { "!:", "==", "!=", "->" })
        {
            if (string.CompareOrdinal(_s, _pos, sym, 0, 2) == 0)
            {
                _pos += 2;
                return new Token(TokenKind.Symbol, sym, [], _line);
            }
        }

        _pos++;
        return new Token(TokenKind.Symbol, c.ToString(), [], _line);
    }

    private void SkipTrivia()
    {
        while (_pos < _s.Length)
        {
            char c = _s[_pos];
            if (c == '\n')
            {
                _line++;
                _pos++;
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
                int stop = end < 0 ? _s.Length : end + 2;
                _line += _s.AsSpan(_pos, stop - _pos).Count('\n');
                _pos = stop;
            }
            else
            {
                return;
            }
        }
    }

    private Token ReadString()
    {
        int line = _line;
        _pos++;
        var bytes = new List<byte>();
        var raw = new StringBuilder();
        while (true)
        {
            if (_pos >= _s.Length)
            {
                throw new FormatException($"line {line}: unterminated string");
            }

            char c = _s[_pos++];
            if (c == '"')
            {
                return new Token(TokenKind.String, raw.ToString(), bytes.ToArray(), line);
            }

            if (c != '\\')
            {
                // Literal characters (including surrogate pairs) contribute their UTF-8 bytes.
                string chunk = char.IsHighSurrogate(c) && _pos < _s.Length ? new string([c, _s[_pos++]]) : c.ToString();
                bytes.AddRange(Encoding.UTF8.GetBytes(chunk));
                raw.Append(chunk);
                continue;
            }

            if (_pos >= _s.Length)
            {
                throw new FormatException($"line {line}: unterminated escape");
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
                    if (_pos >= _s.Length || _s[_pos] != '{')
                    {
                        throw new FormatException($"line {line}: bad \\u escape");
                    }

                    int close = _s.IndexOf('}', _pos);
                    int quote = _s.IndexOf('"', _pos);
                    if (close < 0 || (quote >= 0 && quote < close))
                    {
                        throw new FormatException($"line {line}: unclosed \\u{{ escape");
                    }

                    string hex = _s[(_pos + 1)..close].Replace("_", "", StringComparison.Ordinal);
                    int cp = int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
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

                    throw new FormatException($"line {line}: unknown escape \\{e}");
            }

            raw.Append('\\').Append(e);
        }
    }
}
