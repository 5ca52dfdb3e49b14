namespace InternetIdentity.Protocol.Candid.Text;

/// <summary>Candid text (a value, a type or a .did file) is malformed or does not fit its type; the message names the position.</summary>
public sealed class CandidTextException : FormatException
{
    /// <summary>Creates the exception for a problem at a line and column (1-based).</summary>
    public CandidTextException(int line, int column, string problem)
        : base($"line {line}, column {column}: {problem}")
    {
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The line of the problem (1-based).</summary>
    public int Line { get; }

    /// <summary>The column of the problem (1-based, in UTF-16 code units).</summary>
    public int Column { get; }

    /// <summary>The problem without its position.</summary>
    public string Problem { get; }
}
