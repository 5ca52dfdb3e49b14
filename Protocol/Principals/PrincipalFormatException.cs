namespace InternetIdentity.Protocol.Principals;

/// <summary>Thrown when a principal's textual form or bytes are invalid (bad base32, grouping, checksum or length).</summary>
public sealed class PrincipalFormatException : FormatException
{
    /// <summary>Creates the exception with the reason.</summary>
    public PrincipalFormatException(string message)
        : base(message)
    {
    }
}
