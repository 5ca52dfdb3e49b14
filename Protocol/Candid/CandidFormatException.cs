namespace InternetIdentity.Protocol.Candid;

/// <summary>Candid bytes are malformed, exceed a decoding limit, or do not decode at the expected type.</summary>
public sealed class CandidFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming the problem.</summary>
    public CandidFormatException(string message)
        : base(message)
    {
    }
}
