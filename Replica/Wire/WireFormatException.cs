namespace InternetIdentity.Replica.Wire;

/// <summary>Thrown when bytes from a peer or the journal are not a well-formed replica message.</summary>
public sealed class WireFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming the malformed part.</summary>
    public WireFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the underlying decoder error.</summary>
    public WireFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
